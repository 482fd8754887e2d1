/**
 * Reads `<dir>/manifest.json` for `render report` and `render export`. The file may be hand-edited, truncated or
 * from another tool, so it is checked for every field the page reads before the page is built;
 * each way it can be wrong is a UsageError naming the file and what to do.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { RenderManifestFile } from '../../core/records.js';

export const MANIFEST_FILE = 'manifest.json';

/** `shown` is the folder as the user wrote it, for messages. */
export async function readRunManifest(dir: string, shown: string = dir, command = 'render report'): Promise<RenderManifestFile> {
  const hint = `Give the output folder of a run, e.g. \`${command} output/<name>\`.`;
  const info = await stat(dir).catch(() => null);
  if (!info) throw new UsageError(`${command}: no folder at ${shown}`, { hint });
  if (!info.isDirectory()) throw new UsageError(`${command}: ${shown} is not a folder`, { hint });
  const file = join(shown, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${command}: no ${MANIFEST_FILE} in ${shown}`, { hint });
    throw new UsageError(`${command}: cannot read ${file} (${code ?? String(err)})`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${command}: ${file} is not valid JSON (${reason})`);
  }
  const problem = findProblem(value);
  if (problem) throw new UsageError(`${command}: ${file} is not a render manifest: ${problem}`);
  return value as RenderManifestFile;
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const obj: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullOr = (c: Check): Check => (v) => v === null || c(v);
const optional = (c: Check): Check => (v) => v === undefined || c(v);

const TOP: Record<string, [Check, string]> = {
  name: [str, 'a string'],
  manifest_files: [(v) => Array.isArray(v) && v.every(str), 'a list of strings'],
  runner: [(v) => obj(v) && str((v as Record<string, unknown>).name) && str((v as Record<string, unknown>).version), 'an object with name and version'],
  started_at: [str, 'a string'],
  ended_at: [nullOr(str), 'a string or null'],
  renders: [Array.isArray, 'a list'],
};

const RENDER: Record<string, [Check, string]> = {
  id: [str, 'a string'],
  shot: [str, 'a string'],
  provider: [str, 'a string'],
  model: [str, 'a string'],
  prompt: [str, 'a string'],
  seed: [nullOr(num), 'a number or null'],
  seed_origin: [str, 'a string'],
  params: [obj, 'an object'],
  varying: [obj, 'an object'],
  status: [str, 'a string'],
  error: [nullOr((v) => obj(v) && str((v as Record<string, unknown>).message)), 'null or an object with a message'],
  file: [nullOr(str), 'a string or null'],
  video: [
    nullOr((v) => {
      const o = v as Record<string, unknown>;
      return obj(v) && num(o.width) && num(o.height) && num(o.duration_s) && optional(str)(o.codec);
    }),
    'null or an object with numbers width, height and duration_s',
  ],
};

/** The first field the page cannot use, as `path must be ...`; null when all is well. */
function findProblem(value: unknown): string | null {
  if (!obj(value)) return 'the top level must be an object';
  const top = value as Record<string, unknown>;
  for (const [key, [check, want]] of Object.entries(TOP)) {
    if (!check(top[key])) return `${key} must be ${want}`;
  }
  const renders = top.renders as unknown[];
  for (let i = 0; i < renders.length; i++) {
    const r = renders[i];
    if (!obj(r)) return `renders[${i}] must be an object`;
    for (const [key, [check, want]] of Object.entries(RENDER)) {
      if (!check((r as Record<string, unknown>)[key])) return `renders[${i}].${key} must be ${want}`;
    }
  }
  return null;
}
