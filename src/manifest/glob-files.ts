/**
 * A small file glob, so a quoted pattern (`'jobs/*.yaml'`, `jobs/**\/*.yaml`) works the same in
 * every shell and on Windows: `*` and `?` within one path segment, `[abc]` classes, and `**` as a
 * whole segment for any depth of folders. Like a shell, wildcards do not match a leading dot, and
 * symlinked folders are not followed by `**` (no loops). Node 20 has no fs.glob.
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';

/** Whether `arg` holds glob syntax (and so is expanded rather than read as a path). */
export function hasGlob(arg: string): boolean {
  return /[*?[]/.test(arg);
}

/** One segment's pattern as a RegExp; `[!a]` and `[^a]` negate. */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i] ?? '';
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files (not folders) that `pattern` matches, relative to `cwd` unless the pattern is
 * absolute, written with the pattern's own leading folders (`jobs/a.yaml`), sorted.
 */
export async function globFiles(pattern: string, cwd: string): Promise<string[]> {
  const segments = pattern.split(/[/\\]+/);
  const absolute = isAbsolute(pattern);
  // The leading segments without wildcards are a folder to start from, as written.
  let fixed = 0;
  while (fixed < segments.length - 1 && !hasGlob(segments[fixed] ?? '')) fixed += 1;
  const prefix = segments.slice(0, fixed).join('/');
  const base = absolute ? (prefix === '' ? sep : prefix) : join(cwd, prefix);
  const found: string[] = [];
  await walk(base, prefix, segments.slice(fixed), found);
  return [...new Set(found)].sort();
}

async function walk(dir: string, shown: string, rest: readonly string[], found: string[]): Promise<void> {
  const [segment, ...more] = rest;
  if (segment === undefined) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const shownOf = (name: string): string => (shown === '' ? name : `${shown}/${name}`);
  if (segment === '**') {
    // Zero folders, then one more folder and `**` again.
    await walk(dir, shown, more, found);
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), shownOf(e.name), rest, found);
    }
    return;
  }
  if (segment === '' || segment === '.') return walk(dir, shown, more, found);
  const re = segmentRegExp(segment);
  for (const e of entries) {
    if (e.name.startsWith('.') && !segment.startsWith('.')) continue;
    if (!re.test(e.name)) continue;
    if (more.length === 0) {
      if (!e.isDirectory()) found.push(shownOf(e.name));
    } else if (e.isDirectory() || e.isSymbolicLink()) {
      await walk(join(dir, e.name), shownOf(e.name), more, found);
    }
  }
}
