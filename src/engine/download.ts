/**
 * One attempt at bringing a result video home: stream it (no API key: result URLs are public
 * or pre-signed) into a temp file beside the target, resuming with Range from what an earlier
 * attempt left; check Content-Length, probe it as an MP4, hash it, fsync, and rename it into
 * place. The attempt has an overall deadline and a minimum speed, and a video over the size
 * limit is refused from its announced length before a byte is written (or cut off when it runs
 * past it). Every network failure is a ProviderError (operation 'download') the retry policy
 * understands; a failing disk is a DiskError, never mistaken for the network.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { request } from '../providers/undici-parts.js';
import { probeMp4 } from '../media/probe-mp4.js';
import type { ProviderName } from '../core/catalog.js';
import { parseRetryAfter } from '../providers/retry-after.js';
import { discardBody, guardSpeed, watchTransfer, type TransferWatch } from '../providers/transfer-watch.js';
import type { RenderRecord } from '../core/records.js';
import { fsyncDir, syncFile } from '../store/atomic-write.js';
import { DiskError, diskErrorCode } from './disk-errors.js';
import { DOWNLOAD_CODES, downloadError, downloadLimits, stoppedError, tooLarge, type DownloadLimits } from './download-errors.js';
import { sha256OfFile } from '../store/verify-file.js';

export { DOWNLOAD_CODES, downloadLimits, type DownloadLimits } from './download-errors.js';

export interface DownloadedVideo {
  sha256: string;
  bytes: number;
  video: NonNullable<RenderRecord['video']>;
}

export interface DownloadTarget {
  provider: ProviderName;
  url: string;
  /** Final path of the video. */
  target: string;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  limits?: Partial<DownloadLimits>;
}

/** Where an unfinished download is kept between attempts (and between runs). */
export function partPathOf(target: string): string {
  return `${target}.part`;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Where the body starts and the whole file's size, from a 206's Content-Range. */
function contentRange(header: string | string[] | undefined): { start: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(header ?? '').trim());
  if (!m) return undefined;
  return { start: Number(m[1]), total: m[2] === '*' ? undefined : Number(m[2]) };
}

/** Thrown inside the byte counter: the body ran past a limit. */
class CutOff extends Error {
  constructor(readonly kind: 'limit' | 'announced') {
    super(kind);
  }
}

export async function downloadOnce(t: DownloadTarget): Promise<DownloadedVideo> {
  const part = partPathOf(t.target);
  const have = await sizeOf(part);
  const host = new URL(t.url).host; // for messages: the query of a signed URL is a credential
  const limits = downloadLimits(t.limits);
  const watch = watchTransfer(limits.deadlineMs, t.signal);
  let received = 0;
  const stopSpeedGuard = guardSpeed(watch, limits.minBytes, limits.speedWindowMs, () => received);
  let bytes: number;
  try {
    bytes = await transfer(t, part, have, host, limits, watch, (n) => (received += n));
  } finally {
    stopSpeedGuard();
    watch.done();
  }
  // Checking and hashing the file is local work: the transfer's limits no longer apply.
  return finish(t, part, bytes);
}

