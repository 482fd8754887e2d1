/**
 * Reads `<dir>/manifest.json` for `render report` and `render export`. The file may be hand-edited, truncated or
 * from another tool, so it is checked for every field the page reads before the page is built;
 * each way it can be wrong is a UsageError naming the file and what to do.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { RenderManifestFile } from '../../core/records.js';
import { checkManifest } from '../../store/manifest-file.js';

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
  // Checked against its JSON Schema; a record that fails it is named, not shown half-built.
  const checked = checkManifest(value);
  if ('unusable' in checked) throw new UsageError(`${command}: ${file} is not a render manifest: ${checked.unusable}`);
  if (checked.problems.length > 0) throw new UsageError(`${command}: ${file} is not a render manifest: ${checked.problems[0]}`);
  return checked.manifest;
}
