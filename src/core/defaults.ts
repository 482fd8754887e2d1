/**
 * Every default limit, interval and deadline render runs with, in one place: the engine's
 * (concurrency, timeout, polling), the retry policy's (backoff, attempts), the transfers'
 * (deadlines, sizes, Ctrl-C grace) and the HTTP connections'. Modules take overrides where
 * tests need small values; the values a user gets are these. README "Deadlines and limits"
 * and "What a run does" describe them.
 */
import type { ProviderName } from './catalog.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const ENGINE_DEFAULTS = {
  /** Renders in flight at once across providers when neither flag nor manifest says. */
  concurrency: 4,
  /** Per-render deadline, from submit (or resume) to a terminal state. */
  timeoutMs: 3600_000,
  /** Documented creation rates (providers.md A.9); `providers.<name>.submitsPerMinute` overrides. */
  submitsPerMinute: { novita: 20 } as Partial<Record<ProviderName, number>>,
  /** Videos fetched at once; downloads do not hold a provider slot. */
  downloadConcurrency: 8,
  /** A provider's ETA hint never pushes the next status read further away than this. */
  pollHintCapMs: 60_000,
  /**
   * Learned times to completion (engine/read-schedule.ts): between the earliest plausible finish
   * and the expected one, each gap between two status reads covers at most this share of the
   * chance, left while the job is not done, that it finishes.
   */
  readGapShare: 0.2,
  /** Samples of a timing key before its model is used: fewer, and reads go as if nothing was learned. */
  readMinSamples: 3,
  /** Most recent samples kept per timing key. */
  readMaxSamples: 64,
  /** Timing keys kept in `<out>/.render/timings.json` (the least recently learned go first). */
  readMaxKeys: 256,
  /** manifest.json (and index.html) are rewritten at most this often while a run goes on. */
  manifestWriteIntervalMs: 1000,
  /**
   * This long after the first submit is answered, a run loads the code it needs only once videos
   * arrive (mp4box, the contact sheet): after the first submits, which it would delay, and
   * before the first downloads, whose neighbours' status reads it would delay.
   */
  warmUpAfterSubmitMs: 100,
  /** Expired result URLs replaced by a fresh status read, per download. */
  urlRefreshes: 3,
  /** Status reads tried for a fresh result URL after the old one expired. */
  freshUrlAttempts: 5,
  /** `render cancel`: cancels sent at once, and tries per job on 429, 5xx or a dropped connection. */
  cancelConcurrency: 4,
  cancelAttempts: 3,
  /** The journal's reserve (journal.ts) is at least this big… */
  journalReserveMinBytes: 64 * 1024,
  /** …and this much per job that can be in flight: room for its remaining lines (each < 1 KiB). */
  journalReservePerJobBytes: 2 * 1024,
} as const;

export const RETRY_POLICY = {
  /** First backoff step; doubles each attempt. */
  baseDelayMs: 500,
  /** Backoff never waits longer than this between two attempts. */
  maxDelayMs: 30_000,
  /** A Retry-After longer than this is cut down, so a hostile header cannot stall a run. */
  maxRetryAfterMs: 10 * 60_000,
  /** Share of the backoff that is random (jitter), so many jobs do not retry in lockstep. */
  jitter: 0.5,
  /** Submits certainly not created (429, 503, refused) are tried this many times in all. */
  submitMaxAttempts: 8,
  /** Attempts at downloading one result URL before the render is recorded as failed. */
  downloadMaxAttempts: 6,
  // Status reads have no attempt cap: the render's deadline bounds them, and giving up on a
  // paid job because its status endpoint hiccuped would throw the money away.
} as const;

export const TRANSFER_LIMITS = {
  /**
   * A create POST must be answered, body and all, within this long. Missing it makes the submit
   * indeterminate (the job may exist), never a resend, unless the connection was never made.
   */
  submitDeadlineMs: 60_000,
  /** A status read must be answered, body and all, within this long; then it is retried. */
  statusDeadlineMs: 30_000,
  /** One download attempt may take at most this long in all (a render's --timeout may cut it sooner). */
  downloadDeadlineMs: 30 * 60_000,
  /**
   * curl's --speed-limit/--speed-time: a download attempt that received less than
   * `downloadMinBytes` in the last `downloadSpeedWindowMs` (waiting for the headers included)
   * is abandoned and retried with Range.
   */
  downloadMinBytes: 16 * KiB,
  downloadSpeedWindowMs: 30_000,
  /** Status answers and error bodies larger than this are a bad answer (treated like a 5xx). */
  maxAnswerBytes: 4 * MiB,
  /** Videos larger than this are refused before a byte is written (`--max-video-size`). */
  maxVideoBytes: 4 * GiB,
  /**
   * After Ctrl-C, a submit already on the wire gets this long to hear its answer (so its job id
   * is journaled) before it is abandoned as indeterminate. Status reads and downloads stop at once.
   */
  submitGraceMs: 1_000,
  /** Ctrl-C: the process leaves after this long whatever is still on the wire. */
  interruptExitMs: 2_000,
} as const;

/** Connection defaults; one object so they are easy to find and to change. */
export const HTTP_DEFAULTS = {
  /** Give up on a TCP/TLS connect after this long (the request was not sent). */
  connectTimeoutMs: 10_000,
  /** Idle keep-alive sockets are closed after this long (undici honours a shorter server hint). */
  keepAliveTimeoutMs: 4_000,
  /** Waiting for the answer's headers, and between body chunks. @default 120000 */
  requestTimeoutMs: 120_000,
} as const;

/** `render run --emulate`. */
export const EMULATE_DEFAULTS = {
  /** Emulated jobs take a few seconds, so a first run finishes quickly. */
  jobMs: { min: 2000, max: 4000 },
  /**
   * The providers' documented intervals (up to 10 s) would leave a newcomer's emulated run
   * waiting on jobs long finished; --poll-interval still overrides.
   */
  pollIntervalMs: 500,
} as const;
