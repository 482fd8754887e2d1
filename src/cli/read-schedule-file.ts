/**
 * The learned times to completion of one command's runs: read from the output root before the
 * first submit, saved when the runs end. Never a reason to stop: a file render cannot trust is
 * a one-line warning and nothing learned, a file it cannot write is a warning, and the videos
 * are already safe either way. Where the file is: store/layout.ts `timingsPath`.
 */
import { ReadSchedule } from '../engine/read-schedule.js';
import { shownPath } from '../store/folder-problem.js';
import { fsWords } from '../store/local-state.js';
import { readTimings, writeTimings } from '../store/timings-file.js';
import type { CliIO } from './io.js';

export async function loadReadSchedule(path: string, io: CliIO): Promise<ReadSchedule> {
  const read = await readTimings(path);
  if ('problem' in read) {
    io.stderr.write(`render: warning: ${shownPath(path, io.cwd)} ${read.problem}; learned job times not used: delete it to start afresh\n`);
  }
  return new ReadSchedule(read.data);
}

/**
 * Saves what was learned, if anything, on top of what the file holds now (another run under the
 * same output root may have saved since this one started); a failure is a warning.
 */
export async function saveReadSchedule(schedule: ReadSchedule, path: string, io: CliIO): Promise<void> {
  if (!schedule.changed) return;
  try {
    const now = await readTimings(path);
    // A file render cannot read (said when the run started) is replaced by what this run knows.
    await writeTimings(path, 'problem' in now ? schedule.toData() : schedule.mergedInto(now.data));
    schedule.markSaved();
  } catch (err) {
    io.stderr.write(`render: warning: cannot save the learned job times to ${shownPath(path, io.cwd)} (${fsWords(err)}); the videos are kept, and the next run learns again\n`);
  }
}
