/**
 * Real, playable H.264 MP4s for the emulator: deterministic in their input, different per seed.
 *
 * Encoding runs in one long-lived worker thread (see encoder-worker-source.ts for why), started
 * on first use and reused; jobs queue there. The worker is unref'd whenever no job is pending,
 * so it never keeps a process alive, and `releaseMp4Encoder` ends it when its last user leaves.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ENCODER_WORKER_SOURCE } from './encoder-worker-source.js';
import { zeroMp4Timestamps } from './mp4-timestamps.js';

export interface Mp4Spec {
  /** Even, 2..4096. */
  width: number;
  /** Even, 2..4096. */
  height: number;
  /** Whole frames per second, 1..120. */
  fps: number;
  /** Number of frames, 1..2000. */
  frames: number;
  /** Chooses the colours and the motion; any number or string (e.g. a Novita 10-digit seed). */
  seed: number | string;
  /** Mixed into the picture (a coloured bar), e.g. the model and params, so they look different. */
  label?: string;
  /** Lines of text drawn into every frame (A-Z, 0-9 and a little punctuation), with a frame counter. */
  caption?: string[];
}

interface Pending {
  resolve(bytes: Buffer): void;
  reject(err: Error): void;
}

/** One worker and the jobs it owes answers for. */
interface EncoderThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Set by releaseMp4Encoder: terminate as soon as the last pending job is answered. */
  stopWhenIdle: boolean;
}

let current: EncoderThread | undefined;
let nextId = 1;
let users = 0;

/** Encodes `spec` to an MP4 file's bytes. Same spec, same bytes. */
export async function makeMp4(spec: Mp4Spec): Promise<Buffer> {
  checkSpec(spec);
  const thread = current ?? startThread();
  thread.stopWhenIdle = false;
  const id = nextId++;
  const done = new Promise<Buffer>((resolve, reject) => thread.pending.set(id, { resolve, reject }));
  // Referenced while a job is pending, so a caller awaiting it is not cut short by an idle loop.
  thread.worker.ref();
  thread.worker.postMessage({
    id,
    width: spec.width,
    height: spec.height,
    fps: spec.fps,
    frames: spec.frames,
    seed: hash32(String(spec.seed)),
    labelHash: hash32(spec.label ?? ''),
    caption: spec.caption ?? [],
  });
  return done;
}

/** Declares a user of the shared encoder (the emulator does, for its lifetime). */
export function acquireMp4Encoder(): void {
  users += 1;
}

/**
 * Ends one user's claim. When no user is left the worker is terminated, at once if idle or
 * after its pending jobs are answered; a later makeMp4 starts a new one.
 */
export async function releaseMp4Encoder(): Promise<void> {
  users = Math.max(0, users - 1);
  const thread = current;
  if (users > 0 || !thread) return;
  if (thread.pending.size > 0) {
    thread.stopWhenIdle = true;
    return;
  }
  current = undefined;
  await thread.worker.terminate();
}

function startThread(): EncoderThread {
  const require = createRequire(import.meta.url);
  const worker = new Worker(ENCODER_WORKER_SOURCE, {
    eval: true,
    workerData: { encoderPath: require.resolve('h264-mp4-encoder') },
  });
  const thread: EncoderThread = { worker, pending: new Map(), stopWhenIdle: false };
  worker.on('message', (msg: { id: number; bytes?: ArrayBuffer; error?: string }) => {
    const job = thread.pending.get(msg.id);
    if (!job) return;
    thread.pending.delete(msg.id);
    settle(job, msg);
    if (thread.pending.size > 0) return;
    worker.unref();
    if (thread.stopWhenIdle && users === 0) {
      if (current === thread) current = undefined;
      void worker.terminate();
    }
  });
  const failAll = (err: Error): void => {
    if (current === thread) current = undefined;
    for (const job of thread.pending.values()) job.reject(err);
    thread.pending.clear();
  };
  worker.on('error', (err) => failAll(new Error('the MP4 encoder worker crashed', { cause: err })));
  worker.on('exit', (code) => failAll(new Error(`the MP4 encoder worker exited (code ${code})`)));
  worker.unref();
  current = thread;
  return thread;
}

function settle(job: Pending, msg: { bytes?: ArrayBuffer; error?: string }): void {
  if (!msg.bytes) {
    job.reject(new Error(`MP4 encoding failed: ${msg.error ?? 'no reason given'}`));
    return;
  }
  try {
    job.resolve(zeroMp4Timestamps(Buffer.from(msg.bytes)));
  } catch (err) {
    job.reject(new Error('the MP4 encoder wrote a file with a broken box structure', { cause: err }));
  }
}

function checkSpec(spec: Mp4Spec): void {
  const even = (n: number): boolean => Number.isInteger(n) && n >= 2 && n <= 4096 && n % 2 === 0;
  if (!even(spec.width) || !even(spec.height)) {
    throw new RangeError(`makeMp4: width and height must be even whole numbers 2..4096, got ${spec.width}x${spec.height}`);
  }
  if (!Number.isInteger(spec.fps) || spec.fps < 1 || spec.fps > 120) {
    throw new RangeError(`makeMp4: fps must be a whole number 1..120, got ${spec.fps}`);
  }
  if (!Number.isInteger(spec.frames) || spec.frames < 1 || spec.frames > 2000) {
    throw new RangeError(`makeMp4: frames must be a whole number 1..2000, got ${spec.frames}`);
  }
}

/** FNV-1a, 32-bit: folds any seed (Novita's go past 2^32) into the worker's PRNG state. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
