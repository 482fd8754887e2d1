/**
 * `render merge --into <out/name> <folder>...`: joins the output folders of runs of one manifest
 * (the shards of `render run --shard I/N`) into one (store/merge-runs.ts). Exit 0 merged, 1
 * merged but some video was missing or damaged in its folder (the next run fetches it again
 * from its job), 2 bad usage or conflicting folders (nothing written).
 */
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { shownPath } from '../../store/folder-problem.js';
import { mergeRuns, MergeConflict } from '../../store/merge-runs.js';
import { renderVersion } from '../main.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

const USAGE = 'Usage: render merge --into <out/name> <folder>..., e.g. `render merge --into output/storyboard shard-1/storyboard shard-2/storyboard`.';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge', argv, { into: { type: 'string' } });
  const into = values['into'];
  if (typeof into !== 'string' || into === '') throw new UsageError('render merge: give the merged folder with --into <out/name>', { hint: USAGE });
  if (positionals.length === 0) throw new UsageError('render merge: give the folders to merge', { hint: USAGE });
  const dir = resolve(io.cwd, into);
  const warn = (line: string): void => void io.stderr.write(`${line}\n`);
  const { writeReport } = await import('../../present/report/write-report.js');
  let result;
  try {
    result = await mergeRuns({
      into: dir,
      folders: positionals.map((p) => resolve(io.cwd, p)),
      cwd: io.cwd,
      command: ['render', 'merge', ...argv].join(' '),
      runner: { name: 'render', version: renderVersion() },
      warn,
      writeReport,
    });
  } catch (err) {
    if (err instanceof MergeConflict) for (const line of err.lines) io.stderr.write(`render merge: ${line}\n`);
    throw err;
  }
  const shown = shownPath(dir, io.cwd);
  const renders = result.manifest.renders;
  const count = (s: string): number => renders.filter((r) => r.status === s).length;
  const done = count('succeeded');
  const { linked, copied, present } = result.files;
  io.stdout.write(
    `render merge: ${renders.length} render${renders.length === 1 ? '' : 's'} from ${result.folders} folder${result.folders === 1 ? '' : 's'} into ${shown}: ` +
      `${done} succeeded, ${renders.length - done} to finish by a run; files: ${linked} linked, ${copied} copied, ${present} already there\n`,
  );
  if (result.manifest.name !== basename(dir)) {
    io.stderr.write(`render merge: note: the manifest is named "${result.manifest.name}": a run resumes this folder only as <out>/${result.manifest.name}\n`);
  }
  if (result.reportPath) io.stdout.write(`${shownPath(result.reportPath, io.cwd)}\n`);
  if (result.refetch.length > 0) {
    io.stderr.write(`render merge: ${result.refetch.length} video${result.refetch.length === 1 ? '' : 's'} not merged (missing or damaged); run the manifest with --out ${shownPath(dirname(dir), io.cwd)} to fetch them again\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
