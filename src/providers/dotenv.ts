/**
 * A small `.env` reader: `KEY=value` lines, optional `export `, `#` comments, single quotes
 * taken literally, double quotes with `\n`, `\t`, `\"` and `\\` escapes. No variable expansion:
 * a key that contains `$` must arrive intact.
 */

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

function unescapeDouble(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}

/** Parses `.env` text. Later lines win; lines that are not assignments are skipped. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = LINE.exec(lines[i] ?? '');
    if (!match?.[1]) continue;
    const key = match[1];
    let rest = match[2] ?? '';
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines; it ends at the first unescaped closing quote.
      let body = rest.slice(1);
      let end = findClosingQuote(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        body += `\n${lines[++i] ?? ''}`;
        end = findClosingQuote(body, quote);
      }
      const raw = end < 0 ? body : body.slice(0, end);
      out[key] = quote === '"' ? unescapeDouble(raw) : raw;
      continue;
    }
    // Unquoted: a ` #` starts a comment; a `#` inside a value (e.g. a token) does not.
    const comment = rest.search(/\s#/);
    if (comment >= 0) rest = rest.slice(0, comment);
    out[key] = rest.trim();
  }
  return out;
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
