/** `render report <out/name>`: rebuilds a run's index.html from its manifest.json alone. */
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { readRunManifest, REPORT_FILE, writeReport } from '../../present/report/index.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseCommandArgs('report', argv, {});
  const [folder, ...extra] = positionals;
  if (folder === undefined || extra.length > 0) {
    throw new UsageError(
      folder === undefined
        ? 'render report: give the output folder of a run'
        : `render report: one folder at a time, got ${positionals.length}`,
      { hint: 'Usage: render report <out/name>, e.g. `render report output/storyboard`.' },
    );
  }
  const dir = resolve(io.cwd, folder);
  const manifest = await readRunManifest(dir, folder);
  try {
    await writeReport(dir, manifest);
  } catch (err) {
    // The folder is the user's (read-only, full disk): say so plainly, no stack trace.
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(`render report: cannot write ${join(folder, REPORT_FILE)} (${code})`, { cause: err });
  }
  // The path as the user wrote the folder, so it can be pasted back.
  io.stdout.write(`${join(folder, REPORT_FILE)}\n`);
  return EXIT.ok;
}
