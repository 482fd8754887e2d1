/**
 * The emulator's "CDN": encodes each job's video on demand, caches it per picture spec (so a
 * batch of identical requests encodes once), and serves it with Content-Length and byte ranges,
 * plus the download faults (truncated bodies, expired URLs).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { makeMp4 } from '../media/make-mp4.js';
import type { Faults } from './faults.js';
import type { Job, JobStore, VideoSpec } from './job-store.js';

/** Enough for hundreds of distinct renders; each file is tens of kilobytes. */
const CACHE_ENTRIES = 512;

export class MediaStore {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly caps: { frames: number | undefined; side: number | undefined },
  ) {}

  /** The job's current result URL. The version changes once an "expired" URL was seen. */
  urlFor(job: Job): string {
    if (job.urlExpired) {
      job.urlVersion += 1;
      job.urlExpired = false;
    }
    return `${this.baseUrl()}/media/${job.mediaToken}/${job.urlVersion}/output.mp4`;
  }

  /** Starts encoding ahead of the download (a job just finished); errors surface at download. */
  warm(job: Job): void {
    this.bytes(job.video, captionOf(job)).catch(() => undefined);
  }

  bytes(video: VideoSpec, caption: string[] = []): Promise<Buffer> {
    const spec = { ...video, ...scaleDown(video, this.caps.side), frames: Math.min(video.frames, this.caps.frames ?? video.frames), caption };
    const key = JSON.stringify(spec);
    let hit = this.cache.get(key);
    if (hit) {
      // Refresh its place so the oldest unused entry is evicted first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    hit = makeMp4(spec);
    hit.catch(() => this.cache.delete(key));
    this.cache.set(key, hit);
    if (this.cache.size > CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return hit;
  }

  /**
   * Answers GET/HEAD /media/<token>/<version>/output.mp4 and returns the status sent (0 when the
   * connection was cut) and the job, for the request log.
   */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    jobs: JobStore,
    faults: Faults,
  ): Promise<{ status: number; jobId?: string }> {
    const [, , token = '', version = ''] = path.split('/');
    const job = jobs.byMediaToken(token);
    if (!job || jobs.view(job).state !== 'succeeded' || Number(version) > job.urlVersion) {
      return { status: sendText(res, 404, 'Not Found') };
    }
    if (Number(version) < job.urlVersion) return { status: sendText(res, 403, 'Request has expired'), jobId: job.id };
    const expire = faults.take(job.provider, 'expireDownload');
    if (expire) {
      job.urlExpired = true;
      return { status: sendText(res, expire.status, 'Request has expired'), jobId: job.id };
    }

    const file = await this.bytes(job.video, captionOf(job));
    const range = parseRange(req.headers.range, file.length);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${file.length}`, 'accept-ranges': 'bytes' });
      res.end();
      return { status: 416, jobId: job.id };
    }
    const [start, end] = range ?? [0, file.length - 1];
    const body = file.subarray(start, end + 1);
    const status = range ? 206 : 200;
    res.writeHead(status, {
      'content-type': 'video/mp4',
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${end}/${file.length}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return { status, jobId: job.id };
    }
    if (faults.take(job.provider, 'truncateDownload')) {
      // Half the bytes under the full Content-Length, then the connection is cut.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return { status, jobId: job.id };
    }
    res.end(body);
    return { status, jobId: job.id };
  }
}

/** Width and height with the longer side at most `side`, aspect kept, both even (the encoder's rule). */
function scaleDown(video: VideoSpec, side: number | undefined): { width: number; height: number } {
  const longer = Math.max(video.width, video.height);
  if (side === undefined || longer <= side) return { width: video.width, height: video.height };
  const even = (n: number): number => Math.max(2, 2 * Math.round((n * side) / longer / 2));
  return { width: even(video.width), height: even(video.height) };
}

function sendText(res: ServerResponse, status: number, text: string): number {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
  return status;
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges are answered in full. */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}

/** Longest prompt excerpt drawn into a frame. */
const CAPTION_CHARS = 26;

/**
 * What a job's frames say, so a contact sheet shows which take is which: the start of its
 * prompt (the shot), and its seed, or for a model without one the emulator's take number.
 */
export function captionOf(job: { prompt: string; video: { seed: string } }): string[] {
  const prompt = job.prompt.replace(/\s+/g, ' ').trim();
  const head = prompt.length > CAPTION_CHARS ? `${prompt.slice(0, CAPTION_CHARS - 3)}...` : prompt;
  const repeat = /^repeat-(\d+)$/.exec(job.video.seed);
  return [head, repeat ? `TAKE ${Number(repeat[1]) + 1}` : `SEED ${job.video.seed}`];
}
