/**
 * Two guards every transfer runs under. A watch is an AbortSignal that fires when the transfer's
 * overall deadline passes or when the caller's signal aborts (Ctrl-C, a render's --timeout),
 * and remembers which; undici's own timeouts restart on every byte, so they cannot bound a
 * trickle. readBoundedText reads an answer with a running count and stops at a limit, so a huge
 * or endless answer costs at most the limit in memory.
 */
import { formatSize } from './transfer-limits.js';

/** deadline: the overall deadline passed; slow: under the minimum speed; aborted: by the caller. */
export type StopReason = 'deadline' | 'slow' | 'aborted';

export interface TransferWatch {
  readonly signal: AbortSignal;
  /** Why the signal fired, if it did. */
  reason(): StopReason | undefined;
  /** Ends the transfer now for `reason` (the first reason given wins). */
  stop(reason: StopReason): void;
  /** The transfer is over: drop the timer and the listener. */
  done(): void;
}

/**
 * The transfers of a run all watch the same caller's signal (the run's stop), up to one per slot
 * and download at once. A listener each would pass Node's limit of ten and print
 * MaxListenersExceededWarning; instead each signal gets one listener that tells every watch
 * registered on it.
 */
const watchesOf = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` when `outer` aborts; returns the function that stops listening. */
function listen(outer: AbortSignal, onAbort: () => void): () => void {
  const watches = watchesOf.get(outer) ?? new Set<() => void>();
  if (!watchesOf.has(outer)) {
    watchesOf.set(outer, watches);
    const notifyAll = (): void => {
      watchesOf.delete(outer);
      for (const notify of [...watches]) notify();
    };
    outer.addEventListener('abort', notifyAll, { once: true });
  }
  watches.add(onAbort);
  return () => watches.delete(onAbort);
}

export function watchTransfer(deadlineMs: number, outer?: AbortSignal): TransferWatch {
  const controller = new AbortController();
  let why: StopReason | undefined;
  const stop = (reason: StopReason): void => {
    if (why !== undefined) return;
    why = reason;
    controller.abort(new Error(reason === 'aborted' ? 'aborted' : `transfer stopped (${reason})`));
  };
  const timer = Number.isFinite(deadlineMs) ? setTimeout(() => stop('deadline'), Math.max(0, deadlineMs)) : undefined;
  let unlisten: (() => void) | undefined;
  if (outer?.aborted) stop('aborted');
  else if (outer) unlisten = listen(outer, () => stop('aborted'));
  return {
    signal: controller.signal,
    reason: () => why,
    stop,
    done() {
      if (timer !== undefined) clearTimeout(timer);
      unlisten?.();
    },
  };
}

/**
 * curl's --speed-limit/--speed-time: stops `watch` for 'slow' when fewer than `minBytes` arrived
 * in the last `windowMs` (from the start, so a server that never answers is caught too).
 * `received` gives the bytes so far. Returns the function that ends the guard.
 */
export function guardSpeed(watch: TransferWatch, minBytes: number, windowMs: number, received: () => number): () => void {
  const samples: { at: number; bytes: number }[] = [{ at: Date.now(), bytes: received() }];
  const tick = setInterval(() => {
    const now = Date.now();
    const bytes = received();
    samples.push({ at: now, bytes });
    // Keep the newest sample at least a window old as the baseline.
    while (samples.length > 1 && (samples[1]?.at ?? now) <= now - windowMs) samples.shift();
    const base = samples[0];
    if (base !== undefined && base.at <= now - windowMs && bytes - base.bytes < minBytes) watch.stop('slow');
  }, Math.max(10, Math.floor(windowMs / 10)));
  return () => clearInterval(tick);
}

/** An answer larger than the limit: read no further. */
export class AnswerTooLargeError extends Error {
  readonly code = 'E_ANSWER_TOO_LARGE';
  constructor(readonly limitBytes: number, readonly declaredBytes?: number) {
    super(
      declaredBytes !== undefined
        ? `answer of ${formatSize(declaredBytes)} is larger than the ${formatSize(limitBytes)} render reads`
        : `answer is larger than the ${formatSize(limitBytes)} render reads`,
    );
    this.name = 'AnswerTooLargeError';
  }
}

interface Body extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Drops an answer's body unread (and the connection with it) without an unhandled error. */
export function discardBody(body: Body): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * The body as UTF-8 text, refusing more than `limitBytes`: a declared Content-Length over the
 * limit is refused before reading; otherwise bytes are counted as they arrive and the stream is
 * destroyed the moment the count passes the limit.
 */
export async function readBoundedText(body: Body, limitBytes: number, contentLength?: string | string[]): Promise<string> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (contentLength !== undefined && Number.isFinite(declared) && declared > limitBytes) {
    discardBody(body);
    throw new AnswerTooLargeError(limitBytes, declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > limitBytes) {
      discardBody(body);
      throw new AnswerTooLargeError(limitBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
