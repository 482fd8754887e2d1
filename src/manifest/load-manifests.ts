/**
 * The front door for every command: reads, checks and expands manifests. All problems of all
 * files are collected, sorted and thrown at once as a ManifestError; nothing is half-loaded.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ManifestError, sortProblems, type Problem } from '../core/errors.js';
import { checkManifest, type CheckedManifest } from './check-manifest.js';
import { expandManifestArgs } from './manifest-args.js';
import type { ExpandedManifest } from './types.js';

export async function loadManifests(args: string[], opts: { cwd: string }): Promise<ExpandedManifest[]> {
  const { manifests, problems } = await checkManifestArgs(args, opts);
  if (problems.length > 0) throw new ManifestError(problems);
  return manifests;
}

export interface CheckedArgs {
  /** The files without a problem, in order. */
  manifests: ExpandedManifest[];
  /** Every problem of every file (and argument), sorted. */
  problems: Problem[];
}

/** Like loadManifests, but keeps the good files when others have problems (`render validate`). */
export async function checkManifestArgs(args: string[], opts: { cwd: string }): Promise<CheckedArgs> {
  const expanded = await expandManifestArgs(args, opts.cwd);
  // The same file named twice (jobs/a.yaml ./jobs/a.yaml, or a folder and a file in it) is loaded once.
  const unique = new Map<string, string>();
  for (const file of expanded.files) {
    const absPath = resolve(opts.cwd, file);
    if (!unique.has(absPath)) unique.set(absPath, file);
  }
  const checked = await Promise.all(
    [...unique].map(async ([absPath, file]): Promise<CheckedManifest & { file: string }> => {
      let text: string;
      try {
        text = await readFile(absPath, 'utf8');
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${(err as Error).message})`;
        return { file, problems: [{ file, line: 1, col: 1, message: reason }], manifest: undefined, namePosition: undefined };
      }
      return { file, ...checkManifest(file, absPath, text) };
    }),
  );
  const problems: Problem[] = [...expanded.problems, ...checked.flatMap((c) => c.problems)];
  const collisions = collidingNames(checked);
  problems.push(...collisions);
  const clashing = new Set(collisions.map((p) => p.file));
  const manifests = checked
    .filter((c) => !clashing.has(c.file))
    .map((c) => c.manifest)
    .filter((m): m is ExpandedManifest => m !== undefined);
  return { manifests, problems: sortProblems(dedupe(problems)) };
}

/** Manifest names are output folders: two files must not share one. */
function collidingNames(checked: readonly (CheckedManifest & { file: string })[]): Problem[] {
  const firstFile = new Map<string, string>();
  const problems: Problem[] = [];
  for (const c of checked) {
    if (!c.manifest) continue;
    const first = firstFile.get(c.manifest.name);
    if (first === undefined) {
      firstFile.set(c.manifest.name, c.file);
      continue;
    }
    const fix = c.namePosition ? 'give one of them another name:' : 'add a name: to one of them';
    const { line, col } = c.namePosition ?? { line: 1, col: 1 };
    problems.push({ file: c.file, line, col, message: `manifest name "${c.manifest.name}" is also used by ${first} (names are output folders): ${fix}` });
  }
  return problems;
}

/** The same mistake met by many renders (a bad defaults.params key) is reported once. */
function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\0${p.line}\0${p.col}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
