/**
 * The two forms of a submit body. On the wire, a local file becomes a `data:` URI; in the
 * output manifest it is recorded as a reference to the file with its sha256, so the record
 * stays small and says exactly which bytes were sent.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { MediaFileRef } from '../output/types.js';
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
  dataUri: string;
  ref: MediaFileRef;
}

// One read per file per process: a sweep of 100 renders over one reference video reads it once.
const cache = new Map<string, Promise<LoadedMedia>>();

function loadMedia(media: LocalMedia): Promise<LoadedMedia> {
  let loaded = cache.get(media.absPath);
  if (!loaded) {
    loaded = readFile(media.absPath).then((bytes) => {
      const mime = mimeTypeOf(media.absPath);
      return {
        dataUri: `data:${mime};base64,${bytes.toString('base64')}`,
        ref: {
          $file: media.path,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes: bytes.length,
          mime,
        },
      };
    });
    cache.set(media.absPath, loaded);
    loaded.catch(() => cache.delete(media.absPath));
  }
  return loaded;
}

async function mapMedia(body: RequestBody, pick: (m: LoadedMedia) => unknown): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    out[key] = value instanceof LocalMedia ? pick(await loadMedia(value)) : value;
  }
  return out;
}

/** The JSON text actually sent: local files inlined as data: URIs. */
export async function wireBodyText(body: RequestBody): Promise<string> {
  return JSON.stringify(await mapMedia(body, (m) => m.dataUri));
}

/** The body as recorded in manifest.json: local files as `{ $file, sha256, bytes, mime }`. */
export async function recordedBody(body: RequestBody): Promise<Record<string, unknown>> {
  return mapMedia(body, (m) => m.ref);
}

/**
 * Identity of a request: sha256 of `${provider} ${method} ${path}\n` and the body bytes sent.
 * The path names the model for Krea; the body names it for AI/ML API; inlined files are in it.
 */
export function requestSha256(provider: string, method: string, path: string, wireText: string): string {
  return createHash('sha256').update(`${provider} ${method} ${path}\n`).update(wireText).digest('hex');
}
