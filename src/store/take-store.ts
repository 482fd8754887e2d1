/**
 * Every video render has paid for, kept: `<out>/<name>/.render/takes/<render id>/`, one MP4 per
 * take named by its request hash (and job), each with a JSON card of what made it (request hash,
 * seed, job, sha256, size, probe, when). `<render id>.mp4` is the current take: a hard link to
 * one of them (a copy where links are not possible). When a render's request changes, its
 * earlier take stays here and is listed in manifest.json; when a later request matches an
 * earlier take again, that take becomes current with no submit. render never deletes a take.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { sha256OfFile, fileMatches } from './verify-file.js';
import { fsyncDir, writeFileAtomic } from './atomic-write.js';
import type { RunLayout } from './layout.js';
import type { Take, TakeCost } from '../core/records.js';
import { compareText } from '../core/compare-text.js';

export type { Take };

/** The facts of a verified download, as the engine has them. */
export type TakeFacts = Omit<Take, 'file'>;

const TAKES_DIR = join('.render', 'takes');

/** Take folders read at once when the store is opened. */
const CARD_READS_AT_ONCE = 32;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** A take's file name: the request hash, then which job (a forced re-render is another take). */
export function takeName(requestSha256: string | null, jobId: string | null, sha256: string): string {
  const request = requestSha256 ?? 'unknown-request';
  return `${request}.${jobId !== null ? `job-${shortHash(jobId)}` : `file-${sha256.slice(0, 12)}`}`;
}

export class TakeStore {
  private readonly byRender = new Map<string, Take[]>();

  private constructor(private readonly layout: RunLayout) {}

  /** Reads every take card of the run folder; a folder without takes is an empty store. */
  static async open(layout: RunLayout): Promise<TakeStore> {
    const store = new TakeStore(layout);
    let ids: string[];
    try {
      ids = await readdir(join(layout.dir, TAKES_DIR));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return store;
      throw err;
    }
    // Thousands of renders mean thousands of small files: read them a few dozen at a time, not
    // one after another, and remember them in a fixed order.
    const limit = pLimit(CARD_READS_AT_ONCE);
    const cards = await Promise.all(
      ids.map((id) =>
        limit(async () => {
          const names = await readdir(join(layout.dir, TAKES_DIR, id)).catch(() => [] as string[]);
          const texts = await Promise.all(
            names.filter((n) => n.endsWith('.json')).sort().map((name) => readFile(join(layout.dir, TAKES_DIR, id, name), 'utf8').catch(() => '')),
          );
          return { id, takes: texts.map(parseCard) };
        }),
      ),
    );
    for (const { id, takes } of cards) for (const take of takes) if (take) store.remember(id, take);
    return store;
  }

  private remember(id: string, take: Take): void {
    const list = this.byRender.get(id) ?? [];
    const at = list.findIndex((t) => t.file === take.file);
    if (at >= 0) list[at] = take;
    else list.push(take);
    list.sort((a, b) => compareText(a.downloaded_at ?? '', b.downloaded_at ?? ''));
    this.byRender.set(id, list);
  }

  get isEmpty(): boolean {
    return this.byRender.size === 0;
  }

  /** Every take of render `id`, oldest first. */
  takesOf(id: string): readonly Take[] {
    return this.byRender.get(id) ?? [];
  }

  /** Takes of `id` other than the one whose file has `currentSha256` (the current take). */
  earlierTakes(id: string, currentSha256: string | null): Take[] {
    return this.takesOf(id).filter((t) => t.sha256 !== currentSha256);
  }

  /** The newest take of `id` made with exactly this request whose file is intact, if any. */
  async intactTake(id: string, requestSha256: string, jobId?: string | null): Promise<Take | undefined> {
    const candidates = this.takesOf(id).filter((t) => t.request_sha256 === requestSha256 && (jobId === undefined || t.job_id === jobId));
    for (const take of [...candidates].reverse()) {
      if (await fileMatches(join(this.layout.dir, take.file), take)) return take;
    }
    return undefined;
  }

