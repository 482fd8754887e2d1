/**
 * Reading a journal back: every line checked (journal-line.ts), folded into one state per
 * render, and every line that cannot be trusted returned as a problem with its line number.
 */
import { localStateError } from './local-state.js';
import { journalFs } from './journal-fs.js';
import { decodeLine } from './journal-line.js';
import { foldEntry, type JournalState } from './journal.js';

/** A line of the journal that was not trusted: 1-based line number and why. */
export interface JournalProblem {
  line: number;
  reason: string;
}

export const TORN_LAST_LINE = 'torn last line, its step was never acted on';

export interface JournalRead {
  states: Map<string, JournalState>;
  problems: JournalProblem[];
  /** Lines read as entries. */
  entries: number;
}

/**
 * Reads and folds a journal; a missing file is an empty journal. Lines that cannot be trusted
 * are returned as problems, not folded. A file that cannot be read is a clear error (exit 2).
 */
export async function readJournal(path: string): Promise<JournalRead> {
  const read: JournalRead = { states: new Map(), problems: [], entries: 0 };
  let text: string;
  try {
    text = await journalFs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return read;
    throw localStateError(err, path, 'the journal', 'read');
  }
  const lines = text.split('\n');
  const last = text.endsWith('\n') ? -1 : lines.length - 1;
  lines.forEach((line, n) => {
    if (line.trim() === '') return;
    const decoded = decodeLine(line);
    if ('problem' in decoded) {
      read.problems.push({ line: n + 1, reason: n === last ? TORN_LAST_LINE : decoded.problem });
      return;
    }
    read.entries += 1;
    foldEntry(read.states, decoded.entry);
  });
  return read;
}