/** Brings the bytes into the .part file under the attempt's limits; returns its size. */
async function transfer(
  t: DownloadTarget,
  part: string,
  have: number,
  host: string,
  limits: DownloadLimits,
  watch: TransferWatch,
  count: (bytes: number) => void,
): Promise<number> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(t.url, {
      method: 'GET',
      dispatcher: t.dispatcher,
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      signal: watch.signal,
    });
  } catch (cause) {
    const why = watch.reason();
    if (why !== undefined) throw stoppedError(t, host, why, limits, cause);
    throw downloadError(t, DOWNLOAD_CODES.transport, `no answer from ${host}: ${(cause as Error).message}`, { retryable: true, cause });
  }
  const status = res.statusCode;
  let append = false;
  let total: number | undefined;
  if (status === 206) {
    const range = contentRange(res.headers['content-range']);
    append = range !== undefined && range.start === have;
    if (!append) {
      discardBody(res.body);
      await rm(part, { force: true });
      throw downloadError(t, DOWNLOAD_CODES.truncated, `${host} resumed at the wrong offset; starting over`, { retryable: true, httpStatus: status });
    }
    total = range?.total;
  } else if (status === 200) {
    const length = Number(res.headers['content-length']);
    total = Number.isFinite(length) && String(res.headers['content-length'] ?? '') !== '' ? length : undefined;
  } else {
    // An error page is not worth reading whole: drop the connection with it.
    discardBody(res.body);
    if (status === 416) await rm(part, { force: true });
    const expired = status === 403 || status === 404 || status === 410;
    const retryAfter = res.headers['retry-after'];
    throw downloadError(t, expired ? DOWNLOAD_CODES.expired : DOWNLOAD_CODES.http, `${host} answered HTTP ${status}`, {
      httpStatus: status,
      retryable: status === 416 || status === 429 || status >= 500,
      retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, Date.now()),
    });
  }
  if (total !== undefined && total > limits.maxVideoBytes) {
    // Refused from its announced size: nothing written, nothing kept, not tried again.
    discardBody(res.body);
    await rm(part, { force: true });
    throw tooLarge(t, host, status, total, limits.maxVideoBytes);
  }

  let written = append ? have : 0;
  let writeError: unknown;
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  out.on('error', (err) => (writeError ??= err));
  try {
    await pipeline(
      res.body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          written += chunk.byteLength;
          count(chunk.byteLength);
          if (total !== undefined && written > total) throw new CutOff('announced');
          if (written > limits.maxVideoBytes) throw new CutOff('limit');
          yield chunk;
        }
      },
      out,
    );
  } catch (cause) {
    const disk = diskErrorCode(writeError);
    if (disk !== undefined) {
      // Nothing to resume into on a full or read-only disk: free what was taken.
      await rm(part, { force: true }).catch(() => undefined);
      throw new DiskError(disk, part, writeError);
    }
    if (cause instanceof CutOff) {
      await rm(part, { force: true });
      if (cause.kind === 'limit') throw tooLarge(t, host, status, undefined, limits.maxVideoBytes);
      throw downloadError(t, DOWNLOAD_CODES.overlong, `${host} sent more than the ${total} bytes it announced; not kept`, { httpStatus: status, retryable: false });
    }
    const why = watch.reason();
    // Keep what arrived: the next attempt (or run) asks for the rest with Range.
    if (why !== undefined) throw stoppedError(t, host, why, limits, cause);
    throw downloadError(t, DOWNLOAD_CODES.truncated, `transfer from ${host} broke off after ${await sizeOf(part)} bytes`, { retryable: true, cause });
  }
  const bytes = await sizeOf(part);
  if (total !== undefined && bytes !== total) {
    if (bytes > total) await rm(part, { force: true });
    throw downloadError(t, DOWNLOAD_CODES.truncated, `got ${bytes} of ${total} bytes from ${host}`, { retryable: true });
  }
  return bytes;
}

async function finish(t: DownloadTarget, part: string, bytes: number): Promise<DownloadedVideo> {
  let info;
  try {
    info = await probeMp4(part);
  } catch (cause) {
    await rm(part, { force: true });
    throw downloadError(t, DOWNLOAD_CODES.invalid, `the download is not a whole MP4: ${(cause as Error).message.replace(part, 'file')}`, { retryable: true, cause });
  }
  const sha256 = await sha256OfFile(part);
  try {
    await syncFile(part);
    await rename(part, t.target);
    await fsyncDir(dirname(t.target));
  } catch (err) {
    const disk = diskErrorCode(err);
    if (disk !== undefined) throw new DiskError(disk, t.target, err);
    throw err;
  }
  return {
    sha256,
    bytes,
    video: { width: info.width, height: info.height, duration_s: info.duration_s, codec: info.codec, frames: info.frames },
  };
}
