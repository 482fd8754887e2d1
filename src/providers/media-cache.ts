/**
 * Local media files as read for the wire (base64 in pieces) and for the record (sha256, size),
 * kept a while per process: a sweep of 100 renders over one reference video reads it once.
 * Bounded in bytes, so ten reference videos are not all held; checked against the file's stat
 * on every use, so a file changed (or replaced by a FIFO) since it was read is read again.
 */
import { stat } from 'node:fs/promises';
import type { MediaFileRef } from '../core/records.js';
import { MAX_INLINE_MEDIA_BYTES } from '../core/media-limits.js';
import { readMediaBase64 } from './media-stream.js';
import type { LocalMedia } from './types.js';

export interface LoadedMedia {
  /** `data:<mime>;base64,` then the file's base64 in chunks (never joined into one string here). */
  dataUriParts: string[];
  ref: MediaFileRef;
}

/** Files read stay in memory (as base64, 4/3 of this) up to this many bytes in all. */
const MEDIA_CACHE_BYTES = 64 * 1024 * 1024;

interface Entry {
  stamp: string;
  mime: string;
  loaded: Promise<LoadedMedia>;
  bytes: number;
}

const cache = new Map<string, Entry>();

async function stampOf(absPath: string): Promise<string> {
  try {
    const s = await stat(absPath);
    return `${s.dev}:${s.ino}:${s.mode}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

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

async function read(media: LocalMedia, mime: string): Promise<LoadedMedia> {
  const streamed = await readMediaBase64(media.absPath, media.path, MAX_INLINE_MEDIA_BYTES);
  return {
    dataUriParts: [`data:${mime};base64,`, ...streamed.base64Parts],
    ref: { $file: media.path, sha256: streamed.sha256, bytes: streamed.bytes, mime },
  };
}

/** The file of `media`, sent as `mime`: from the cache if it has not changed, else read now. */
export async function loadMedia(media: LocalMedia, mime: string): Promise<LoadedMedia> {
  const key = media.absPath;
  const stamp = await stampOf(key);
  const cached = cache.get(key);
  cache.delete(key);
  if (cached && cached.stamp === stamp && cached.mime === mime) {
    // Most recently used goes last, so it is evicted last.
    cache.set(key, cached);
    return asWritten(await cached.loaded, media);
  }
  const entry: Entry = { stamp, mime, bytes: 0, loaded: read(media, mime) };
  cache.set(key, entry);
  entry.loaded.then(
    (m) => {
      entry.bytes = m.ref.bytes;
      evictBeyondBudget(key);
    },
    () => {
      if (cache.get(key) === entry) cache.delete(key);
    },
  );
  return entry.loaded;
}

/** Two manifests may name one file by different paths: the record says each one's. */
function asWritten(loaded: LoadedMedia, media: LocalMedia): LoadedMedia {
  return loaded.ref.$file === media.path ? loaded : { ...loaded, ref: { ...loaded.ref, $file: media.path } };
}
