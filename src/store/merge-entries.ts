/**
 * `render merge`, the records: which folder's record and journal state each render id takes,
 * which ids conflict, and the order of the merged manifest.json. Pure: no file is read here.
 *
 * - Entries of one id agree when they have the same request (`request_sha256`) and neither two
 *   different job ids nor two different videos (sha256). Of entries that agree, the one furthest
 *   along is kept (a video, then a job id, then any work), the earlier folder on a tie.
 * - An entry that only says `pending` (never submitted in its folder, nothing in its journal)
 *   never conflicts with one that has work; it is kept only when no folder has work for the id.
 * - Order: by the shot's manifest file and line (`source`); renders of one shot keep the order
 *   each folder wrote them in (expansion order), interleaved between folders by id, numbers
 *   compared as numbers (`seed-9` before `seed-10`).
 */
import type { RenderRecord } from '../core/records.js';
import type { JournalState } from './journal.js';
import { doneFile } from './previous-run.js';

/** One folder's view of the runs it holds, as read from disk. */
export interface SourceEntries {
  /** manifest.json's records, in the file's order. */
  records: readonly RenderRecord[];
  journal: ReadonlyMap<string, JournalState>;
}

/** What one folder knows of one render. */
export interface Entry {
  source: number;
  record: RenderRecord | undefined;
  state: JournalState | undefined;
}

export interface EntryConflict {
  id: string;
  /** Indexes of the two folders. */
  a: number;
  b: number;
  /** What differs, with both values. */
  what: string;
}

export interface EntryPlan {
  /** The entry kept for each render id. */
  chosen: Map<string, Entry>;
  /** The kept records, in manifest order. */
  records: RenderRecord[];
  conflicts: EntryConflict[];
}

interface Facts {
  request: string | null;
  jobId: string | null;
  video: string | null;
  /** Submitted, or at least journalled, in this folder. */
  work: boolean;
  rank: number;
}

function factsOf(e: Entry): Facts {
  const { record: r, state: s } = e;
  const jobId = s?.job_id ?? r?.job_id ?? null;
  const video = doneFile(s, r)?.sha256 ?? null;
  const work = s !== undefined || (r !== undefined && (r.status !== 'pending' || r.job_id !== null));
  return { request: s?.request_sha256 ?? r?.request_sha256 ?? null, jobId, video, work, rank: video ? 3 : jobId ? 2 : work ? 1 : 0 };
}

const SHORT_HASH = 12;
const short = (h: string): string => (h.length > SHORT_HASH ? `${h.slice(0, SHORT_HASH)}…` : h);

/** What makes two entries of one id disagree, or undefined when they agree. */
function disagreement(x: Facts, y: Facts): [string, string, string] | undefined {
  if (x.request !== y.request) return ['different requests (request_sha256', short(x.request ?? 'none'), short(y.request ?? 'none')];
  if (x.jobId && y.jobId && x.jobId !== y.jobId) return ['different job ids (', x.jobId, y.jobId];
  if (x.video && y.video && x.video !== y.video) return ['different videos (sha256', short(x.video), short(y.video)];
  return undefined;
}

/** Every folder's entries of every id, folded into one decision per id. */
export function planEntries(sources: readonly SourceEntries[]): EntryPlan {
  const byId = new Map<string, Entry[]>();
  sources.forEach((src, source) => {
    const ids = new Set([...src.records.map((r) => r.id), ...src.journal.keys()]);
    const records = new Map(src.records.map((r) => [r.id, r] as const));
    for (const id of ids) {
      const list = byId.get(id) ?? [];
      list.push({ source, record: records.get(id), state: src.journal.get(id) });
      byId.set(id, list);
    }
  });

  const chosen = new Map<string, Entry>();
  const conflicts: EntryConflict[] = [];
  for (const [id, entries] of byId) {
    const facts = entries.map(factsOf);
    const withWork = entries.map((_, n) => n).filter((n) => facts[n]!.work);
    // Pending-only entries matter only when no folder has done anything for the id.
    const compared = withWork.length > 0 ? withWork : entries.map((_, n) => n);
    for (let i = 0; i < compared.length; i += 1) {
      for (let j = i + 1; j < compared.length; j += 1) {
        const [x, y] = [compared[i]!, compared[j]!];
        const d = disagreement(facts[x]!, facts[y]!);
        if (d) conflicts.push({ id, a: entries[x]!.source, b: entries[y]!.source, what: `${d[0]} ${d[1]} vs ${d[2]})` });
      }
    }
    let best = compared[0]!;
    for (const n of compared) if (facts[n]!.rank > facts[best]!.rank) best = n;
    const kept = entries[best]!;
    // A folder that lost its manifest.json still has the journal: take the record from a
    // folder that agrees…
    const agrees = (n: number): boolean => facts[n]!.request === facts[best]!.request && !disagreement(facts[n]!, facts[best]!);
    const record = kept.record ?? entries.find((e, n) => e.record && agrees(n))?.record;
    // …and a folder whose journal lost the render gets the state of one that agrees.
    const state = kept.state ?? entries.find((e, n) => e.state && agrees(n))?.state;
    chosen.set(id, { ...kept, record, state });
  }
  return { chosen, records: mergedOrder(sources, chosen), conflicts };
}

/** Compares ids part by part, runs of digits as numbers. */
export function compareIds(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
    const [x, y] = [pa[i]!, pb[i]!];
    if (x === y) continue;
    // Odd pieces are the digit runs.
    if (i % 2 === 1) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** The kept records, in the order of the storyboard (see the file comment). */
function mergedOrder(sources: readonly SourceEntries[], chosen: ReadonlyMap<string, Entry>): RenderRecord[] {
  const fileRank = new Map<string, number>();
  for (const src of sources) for (const r of src.records) if (!fileRank.has(r.source?.file)) fileRank.set(r.source?.file, fileRank.size);
  const key = (r: RenderRecord): [number, number] => [fileRank.get(r.source?.file) ?? 0, Number(r.source?.line) || 0];
  const before = (a: RenderRecord, b: RenderRecord): number => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1];
  };
  // Each folder's list sorted by shot (stable: a shot's renders keep their written order)…
  const lists = sources.map((src) => [...src.records].sort(before));
  const heads = lists.map(() => 0);
  const out: RenderRecord[] = [];
  const emitted = new Set<string>();
  // …then merged, taking the smallest head each time.
  for (;;) {
    let pick = -1;
    for (let n = 0; n < lists.length; n += 1) {
      const head = lists[n]![heads[n]!];
      if (!head) continue;
      const current = pick >= 0 ? lists[pick]![heads[pick]!]! : undefined;
      if (!current || before(head, current) < 0 || (before(head, current) === 0 && compareIds(head.id, current.id) < 0)) pick = n;
    }
    if (pick < 0) return out;
    const record = lists[pick]![heads[pick]!]!;
    heads[pick] = heads[pick]! + 1;
    if (emitted.has(record.id)) continue;
    emitted.add(record.id);
    const kept = chosen.get(record.id)?.record;
    if (kept) out.push(kept);
  }
}
