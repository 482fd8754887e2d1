/**
 * `render merge`, the folders: which may be merged (each holds a run that no live run of this
 * machine is writing, each once, the merged folder itself left to be read as a run), and what
 * of the merged folder may be rewritten.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { RenderError } from '../core/errors.js';
import { shownPath } from './folder-problem.js';
import { runLayout } from './layout.js';
import type { PreviousRun } from './previous-run.js';
import { heldMessage, LOCK_PATH_IN_RUN, processIsAlive, type LockInfo } from './run-lock.js';

export async function isRunFolder(dir: string): Promise<boolean> {
  const layout = runLayout(dirname(dir), basename(dir));
  const isFile = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined))?.isFile() === true;
  return (await isFile(layout.manifestPath)) || (await isFile(layout.journalPath));
}

/** The folders as real paths, each once, the merged folder left out (it is merged anyway). */
export async function distinctRunFolders(folders: readonly string[], into: string, cwd: string): Promise<string[]> {
  const shown = (p: string): string => shownPath(p, cwd);
  const intoReal = await realpath(into).catch(() => into);
  const out: string[] = [];
  for (const folder of folders) {
    if (!(await isRunFolder(folder))) {
      throw new RenderError('E_USAGE_MERGE_INPUT', `render merge: ${shown(folder)} holds no render run (no manifest.json or .render/journal.jsonl there)`, {
        hint: 'give the folders runs wrote, <out>/<manifest name>, e.g. shard-1/storyboard; nothing was written',
      });
    }
    await refuseIfRunning(folder, cwd);
    const real = await realpath(folder);
    if (real !== intoReal && !out.includes(real)) out.push(real);
  }
  return out;
}

/**
 * A folder a run of this host is still writing is not merged. A lock left by a run that is gone,
 * or from another host (the folder of a cancelled CI job), is no obstacle: the folder is only read.
 */
async function refuseIfRunning(dir: string, cwd: string): Promise<void> {
  const path = join(dir, LOCK_PATH_IN_RUN);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  let info: Partial<LockInfo> | undefined;
  try {
    info = JSON.parse(text) as Partial<LockInfo>;
  } catch {
    return;
  }
  if (info?.host === hostname() && typeof info.pid === 'number' && processIsAlive(info.pid)) {
    throw heldMessage(dir, path, { pid: info.pid, host: info.host, started_at: String(info.started_at ?? 'an unknown time'), command: String(info.command ?? '') }, cwd, true);
  }
}

/**
 * The merged folder's manifest.json and index.html are rewritten: that is refused when they are
 * not a run's (a manifest.json render cannot read, a page beside no run).
 */
export async function refuseToReplace(into: string, run: PreviousRun | undefined, conflicts: string[], shown: (p: string) => string): Promise<void> {
  const layout = runLayout(dirname(into), basename(into));
  const exists = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined)) !== undefined;
  if (run && run.manifest === null && (await exists(layout.manifestPath))) {
    conflicts.push(`${shown(layout.manifestPath)} is not a render manifest.json, and merging would replace it: move it out of the way`);
  }
  const page = join(into, 'index.html');
  if (!run && (await exists(page))) conflicts.push(`${shown(page)} exists beside no render run, and merging would replace it: move it out of the way or merge into another folder`);
}
