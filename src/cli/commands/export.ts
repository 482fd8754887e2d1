/**
 * `render export <out/name> --format otio|edl [--out FILE]`: the storyboard as a timeline for an
 * editor, one clip per shot in manifest order: the picked take, else the first succeeded one,
 * else a gap with a note. Media paths are relative to the export file.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { timelineToEdl } from '../../present/export/edl.js';
import { timelineToOtio } from '../../present/export/otio.js';
import { buildTimeline } from '../../present/export/timeline.js';
import { readPicks } from '../../store/picks.js';
import { readRunManifest } from '../../present/report/index.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

const FORMATS = { otio: timelineToOtio, edl: timelineToEdl } as const;
type Format = keyof typeof FORMATS;

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', argv, { format: { type: 'string' }, out: { type: 'string' } });
  const usage = 'Usage: render export <out/name> --format otio|edl [--out FILE], e.g. `render export output/storyboard --format otio`.';
  const [folder, ...extra] = positionals;
  if (folder === undefined || extra.length > 0) {
    throw new UsageError(folder === undefined ? 'render export: give the output folder of a run' : `render export: one folder at a time, got ${positionals.length}`, { hint: usage });
  }
  const format = values['format'];
  if (typeof format !== 'string' || !(format in FORMATS)) {
    throw new UsageError(`render export: --format must be otio or edl${typeof format === 'string' ? ` (got "${format}")` : ''}`, { hint: usage });
  }
  const dir = resolve(io.cwd, folder);
  const manifest = await readRunManifest(dir, folder, 'render export');
  const timeline = buildTimeline(manifest, await readPicks(dir));
  const outFile = typeof values['out'] === 'string' ? resolve(io.cwd, values['out']) : join(dir, `${manifest.name}.${format}`);
  const mediaPath = (file: string): string => relative(dirname(outFile), join(dir, file)).split(sep).join('/');
  const text = FORMATS[format as Format](timeline, mediaPath);
  try {
    await writeFileAtomic(outFile, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(`render export: cannot write ${relative(io.cwd, outFile) || outFile} (${code})`, { cause: err, hint: 'choose another file with --out' });
  }
  for (const note of timeline.stalePicks) io.stderr.write(`render export: ${note}\n`);
  const gaps = timeline.entries.filter((e) => e.kind === 'gap');
  for (const g of gaps) if (g.kind === 'gap') io.stderr.write(`render export: gap: ${g.gap.note}\n`);
  const clips = timeline.entries.length - gaps.length;
  io.stdout.write(`${relative(io.cwd, outFile) || outFile}: ${clips} clip${clips === 1 ? '' : 's'}${gaps.length ? `, ${gaps.length} gap${gaps.length === 1 ? '' : 's'}` : ''}\n`);
  return EXIT.ok;
}
