/**
 * Reads what a downloaded MP4 holds (size, duration, codec, frame count) by giving mp4box its
 * box headers and index (never the media data), and rejects anything that is not a complete MP4
 * with a video track. The run engine calls it on every download, so a truncated or wrong file is
 * caught before it is recorded.
 */
import { open } from 'node:fs/promises';
import type * as Mp4box from 'mp4box';
import type { Movie } from 'mp4box';
import { bufferSource, fileSource } from './byte-source.js';
import { Mp4LayoutError, topBoxes, type ByteSource } from './mp4-top-boxes.js';

export interface Mp4Info {
  width: number;
  height: number;
  /** The video track's duration in seconds. */
  duration_s: number;
  /** RFC 6381 codec string, e.g. "avc1.42c01f". */
  codec: string;
  /** Number of video samples (frames). */
  frames: number;
}

let mp4box: Promise<typeof Mp4box> | undefined;

/**
 * mp4box, loaded once, at the first probe or when a run asks for it in a quiet moment: not at
 * start-up, where it would delay the first submit by about 40 ms.
 */
export function loadMp4box(): Promise<typeof Mp4box> {
  mp4box ??= import('mp4box');
  return mp4box;
}

/** Probes the MP4 at `path`; rejects with an Error naming the file when it is not a whole MP4. */
export async function probeMp4(path: string): Promise<Mp4Info> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    return await probeSource(fileSource(fh, size), path);
  } finally {
    await fh.close();
  }
}

/** Probes an MP4 held in memory (e.g. a data: URI's payload); `name` appears in errors. */
export async function probeMp4Bytes(bytes: Buffer, name = 'MP4 data'): Promise<Mp4Info> {
  return probeSource(bufferSource(bytes), name);
}

/**
 * Feeds mp4box every top-level box except mdat's payload: the index (moov) is all it needs,
 * and skipping the media keeps a probe's memory to a few KB whatever the file's size.
 */
async function probeSource(src: ByteSource, path: string): Promise<Mp4Info> {
  const { createFile, MP4BoxBuffer } = await loadMp4box();
  const size = src.size;
  const file = createFile();
  let movie: Movie | undefined;
  let parseError: string | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (module, message) => {
    parseError ??= `${module}: ${message}`;
  };

  try {
    for await (const box of topBoxes(src)) {
      // mdat gets its header only, so mp4box knows where the next box starts.
      const length = box.type === 'mdat' ? box.headerSize : box.size;
      const piece = new MP4BoxBuffer(length);
      piece.fileStart = box.start;
      await src.read(new Uint8Array(piece), box.start);
      file.appendBuffer(piece);
      if (parseError) break;
    }
    file.flush();
  } catch (err) {
    if (err instanceof Mp4LayoutError) {
      if (err.kind === 'truncated') throw new Error(`${path}: truncated MP4, ${err.message}`, { cause: err });
      throw new Error(`${path}: ${err.kind === 'not-mp4' ? 'not an MP4' : 'not a valid MP4'} (${err.message})`, { cause: err });
    }
    throw new Error(`${path}: not a readable MP4 (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }

  if (parseError) throw new Error(`${path}: not a valid MP4 (${parseError})`);
  // A non-MP4, or an MP4 cut off before its moov box, never becomes "ready".
  if (!movie) throw new Error(`${path}: not an MP4, or truncated before its index (moov), ${size} bytes`);
  const track = movie.videoTracks[0];
  if (!track) throw new Error(`${path}: MP4 has no video track`);

  // With the index at the front, a file cut inside its media data still parses: check that
  // every frame's bytes are really there.
  const samples = file.getTrackSamplesInfo(track.id);
  const end = samples.reduce((max, s) => Math.max(max, s.offset + s.size), 0);
  if (end > size) throw new Error(`${path}: truncated MP4, ${size} bytes of at least ${end}`);

  return {
    width: track.video?.width ?? track.track_width,
    height: track.video?.height ?? track.track_height,
    duration_s: track.timescale > 0 ? track.duration / track.timescale : 0,
    codec: track.codec,
    frames: track.nb_samples,
  };
}
