/**
 * An internal error (a bug in render) is not shown as a stack on the terminal: its stack and
 * context go to a report file in the OS temp folder, and the user gets one line with its path.
 * No key reaches the file: every value of the providers' key variables (from the environment
 * or .env) and of any variable named like a secret is redacted from all of it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_DEFAULTS } from '../providers/config.js';
import { parseDotenv } from '../providers/dotenv.js';
import type { CliIO } from './io.js';

/** Variables whose values are secrets although render does not read them itself. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;
/** Shorter values are not redacted: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

function dotenvValues(cwd: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(join(cwd, '.env'), 'utf8'));
  } catch {
    return {};
  }
}

/** name → value of everything that must not appear in a report. */
function secretsOf(io: CliIO): [string, string][] {
  const keyVariables = new Set(Object.values(PROVIDER_DEFAULTS).map((d) => d.keyVariable));
  const secrets: [string, string][] = [];
  for (const source of [io.env, dotenvValues(io.cwd)]) {
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined || !(keyVariables.has(name) || SECRET_NAME.test(name))) continue;
      for (const v of new Set([value, value.trim()])) if (v.length >= MIN_SECRET_LENGTH) secrets.push([name, v]);
    }
  }
  // Longest first, so a key that contains another is replaced whole.
  return secrets.sort((a, b) => b[1].length - a[1].length);
}

export function redactSecrets(text: string, io: CliIO): string {
  let out = text;
  for (const [name, value] of secretsOf(io)) out = out.split(value).join(`[redacted ${name}]`);
  return out;
}

function describeError(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    const prefix = depth === 0 ? 'error' : 'caused by';
    lines.push(current instanceof Error ? `${prefix}: ${current.stack ?? `${current.name}: ${current.message}`}` : `${prefix}: ${String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}

export interface CrashContext {
  argv: readonly string[];
  version: string;
  now?: Date;
}

/** Writes the report; returns its path, or throws if it cannot be written. */
export function writeCrashReport(err: unknown, io: CliIO, context: CrashContext): string {
  const now = context.now ?? new Date();
  const path = join(tmpdir(), `render-crash-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  const text = [
    `render internal error report`,
    `time: ${now.toISOString()}`,
    `render: ${context.version}`,
    `node: ${process.version} ${process.platform} ${process.arch}`,
    `command: render ${context.argv.join(' ')}`,
    `cwd: ${io.cwd}`,
    '',
    describeError(err),
    '',
  ].join('\n');
  writeFileSync(path, redactSecrets(text, io), { mode: 0o600, flag: 'wx' });
  return path;
}

/** The one line the user sees for an internal error. */
export function reportInternalError(err: unknown, io: CliIO, context: CrashContext): void {
  const text = err instanceof Error ? err.message || err.name : String(err);
  const message = redactSecrets(text, io).split('\n')[0];
  let where: string;
  try {
    where = `full report in ${writeCrashReport(err, io, context)}`;
  } catch (writeErr) {
    where = `the report could not be written (${(writeErr as Error).message})`;
  }
  io.stderr.write(`render: internal error: ${message}; ${where}\n`);
}