  /** Where a new take of `id` is downloaded to (absolute), and its name relative to the run folder. */
  pathFor(id: string, requestSha256: string, jobId: string | null): { abs: string; file: string } {
    const file = join(TAKES_DIR, id, `${takeName(requestSha256, jobId, '')}.mp4`);
    return { abs: join(this.layout.dir, file), file };
  }

  /** Records a verified take whose video is already at `file`: writes its card (atomically). */
  async add(id: string, file: string, facts: TakeFacts): Promise<Take> {
    const take: Take = { ...facts, file };
    await writeFileAtomic(join(this.layout.dir, file.replace(/\.mp4$/, '.json')), `${JSON.stringify(take, null, 2)}\n`);
    this.remember(id, take);
    return take;
  }

  /**
   * Makes `take` the current video of `id` (`<id>.mp4`), atomically. A current file that is in
   * no take (left by an earlier version of render, or put there by hand) is first kept as a take
   * of its own, described by `previous` when its sha256 matches it.
   */
  async makeCurrent(id: string, take: Take, previous?: TakeFacts): Promise<void> {
    const current = this.layout.videoPath(id);
    await this.keepCurrentFile(id, current, previous);
    const temp = `${current}.${randomBytes(4).toString('hex')}.tmp`;
    const source = join(this.layout.dir, take.file);
    try {
      await link(source, temp).catch(() => copyFile(source, temp));
      await rename(temp, current);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await fsyncDir(this.layout.dir);
  }

  /** Moves nothing: links the current file into the store when no take holds its bytes. */
  private async keepCurrentFile(id: string, current: string, previous: TakeFacts | undefined): Promise<void> {
    let info;
    try {
      info = await stat(current);
    } catch {
      return;
    }
    if (!info.isFile()) return;
    let currentSha: string | undefined;
    for (const t of this.takesOf(id)) {
      const held = await stat(join(this.layout.dir, t.file)).catch(() => undefined);
      if (held && held.ino === info.ino && held.dev === info.dev) return;
      if (held && held.size === info.size && t.sha256 === (currentSha ??= await sha256OfFile(current))) return;
    }
    const sha256 = currentSha ?? (await sha256OfFile(current));
    const facts: TakeFacts =
      previous && previous.sha256 === sha256
        ? previous
        : { request_sha256: null, seed: null, job_id: null, sha256, bytes: info.size, video: null, downloaded_at: info.mtime.toISOString() };
    const file = join(TAKES_DIR, id, `${takeName(facts.request_sha256, facts.job_id, sha256)}.mp4`);
    await mkdir(join(this.layout.dir, TAKES_DIR, id), { recursive: true });
    await link(current, join(this.layout.dir, file)).catch(() => copyFile(current, join(this.layout.dir, file)));
    await this.add(id, file, facts);
  }
}

/** A take card's JSON as a Take, or undefined when it is not one. */
export function parseCard(text: string): Take | undefined {
  try {
    const t = JSON.parse(text) as Partial<Take> | null;
    if (!t || typeof t.file !== 'string' || typeof t.sha256 !== 'string' || typeof t.bytes !== 'number') return undefined;
    return {
      request_sha256: typeof t.request_sha256 === 'string' ? t.request_sha256 : null,
      seed: typeof t.seed === 'number' ? t.seed : null,
      job_id: typeof t.job_id === 'string' ? t.job_id : null,
      file: t.file,
      sha256: t.sha256,
      bytes: t.bytes,
      video: t.video ?? null,
      downloaded_at: typeof t.downloaded_at === 'string' ? t.downloaded_at : null,
      ...(isCost(t.cost) ? { cost: t.cost } : {}),
    };
  } catch {
    return undefined;
  }
}

function isCost(c: unknown): c is TakeCost {
  const v = c as Partial<TakeCost> | null | undefined;
  return typeof v === 'object' && v !== null && typeof v.model === 'string' && typeof v.credits_used === 'number' && typeof v.params === 'object' && v.params !== null;
}
