/**
 * One attempt at bringing a result video home: stream it (no API key: result URLs are public
 * or pre-signed) into a temp file beside the target, resuming with Range from what an earlier
 * attempt left; check Content-Length, probe it as an MP4, hash it, fsync, and rename it into
 * place. Every failure is a ProviderError (operation 'download') the retry policy understands.
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { request, type Dispatcher } from 'undici';
import { probeMp4 } from '../media/probe-mp4.js';
import type { ProviderName } from '../providers/catalog.js';
import { parseRetryAfter } from '../providers/retry-after.js';
import { ProviderError } from '../providers/types.js';
import type { RenderRecord } from '../output/types.js';
import { fsyncDir } from '../output/atomic-write.js';
import { sha256OfFile } from './verify-file.js';

export const DOWNLOAD_CODES = {
  http: 'E_DOWNLOAD_HTTP',
  /** 403/404/410: the URL expired; a fresh status read may give a new one. */
  expired: 'E_DOWNLOAD_EXPIRED',
  truncated: 'E_DOWNLOAD_TRUNCATED',
  invalid: 'E_DOWNLOAD_INVALID',
  transport: 'E_DOWNLOAD_TRANSPORT',
} as const;

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
}

function downloadError(t: DownloadTarget, code: string, message: string, extra: { httpStatus?: number; retryable: boolean; retryAfterMs?: number | undefined; cause?: unknown }): ProviderError {
  return new ProviderError({
    code, provider: t.provider, operation: 'download', providerMessage: message,
    httpStatus: extra.httpStatus, retryable: extra.retryable, certainlyNotCreated: false,
    retryAfterMs: extra.retryAfterMs, cause: extra.cause,
  });
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

export async function downloadOnce(t: DownloadTarget): Promise<DownloadedVideo> {
  const part = partPathOf(t.target);
  const have = await sizeOf(part);
  const host = new URL(t.url).host; // for messages: the query of a signed URL is a credential
  let res: Dispatcher.ResponseData;
  try {
    res = await request(t.url, {
      method: 'GET',
      dispatcher: t.dispatcher,
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      ...(t.signal ? { signal: t.signal } : {}),
    });
  } catch (cause) {
    throw downloadError(t, DOWNLOAD_CODES.transport, `no answer from ${host}: ${(cause as Error).message}`, { retryable: !t.signal?.aborted, cause });
  }
  const status = res.statusCode;
  let append = false;
  let total: number | undefined;
  if (status === 206) {
    const range = contentRange(res.headers['content-range']);
    append = range !== undefined && range.start === have;
    if (!append) {
      await res.body.dump();
      await rm(part, { force: true });
      throw downloadError(t, DOWNLOAD_CODES.truncated, `${host} resumed at the wrong offset; starting over`, { retryable: true, httpStatus: status });
    }
    total = range?.total;
  } else if (status === 200) {
    const length = Number(res.headers['content-length']);
    total = Number.isFinite(length) && String(res.headers['content-length'] ?? '') !== '' ? length : undefined;
  } else {
    await res.body.dump().catch(() => undefined);
    if (status === 416) await rm(part, { force: true });
    const expired = status === 403 || status === 404 || status === 410;
    const retryAfter = res.headers['retry-after'];
    throw downloadError(t, expired ? DOWNLOAD_CODES.expired : DOWNLOAD_CODES.http, `${host} answered HTTP ${status}`, {
      httpStatus: status,
      retryable: status === 416 || status === 429 || status >= 500,
      retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, Date.now()),
    });
  }

  try {
    await pipeline(res.body, createWriteStream(part, { flags: append ? 'a' : 'w' }));
  } catch (cause) {
    // Keep what arrived: the next attempt asks for the rest with Range.
    throw downloadError(t, DOWNLOAD_CODES.truncated, `transfer from ${host} broke off after ${await sizeOf(part)} bytes`, { retryable: !t.signal?.aborted, cause });
  }
  const bytes = await sizeOf(part);
  if (total !== undefined && bytes !== total) {
    if (bytes > total) await rm(part, { force: true });
    throw downloadError(t, DOWNLOAD_CODES.truncated, `got ${bytes} of ${total} bytes from ${host}`, { retryable: true });
  }
  return finish(t, part, bytes);
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
  const fh = await open(part, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(part, t.target);
  await fsyncDir(dirname(t.target));
  return {
    sha256,
    bytes,
    video: { width: info.width, height: info.height, duration_s: info.duration_s, codec: info.codec, frames: info.frames },
  };
}
