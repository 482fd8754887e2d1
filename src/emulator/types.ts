/**
 * The local emulator of the three provider APIs: the test double for every test and the
 * "try it without an API key" mode. Fault injection is per provider.
 */
import type { ProviderName } from '../core/catalog.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. Always binds 127.0.0.1. */
  port?: number;
  /** How long a job takes from accept to completed, in ms: fixed, or a range drawn per job. */
  jobDurationMs?: number | { min: number; max: number };
  /**
   * Seeds the draws of a `jobDurationMs` range: emulators started with the same seed and range
   * give the n-th job accepted the same duration, whoever submits it. Unset (the default): each
   * draw is Math.random().
   */
  durationSeed?: number;
  /** Share of a job's duration spent queued before running (0..1). @default 0.3 */
  queuedFraction?: number;
  /** Faults switched on from the start. */
  faults?: Partial<Record<ProviderName, FaultConfig>>;
  /**
   * Caps the frames of every delivered MP4 (size and fps unchanged), so tests with many renders
   * encode less. Unset (the default): each model's documented length.
   */
  maxVideoFrames?: number;
  /**
   * Caps the longer side of every delivered MP4 in pixels (aspect kept, sides even), so a
   * benchmark's emulator does not spend the machine's cores encoding thousands of full-size
   * pictures. Unset (the default): each model's documented size.
   */
  maxVideoSide?: number;
  /**
   * The clock jobs age by, in ms since the epoch (default Date.now). A test that sets it moves
   * jobs through their states by moving the clock, not by waiting.
   */
  now?: () => number;
  /** Called with each request as it is logged (`render emulate` prints one line per request). */
  onRequest?: (request: LoggedRequest) => void;
  /**
   * A folder where jobs are kept (`jobs.jsonl`, created when missing), so an emulator started
   * later on the same folder answers for them: same states by the wall clock, same result URLs
   * (on its own host and port) and the same video bytes. Unset (the default): jobs live in
   * memory and end with the emulator.
   */
  stateDir?: string;
}

/** Which jobs to forget: those matching every field given; every job when none is. */
export interface ForgetFilter {
  provider?: ProviderName;
  ids?: readonly string[];
}

/**
 * Faults for one provider. Counters ("next N requests of this kind") are consumed as they fire;
 * `setFaults` replaces the provider's config.
 */
export interface FaultConfig {
  /** The next N create POSTs answer 429 (with Retry-After when set); no job is created. */
  submit429?: { count: number; retryAfterSeconds?: number; retryAfterDate?: boolean };
  /** The next N create POSTs answer this 5xx; no job is created. */
  submit5xx?: { count: number; status: 500 | 502 | 503 | 504 };
  /** The next N create POSTs create the job, then destroy the socket without answering. */
  submitResetAfterAccept?: { count: number };
  /** The next N status GETs answer 429. */
  status429?: { count: number; retryAfterSeconds?: number };
  /** The next N status GETs answer this 5xx. */
  status5xx?: { count: number; status: 500 | 502 | 503 | 504 };
  /** The next N status GETs have their connection reset. */
  statusReset?: { count: number };
  /** The next N video downloads send half the bytes (full Content-Length), then close. */
  truncateDownload?: { count: number };
  /** The next N video downloads answer this status (the URL "expired"); a fresh status read gives a new URL. */
  expireDownload?: { count: number; status: 403 | 404 | 410 };
  /** Jobs whose prompt contains `promptIncludes` (or the next `count` jobs) fail with `reason`. */
  failJob?: { reason: string; promptIncludes?: string; count?: number };
  /** At most N jobs unfinished at once; a create beyond that answers 429 (Krea's behaviour). */
  maxConcurrentJobs?: number;
}

/** One request the emulator received, for tests to assert on. Authorization is never logged. */
export interface LoggedRequest {
  /** Milliseconds since the emulator started. */
  atMs: number;
  provider: ProviderName | 'media';
  method: string;
  /** Path without query. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body for POSTs (raw text if it did not parse); undefined for GETs. */
  body: unknown;
  /** The raw body text as received. */
  bodyText: string | undefined;
  /** The HTTP status answered (0 when the connection was reset). */
  status: number;
  /** The job this request created or read, when there is one. */
  jobId?: string;
  /** Jobs unfinished at this provider when the request arrived. */
  inFlight: number;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:43211 */
  readonly url: string;
  readonly port: number;
  /**
   * Variables that point render (or any client) at the emulator: the three base URLs and a
   * key for each provider.
   */
  readonly env: Record<string, string>;
  /** Every request so far, in arrival order. */
  readonly log: readonly LoggedRequest[];
  /** Replace one provider's faults. */
  setFaults(provider: ProviderName, faults: FaultConfig): void;
  /** Peak number of unfinished jobs seen at once, per provider and in total. */
  peakInFlight(): Record<ProviderName | 'total', number>;
  /**
   * Forgets jobs, as a provider that lost them: status reads of their ids and their result URLs
   * then answer exactly as for an id never issued. Kept in the state folder when there is one.
   * Returns the ids forgotten.
   */
  forgetJobs(filter?: ForgetFilter): string[];
  close(): Promise<void>;
}
