/**
 * One journal line on disk: `<JSON>\t<checksum>\n`, the checksum being the first 16 hex digits
 * of the sha256 of the JSON text. JSON text never holds a raw tab, so the last tab splits the
 * two. A line whose checksum does not match (a flipped byte, a line cut short, a line written by
 * something else) is a problem to report, never an entry to trust. Lines without a checksum were
 * written by earlier versions of render: they are read when they are a well-formed entry.
 */
import { createHash } from 'node:crypto';
import { isPhase } from '../core/lifecycle.js';
import type { JournalEntry, JournalState } from './journal.js';

const CHECKSUM_HEX = 16;

/** Fields that are either null or of this type when present. */
const NULLABLE: Record<string, 'string' | 'number' | 'object'> = {
  seed: 'number', job_id: 'string', submitted_at: 'string', started_at: 'string', completed_at: 'string',
  downloaded_at: 'string', file: 'string', sha256: 'string', bytes: 'number', video: 'object', error: 'object',
};

export function checksumOf(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, CHECKSUM_HEX);
}

/** The line for `entry`, newline included. */
export function encodeLine(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${json}\t${checksumOf(json)}\n`;
}

export type Decoded = { entry: JournalEntry } | { problem: string };

/** Reads one line (without its newline). */
export function decodeLine(line: string): Decoded {
  const tab = line.lastIndexOf('\t');
  const json = tab < 0 ? line : line.slice(0, tab);
  if (tab >= 0 && line.slice(tab + 1) !== checksumOf(json)) return { problem: 'checksum does not match (damaged or not written by render)' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { problem: tab < 0 ? 'not a journal line (no checksum, not JSON)' : 'not JSON' };
  }
  const entry = toEntry(value);
  return entry ? { entry } : { problem: 'not a journal entry (no phase, id or request)' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldsOk(o: Record<string, unknown>): boolean {
  for (const [key, type] of Object.entries(NULLABLE)) {
    const v = o[key];
    if (v !== undefined && v !== null && typeof v !== type) return false;
  }
  if (o['attempts'] !== undefined && typeof o['attempts'] !== 'number') return false;
  return o['provider_metadata'] === undefined || isObject(o['provider_metadata']);
}

function identified(o: Record<string, unknown>): boolean {
  return typeof o['id'] === 'string' && typeof o['request_sha256'] === 'string' && isPhase(o['phase']);
}

/** A parsed value as a journal entry, or undefined when it is not one (null, a number, no id…). */
export function toEntry(value: unknown): JournalEntry | undefined {
  if (!isObject(value)) return undefined;
  if (value['phase'] === 'snapshot') {
    const s = value['state'];
    if (!isObject(s) || !identified(s) || !fieldsOk(s)) return undefined;
    // Fields an older version did not write are filled in by the reader (emptyState).
    return { phase: 'snapshot', state: s as unknown as JournalState };
  }
  if (!identified(value) || !fieldsOk(value)) return undefined;
  return value as JournalEntry;
}
