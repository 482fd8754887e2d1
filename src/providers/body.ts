/**
 * The two forms of a submit body. On the wire, a local file becomes a `data:` URI; in the
 * output manifest it is recorded as a reference to the file with its sha256, so the record
 * stays small and says exactly which bytes were sent.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { MediaFileRef } from '../output/types.js';
import { MAX_INLINE_MEDIA_BYTES } from './media-limits.js';
import { readMediaBase64 } from './media-stream.js';
import { LocalMedia, type RequestBody } from './types.js';

const MIME_BY_EXTENSION: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.gif': 'image/gif',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** MIME type of a local media file, from its extension. */
export function mimeTypeOf(path: string): string {
  return MIME_BY_EXTENSION[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

interface LoadedMedia {
  /** `data:<mime>;base64,` then the file's base64 in chunks (never joined into one string here). */
  dataUriParts: string[];
  ref: MediaFileRef;
}

/**
 * Files read stay in memory (as base64) up to this many bytes in all, newest first: a sweep of
 * 100 renders over one reference video reads it once, and ten reference videos are not all held.
 */
const MEDIA_CACHE_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, { loaded: Promise<LoadedMedia>; bytes: number }>();

function evictBeyondBudget(keep: string): void {
  let total = 0;
  for (const entry of cache.values()) total += entry.bytes;
  for (const [path, entry] of cache) {
    if (total <= MEDIA_CACHE_BYTES) break;
    if (path === keep) continue;
    cache.delete(path);
    total -= entry.bytes;
  }
}

function loadMedia(media: LocalMedia): Promise<LoadedMedia> {
  const cached = cache.get(media.absPath);
  if (cached) {
    // Most recently used goes last, so it is evicted last.
    cache.delete(media.absPath);
    cache.set(media.absPath, cached);
    return cached.loaded;
  }
  const entry = { bytes: 0, loaded: readLoadedMedia(media) };
  cache.set(media.absPath, entry);
  entry.loaded.then(
    (m) => {
      entry.bytes = m.ref.bytes;
      evictBeyondBudget(media.absPath);
    },
    () => {
      if (cache.get(media.absPath) === entry) cache.delete(media.absPath);
    },
  );
  return entry.loaded;
}

async function readLoadedMedia(media: LocalMedia): Promise<LoadedMedia> {
  const mime = mimeTypeOf(media.absPath);
  const streamed = await readMediaBase64(media.absPath, media.path, MAX_INLINE_MEDIA_BYTES);
  return {
    dataUriParts: [`data:${mime};base64,`, ...streamed.base64Parts],
    ref: { $file: media.path, sha256: streamed.sha256, bytes: streamed.bytes, mime },
  };
}

/**
 * The JSON text sent, in pieces whose concatenation is exactly `JSON.stringify` of the body with
 * each local file as its `data:` URI (base64 needs no JSON escaping). Hashing the pieces gives
 * the request's identity without building the text; only the send joins them.
 */
export async function wireBodySegments(body: RequestBody): Promise<string[]> {
  const segments: string[] = ['{'];
  let first = true;
  for (const [key, value] of Object.entries(body)) {
    const head = `${first ? '' : ','}${JSON.stringify(key)}:`;
    if (value instanceof LocalMedia) {
      const media = await loadMedia(value);
      segments.push(`${head}"`, ...media.dataUriParts, '"');
    } else {
      const json = JSON.stringify(value) as string | undefined;
      if (json === undefined) continue;
      segments.push(head + json);
    }
    first = false;
  }
  segments.push('}');
  return segments;
}

/** The JSON text actually sent: local files inlined as data: URIs. */
export async function wireBodyText(body: RequestBody): Promise<string> {
  return (await wireBodySegments(body)).join('');
}

/** The body as recorded in manifest.json: local files as `{ $file, sha256, bytes, mime }`. */
export async function recordedBody(body: RequestBody): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    out[key] = value instanceof LocalMedia ? (await loadMedia(value)).ref : value;
  }
  return out;
}

/**
 * Identity of a request: sha256 of `${provider} ${method} ${path}\n` and the body bytes sent.
 * The path names the model for Krea; the body names it for AI/ML API; inlined files are in it.
 */
export function requestSha256(provider: string, method: string, path: string, wire: string | readonly string[]): string {
  const hash = createHash('sha256').update(`${provider} ${method} ${path}\n`);
  for (const piece of typeof wire === 'string' ? [wire] : wire) hash.update(piece);
  return hash.digest('hex');
}
