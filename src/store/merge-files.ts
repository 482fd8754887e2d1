/**
 * `render merge`, the files: the take stores and current videos of the folders being merged,
 * each checked against its card or record (size and sha256) before it is used, and put in the
 * merged folder without ever replacing a file: a hard link where the folders share a file
 * system, else a copy whose bytes are hashed again as they are written. A file already in the
 * merged folder with the same bytes is left as it is; one with other bytes is a conflict.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir } from './atomic-write.js';
import { parseCard, type Take } from './take-store.js';

/** Where a run folder keeps its takes (take-store.ts). */
export const TAKES_DIR = join('.render', 'takes');

/** A render id as render makes them: safe as a file name (no `/`, no `..`). */
export const SAFE_ID = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

/** Files read, hashed or linked at once: the work waits on the disk, not the CPU. */
export const MERGE_FILE_CONCURRENCY = 16;

/** `fn` over `items` with at most `limit` calls under way; results in the order of `items`. */
export async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const at = next++;
      out[at] = await fn(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A file to put in the merged folder. */
export interface Placement {
  /** Relative to the run folder. */
  file: string;
  /** Absolute path of the checked file it is made from. */
  from: string;
  /** A file of the merged folder (relative) with the same bytes, linked from first: a current video's take. */
  sibling?: string | undefined;
  sha256: string;
  bytes: number;
  /** Which folder it comes from (its index). */
  source: number;
}

export type Placed = 'linked' | 'copied' | 'present';

/** Size and sha256 of files, each read once even when it is linked under several names. */
export class FileHasher {
  private readonly cache = new Map<string, Promise<{ sha256: string; bytes: number } | undefined>>();

  async facts(path: string): Promise<{ sha256: string; bytes: number } | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
    let got = this.cache.get(key);
    if (!got) {
      got = hashFile(path).then((sha256) => ({ sha256, bytes: info.size }), () => undefined);
      this.cache.set(key, got);
    }
    return got;
  }

  async matches(path: string, expected: { sha256: string; bytes: number }): Promise<boolean> {
    const got = await this.facts(path);
    return got !== undefined && got.bytes === expected.bytes && got.sha256 === expected.sha256;
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A take found in a folder's store, its video checked against its card. */
export interface FoundTake {
  id: string;
  take: Take;
  source: number;
  /** Absolute paths of the video and the card. */
  video: string;
  card: string;
  cardText: string;
}

/**
 * Every take of `dir`'s store whose video matches its card. Takes that do not (a damaged or
 * missing video, a card naming another place) are left out, each with a warning.
 */
export async function scanTakes(dir: string, source: number, hasher: FileHasher, warn: (line: string) => void): Promise<FoundTake[]> {
  const ids = (await readdir(join(dir, TAKES_DIR)).catch(() => [] as string[])).filter((n) => SAFE_ID.test(n)).sort();
  const perId = await inPool(ids, MERGE_FILE_CONCURRENCY, async (id) => {
    const names = await readdir(join(dir, TAKES_DIR, id)).catch(() => [] as string[]);
    const found: FoundTake[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const card = join(dir, TAKES_DIR, id, name);
      const cardText = await readFile(card, 'utf8').catch(() => '');
      const take = parseCard(cardText);
      const expected = join(TAKES_DIR, id, name.replace(/\.json$/, '.mp4'));
      if (!take || take.file !== expected) {
        warn(`${card}: not a take card of this folder; not merged`);
        continue;
      }
      const video = join(dir, expected);
      if (!(await hasher.matches(video, take))) {
        warn(`${video}: missing, or its size or sha256 is not the one on its card; this take is not merged`);
        continue;
      }
      found.push({ id, take, source, video, card, cardText });
    }
    return found;
  });
  return perId.flat();
}

/** What is at a placement's target in the merged folder: nothing, the same bytes, or other bytes. */
export async function targetState(destDir: string, p: Placement, hasher: FileHasher): Promise<'absent' | 'same' | 'other'> {
  const target = join(destDir, p.file);
  const info = await stat(target).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : undefined));
  if (info === null) return 'absent';
  return (await hasher.matches(target, p)) ? 'same' : 'other';
}

/** The link call, replaceable: tests make it fail as between two file systems (EXDEV). */
export const mergeFs = { link: (from: string, to: string): Promise<void> => link(from, to) };

const LINK_FALLBACK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'EACCES', 'EOPNOTSUPP']);

/** Puts one file in the merged folder; never replaces a file that is there. The caller fsyncs its folder. */
export async function placeFile(destDir: string, p: Placement, hasher: FileHasher): Promise<Placed> {
  const target = join(destDir, p.file);
  await mkdir(dirname(target), { recursive: true });
  for (const from of p.sibling ? [join(destDir, p.sibling), p.from] : [p.from]) {
    try {
      await mergeFs.link(from, target);
      return 'linked';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return settledExisting(target, p, hasher);
      if (!LINK_FALLBACK.has(code) && code !== 'ENOENT') throw err;
    }
  }
  await copyVerified(p.from, target, p);
  return 'copied';
}

async function settledExisting(target: string, p: Placement, hasher: FileHasher): Promise<Placed> {
  if (await hasher.matches(target, p)) return 'present';
  throw Object.assign(new Error(`${target} appeared with other bytes while merging`), { code: 'EEXIST' });
}

/** Copies through a temp file, hashing what is written; the target is made with link (no overwrite). */
async function copyVerified(from: string, target: string, expected: { sha256: string; bytes: number }): Promise<void> {
  const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const fh = await open(temp, 'wx');
    try {
      for await (const chunk of createReadStream(from)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
        await fh.writeFile(chunk as Buffer);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (bytes !== expected.bytes || hash.digest('hex') !== expected.sha256) {
      throw new Error(`the copy of ${from} does not have the bytes its record names (the file changed while merging?)`);
    }
    await link(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Puts the files in the merged folder, a group after the other (videos before the cards that
 * describe them, takes before the current videos linked from them), then makes the new names
 * durable: each folder written to is fsynced once.
 */
export async function placeFiles(destDir: string, groups: readonly (readonly Placement[])[], hasher: FileHasher): Promise<Record<Placed, number>> {
  const files: Record<Placed, number> = { linked: 0, copied: 0, present: 0 };
  const folders = new Set<string>();
  for (const group of groups) {
    const done = await inPool(group, MERGE_FILE_CONCURRENCY, (p) => placeFile(destDir, p, hasher));
    done.forEach((placed, n) => {
      files[placed] += 1;
      if (placed !== 'present') folders.add(dirname(join(destDir, group[n]!.file)));
    });
  }
  await inPool([...folders], MERGE_FILE_CONCURRENCY, fsyncDir);
  return files;
}
