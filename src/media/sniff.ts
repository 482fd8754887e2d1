/**
 * What kind of media a file holds, from its first bytes only (never its extension). Only the
 * formats render sends inline are recognised: MP4, MOV and WebM videos; PNG, JPEG and WebP images.
 */

export type MediaKind = 'video' | 'image';

export type MediaFormat = 'MP4' | 'MOV' | 'WebM' | 'PNG' | 'JPEG' | 'WebP';

/** Bytes that are enough to recognise every format below. */
export const SNIFF_BYTES = 16;

/** The formats each kind accepts, as a user reads them in a message. */
export const FORMATS_OF_KIND: Record<MediaKind, readonly MediaFormat[]> = {
  video: ['MP4', 'MOV', 'WebM'],
  image: ['PNG', 'JPEG', 'WebP'],
};

const KIND_OF_FORMAT: Record<MediaFormat, MediaKind> = {
  MP4: 'video',
  MOV: 'video',
  WebM: 'video',
  PNG: 'image',
  JPEG: 'image',
  WebP: 'image',
};

/** QuickTime files may start with one of these boxes instead of `ftyp`. */
const QUICKTIME_FIRST_BOXES = new Set(['moov', 'mdat', 'free', 'wide', 'skip']);

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The format of a file whose first bytes are `head`, or undefined when it is none of them. */
export function sniffMediaFormat(head: Uint8Array): MediaFormat | undefined {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'PNG';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'JPEG';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'WebP';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'WebM';
  if (head.length >= 8) {
    const box = ascii(head, 4, 8);
    if (box === 'ftyp') return head.length >= 12 && ascii(head, 8, 12) === 'qt  ' ? 'MOV' : 'MP4';
    if (QUICKTIME_FIRST_BOXES.has(box)) return 'MOV';
  }
  return undefined;
}

export function kindOfFormat(format: MediaFormat): MediaKind {
  return KIND_OF_FORMAT[format];
}

/** "MP4, MOV or WebM". */
export function formatList(kind: MediaKind): string {
  const formats = FORMATS_OF_KIND[kind];
  return formats.length === 1 ? formats[0] ?? '' : `${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}`;
}
