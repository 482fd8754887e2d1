/**
 * The manifest arguments of run, validate and plan as files: a folder means every `*.yaml` and
 * `*.yml` in it, a glob is expanded by render itself (a quoted `'jobs/*.yaml'` or a shell
 * without `**`), and a file that is not there gets a "did you mean" among its neighbours.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Problem } from '../core/errors.js';
import { closestMatch } from './did-you-mean.js';
import { globFiles, hasGlob } from './glob-files.js';

/** What a folder argument stands for. */
const MANIFEST_FILE = /\.ya?ml$/i;

export interface ManifestArgs {
  /** Files as the user would write them, in argument order (each folder's and glob's sorted). */
  files: string[];
  /** Arguments that name nothing to load. */
  problems: Problem[];
}

export async function expandManifestArgs(args: readonly string[], cwd: string): Promise<ManifestArgs> {
  const files: string[] = [];
  const problems: Problem[] = [];
  const problem = (file: string, message: string): void => void problems.push({ file, line: 1, col: 1, message });
  for (const arg of args) {
    const info = await stat(resolve(cwd, arg)).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR') {
        files.push(arg); // unreadable: loading it says why
      } else if (hasGlob(arg)) {
        const matched = await globFiles(arg, cwd);
        if (matched.length > 0) files.push(...matched);
        else problem(arg, 'no file matches this pattern');
      } else {
        problem(arg, `no such file${await neighbourHint(arg, cwd)}`);
      }
    } else if (info.isDirectory()) {
      const inside = await manifestsIn(resolve(cwd, arg));
      if (inside.length > 0) files.push(...inside.map((name) => join(arg, name)));
      else problem(arg, 'is a folder with no .yaml or .yml file in it: give a manifest file, or a folder that holds some');
    } else {
      files.push(arg);
    }
  }
  return { files, problems };
}

/** The manifests directly in a folder (not its subfolders), sorted. */
async function manifestsIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => MANIFEST_FILE.test(e.name) && !e.name.startsWith('.') && !e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** `; did you mean "jobs/storyboard.yaml"?` from the files beside the missing one, or nothing. */
async function neighbourHint(arg: string, cwd: string): Promise<string> {
  const folder = dirname(arg);
  const names = await readdir(resolve(cwd, folder)).catch(() => [] as string[]);
  const match = closestMatch(basename(arg), names.filter((n) => !n.startsWith('.')));
  if (match === undefined) return '';
  return `; did you mean "${folder === '.' && !arg.startsWith('.') ? match : join(folder, match)}"?`;
}
