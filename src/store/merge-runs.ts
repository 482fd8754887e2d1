/**
 * `render merge --into <out/name> <folder>...`: joins the output folders of runs of one manifest
 * (typically the shards of `render run --shard I/N`, one per machine) into one folder, as if one
 * run had made it: manifest.json (one record per render, in manifest order), the videos, the
 * take store, the journal states (so jobs still in flight in a folder are resumed from the
 * merged one, never submitted again) and the contact sheet.
 *
 * Everything is read and checked before anything is written, under the merged folder's run
 * lock: conflicting renders, manifests of other names and files in the way are all reported
 * and nothing is written. A run already in the merged folder is merged too. No file of a
 * folder merged, and no video or take of the merged folder, is ever replaced or deleted;
 * manifest.json, the journal and index.html of the merged folder are rewritten to hold it all.
 */
import { basename, dirname, join } from 'node:path';
import { RenderError } from '../core/errors.js';
import type { RenderManifestFile } from '../core/records.js';
import { writeFileAtomic } from './atomic-write.js';
import { shownPath } from './folder-problem.js';
import { Journal, type JournalState } from './journal.js';
import { TORN_LAST_LINE } from './journal-read.js';
import { runLayout } from './layout.js';
import type { ReportWriter } from './manifest-writer.js';
import { planEntries, type EntryPlan } from './merge-entries.js';
import { distinctRunFolders, isRunFolder, refuseToReplace } from './merge-folders.js';
import { mergedManifest, serializeManifest } from './merge-manifest.js';
import { FileHasher, inPool, MERGE_FILE_CONCURRENCY, placeFiles, SAFE_ID, scanTakes, sha256Of, targetState, type FoundTake, type Placed, type Placement } from './merge-files.js';
import { fsWords, LOCAL_STATE_CODE } from './local-state.js';
import { doneFile, readPreviousRun, type PreviousRun } from './previous-run.js';
import { acquireRunLocks, releaseRunLocks } from './run-lock.js';

export const MERGE_CONFLICT_CODE = 'E_USAGE_MERGE';

export interface MergeOptions {
  /** The merged folder, absolute. */
  into: string;
  /** The folders to merge, absolute. */
  folders: readonly string[];
  cwd: string;
  /** The command line, for the lock. */
  command: string;
  runner: RenderManifestFile['runner'];
  warn: (line: string) => void;
  /** Writes index.html from the merged manifest.json (while the lock is held). */
  writeReport?: ReportWriter;
}

/** Every reason the folders cannot be merged; nothing was written. */
export class MergeConflict extends RenderError {
  constructor(readonly lines: readonly string[]) {
    super(MERGE_CONFLICT_CODE, `render merge: ${lines.length} conflict${lines.length === 1 ? '' : 's'}; nothing was written`, {
      hint: 'each folder must hold a run of the same manifest, every render done in one folder only (--shard I/N with the same N); merge the others without the folder in conflict',
    });
  }
}

export interface MergeResult {
  manifest: RenderManifestFile;
  folders: number;
  files: Record<Placed, number>;
  /** Renders whose video was missing or damaged in its folder: the next run fetches it again. */
  refetch: string[];
  reportPath: string | undefined;
}

interface Source {
  dir: string;
  shown: string;
  run: PreviousRun;
}

export async function mergeRuns(o: MergeOptions): Promise<MergeResult> {
  const shown = (p: string): string => shownPath(p, o.cwd);
  const folders = await distinctRunFolders(o.folders, o.into, o.cwd);
  const [lock] = await acquireRunLocks([o.into], { command: o.command, cwd: o.cwd, warn: o.warn });
  try {
    const dest = runLayout(dirname(o.into), basename(o.into));
    const destIsRun = await isRunFolder(o.into);
    const sources: Source[] = [];
    for (const dir of destIsRun ? [o.into, ...folders] : folders) {
      const run = await readPreviousRun(dirname(dir), basename(dir));
      for (const p of run.journalProblems) o.warn(`${shown(run.layout.journalPath)}:${p.line}: warning: ${p.reason}; line not used`);
      sources.push({ dir, shown: shown(dir), run });
    }
    const conflicts: string[] = [];
    await refuseToReplace(o.into, destIsRun ? sources[0]!.run : undefined, conflicts, shown);
    const name = manifestName(sources, conflicts);
    for (const s of sources) {
      for (const id of [...s.run.records.keys(), ...s.run.journal.keys()]) {
        if (!SAFE_ID.test(id)) conflicts.push(`${s.shown}: "${id}" is not a render id render makes; that folder's manifest.json or journal was not written by render`);
      }
    }
    const plan = planEntries(sources.map((s) => ({ records: s.run.manifest?.renders.filter((r) => r && typeof r.id === 'string') ?? [], journal: s.run.journal })));
    for (const c of plan.conflicts) conflicts.push(`render ${c.id}: ${c.what} in ${sources[c.a]!.shown} and ${sources[c.b]!.shown}`);

    const hasher = new FileHasher();
    const takes = await keptTakes(sources, hasher, conflicts, o.warn);
    const { groups, refetch } = await placementsOf(sources, plan, takes, hasher, o.warn);
    const placements = groups.flat();
    const states = await inPool(placements, MERGE_FILE_CONCURRENCY, (p) => targetState(o.into, p, hasher));
    placements.forEach((p, n) => {
      if (states[n] === 'other') conflicts.push(`${shown(join(o.into, p.file))} exists with other bytes than ${join(sources[p.source]!.shown, p.file)}`);
    });
    if (conflicts.length > 0) throw new MergeConflict(conflicts);

    // Videos and takes first, then the journal (what a rerun resumes from), then manifest.json.
    const manifests = sources.map((s) => s.run.manifest).filter((m): m is RenderManifestFile => m !== null);
    const manifest = mergedManifest(manifests, name ?? basename(o.into), plan.records, [...takes.values()], o.runner);
    let files: Record<Placed, number>;
    try {
      files = await placeFiles(o.into, groups, hasher);
      const journal = new Map<string, JournalState>();
      for (const [id, entry] of plan.chosen) if (entry.state) journal.set(id, entry.state);
      const destProblems = destIsRun && sources[0]!.run.journalProblems.some((p) => p.reason !== TORN_LAST_LINE);
      await (await Journal.open(dest.journalPath, journal, { keepCopy: destProblems })).close();
      await writeFileAtomic(dest.manifestPath, serializeManifest(manifest));
    } catch (err) {
      throw writeProblem(err, o.into, shown);
    }
    let reportPath: string | undefined;
    try {
      reportPath = await o.writeReport?.(o.into, manifest);
    } catch (err) {
      o.warn(`render merge: warning: could not write ${shown(join(o.into, 'index.html'))}: ${fsWords(err)}; \`render report ${shown(o.into)}\` writes it again`);
    }
    return { manifest, folders: folders.length, files, refetch, reportPath };
  } finally {
    await releaseRunLocks(lock ? [lock] : []);
  }
}

