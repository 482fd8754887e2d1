/**
 * Media params (video_url, start_image, ...) take a URL or a path relative to the manifest.
 * URLs and data: URIs are sent as written; a local file is inlined at submit time.
 */
import { resolve } from 'node:path';

export type MediaValue =
  | { kind: 'remote' }
  | { kind: 'local'; absPath: string }
  /** A scheme render cannot send (file:, ftp:, ...). */
  | { kind: 'unsupported'; scheme: string };

const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

export function classifyMedia(value: string, manifestDir: string): MediaValue {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https' || scheme === 'data') return { kind: 'remote' };
  if (scheme !== undefined) return { kind: 'unsupported', scheme };
  return { kind: 'local', absPath: resolve(manifestDir, value) };
}
