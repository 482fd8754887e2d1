/**
 * The two forms of a submit body. On the wire, a local file becomes a `data:` URI; in the
 * output manifest it is recorded as a reference to the file with its sha256, so the record
 * stays small and says exactly which bytes were sent.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { loadMedia } from './media-cache.js';
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
      const media = await loadMedia(value, mimeTypeOf(value.absPath));
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

/** A body to send: one text, or its pieces (a body with an inlined file is never joined). */
export type WireBody = string | readonly string[];

/** Bytes of a wire body on the wire (UTF-8). */
export function wireByteLength(wire: WireBody): number {
  if (typeof wire === 'string') return Buffer.byteLength(wire);
  let total = 0;
  for (const piece of wire) total += Buffer.byteLength(piece);
  return total;
}

/** The JSON text actually sent: local files inlined as data: URIs. */
export async function wireBodyText(body: RequestBody): Promise<string> {
  return (await wireBodySegments(body)).join('');
}

/** The body as recorded in manifest.json: local files as `{ $file, sha256, bytes, mime }`. */
export async function recordedBody(body: RequestBody): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    out[key] = value instanceof LocalMedia ? (await loadMedia(value, mimeTypeOf(value.absPath))).ref : value;
  }
  return out;
}

/**
 * Identity of a request: sha256 of `${provider} ${method} ${path}\n` and the body bytes sent.
 * The path names the model for Krea; the body names it for AI/ML API; inlined files are in it.
 */
export function requestSha256(provider: string, method: string, path: string, wire: WireBody): string {
  const hash = createHash('sha256').update(`${provider} ${method} ${path}\n`);
  for (const piece of typeof wire === 'string' ? [wire] : wire) hash.update(piece);
  return hash.digest('hex');
}