/** A write into the merged folder failed (a full disk, permissions): one line, and what to do. */
function writeProblem(err: unknown, into: string, shown: (p: string) => string): RenderError {
  if (err instanceof RenderError) return err;
  const path = (err as NodeJS.ErrnoException).path;
  return new RenderError(LOCAL_STATE_CODE, `render merge: cannot write into ${shown(into)}: ${fsWords(err)}${path ? ` (${shown(path)})` : ''}`, {
    cause: err,
    hint: 'fix that and run the same merge again: the files already merged are kept, and nothing in the folders merged was changed',
  });
}

/** The manifests' name: the same in every folder, else a conflict. */
function manifestName(sources: readonly Source[], conflicts: string[]): string | undefined {
  let first: Source | undefined;
  for (const s of sources) {
    const name = s.run.manifest?.name;
    if (typeof name !== 'string') continue;
    if (!first) first = s;
    else if (first.run.manifest?.name !== name) {
      conflicts.push(`manifest.json of ${first.shown} is "${first.run.manifest?.name}" but that of ${s.shown} is "${name}": only runs of one manifest merge`);
    }
  }
  return first?.run.manifest?.name;
}

/** Every intact take of every folder, once per file name; two videos under one name conflict. */
async function keptTakes(sources: readonly Source[], hasher: FileHasher, conflicts: string[], warn: (l: string) => void): Promise<Map<string, FoundTake>> {
  const byFile = new Map<string, FoundTake>();
  for (const [n, s] of sources.entries()) {
    for (const found of await scanTakes(s.dir, n, hasher, warn)) {
      const other = byFile.get(found.take.file);
      if (!other) byFile.set(found.take.file, found);
      else if (other.take.sha256 !== found.take.sha256) {
        conflicts.push(`render ${found.id}: take ${found.take.file} holds different videos in ${sources[other.source]!.shown} and ${s.shown}`);
      }
    }
  }
  return byFile;
}

/**
 * The files of the merged folder, in the groups they are written in: the takes' videos, their
 * cards, then each render's current video (linked from its take where the store holds it).
 */
async function placementsOf(
  sources: readonly Source[],
  plan: EntryPlan,
  takes: ReadonlyMap<string, FoundTake>,
  hasher: FileHasher,
  warn: (line: string) => void,
): Promise<{ groups: Placement[][]; refetch: string[] }> {
  const videos: Placement[] = [];
  const cards: Placement[] = [];
  const takesOf = new Map<string, FoundTake[]>();
  for (const t of takes.values()) {
    videos.push({ file: t.take.file, from: t.video, sha256: t.take.sha256, bytes: t.take.bytes, source: t.source });
    const card = t.take.file.replace(/\.mp4$/, '.json');
    cards.push({ file: card, from: t.card, sha256: sha256Of(t.cardText), bytes: Buffer.byteLength(t.cardText), source: t.source });
    takesOf.set(t.id, [...(takesOf.get(t.id) ?? []), t]);
  }
  const refetch: string[] = [];
  const current = await inPool([...plan.chosen], MERGE_FILE_CONCURRENCY, async ([id, entry]): Promise<Placement | undefined> => {
    const done = doneFile(entry.state, entry.record);
    if (!done) return undefined;
    const src = sources[entry.source]!;
    const sameTakes = (takesOf.get(id) ?? []).filter((t) => t.take.sha256 === done.sha256);
    const candidates = [...(done.file === `${id}.mp4` ? [join(src.dir, done.file)] : []), ...sameTakes.map((t) => t.video)];
    for (const from of candidates) {
      if (await hasher.matches(from, done)) return { file: `${id}.mp4`, from, sibling: sameTakes[0]?.take.file, sha256: done.sha256, bytes: done.bytes, source: entry.source };
    }
    const next = (entry.state?.job_id ?? entry.record?.job_id) ? 'downloads it again from its job (no new submit)' : 'renders it again';
    warn(`render merge: warning: the video of ${id} in ${src.shown} is missing or not the one recorded (size, sha256); the next run of the merged folder ${next}`);
    refetch.push(id);
    return undefined;
  });
  return { groups: [videos, cards, current.filter((p): p is Placement => p !== undefined)], refetch };
}
