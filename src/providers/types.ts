/**
 * The contract between the engine and a provider adapter. An adapter only translates: a render
 * into an HTTP request, an HTTP answer into a JobStatus or a ProviderError. It knows nothing of
 * concurrency, retries, polling schedules or files: those belong to the engine.
 */
import type { ProviderName } from '../core/catalog.js';
import type { RenderSpec } from '../manifest/types.js';

/**
 * A local file to be sent as a `data:` URI. Adapters put these in a body where the manifest
 * named a local path; `src/providers/body.ts` turns them into the wire form (data URI) or the
 * recorded form (file reference with sha256).
 */
export class LocalMedia {
  constructor(
    /** The path as written in the manifest (relative to it). */
    readonly path: string,
    /** Absolute path on disk. */
    readonly absPath: string,
  ) {}
}

/** A JSON body that may contain LocalMedia values. */
export type RequestBody = Record<string, unknown>;

/** An HTTP request an adapter wants sent. `path` is relative to the provider's base URL. */
export interface ProviderRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path plus query string, e.g. `/v2/video/generations?generation_id=a%3Ab`. */
  path: string;
  /** Extra headers (auth and content-type are added by the HTTP client). */
  headers?: Record<string, string>;
  body?: RequestBody;
}

/** An HTTP answer as the adapter needs it: status, lower-cased headers, raw text. */
export interface ProviderResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

/** What the provider reported beyond the video itself, recorded in the output manifest. */
export interface ProviderMetadata {
  creditsUsed?: number;
  /** US dollars the provider reports the job cost (AI/ML API `x-aimlapi-usd-spent`). */
  usdSpent?: number;
  /** A seed the provider reports having used (string where the provider sends one). */
  returnedSeed?: number | string;
  /** How long the result URL stays valid, in seconds. */
  urlTtlSeconds?: number;
  /** Provider request id (e.g. AI/ML API `x-inference-id`). */
  requestId?: string;
}

/** A job's state, the same closed union for every provider. */
export type JobStatus =
  | { state: 'queued'; providerStatus: string; etaSeconds?: number }
  /** progress: fraction done, 0..1; etaSeconds: the provider's estimate of the time left. */
  | { state: 'running'; providerStatus: string; progress?: number; etaSeconds?: number }
  /** tookMs: the provider's own time from the job's creation to its completion, where it reports both. */
  | { state: 'succeeded'; providerStatus: string; videoUrl: string; metadata: ProviderMetadata; tookMs?: number }
  | { state: 'failed'; providerStatus: string; reason: string; metadata: ProviderMetadata }
  /** A status value the docs do not list: keep polling until the deadline, say so once. */
  | { state: 'unknown'; providerStatus: string };

/** A submit that was accepted. The create response may already carry a terminal status. */
export interface SubmitAccepted {
  jobId: string;
  status: JobStatus;
  metadata: ProviderMetadata;
}

export interface ProviderAdapter {
  readonly provider: ProviderName;
  /** The documented polling interval (providers.md A.8). */
  readonly defaultPollIntervalMs: number;
  /** The request that creates the paid job for this render. */
  submitRequest(render: RenderSpec): ProviderRequest;
  /** Reads a 2xx create answer. Throws ProviderError on a body it cannot read. */
  parseSubmit(res: ProviderResponse): SubmitAccepted;
  /** The request that reads a job's status. */
  statusRequest(jobId: string, model: string): ProviderRequest;
  /** Reads a 2xx status answer. */
  parseStatus(res: ProviderResponse): JobStatus;
  /** Turns a non-2xx answer into a ProviderError with its classification. */
  parseError(res: ProviderResponse, operation: Operation): ProviderError;
  /** Polling hint from a status (e.g. Novita `eta`, Krea `estimated_time`), in ms; undefined: none. */
  pollHintMs?(status: JobStatus): number | undefined;
  /** The request that cancels a queued or running job; absent where the API cannot cancel. */
  cancelRequest?(jobId: string): ProviderRequest;
  /** Reads a 2xx cancel answer. */
  parseCancel?(res: ProviderResponse): CancelAccepted;
}

/** A cancel the provider accepted. */
export interface CancelAccepted {
  /** The job's status as the answer gives it, when it gives one. */
  providerStatus: string | undefined;
}

export type Operation = 'submit' | 'status' | 'download' | 'cancel';

/** An error answer or a transport failure talking to a provider, classified for the engine. */
export class ProviderError extends Error {
  readonly code: string;
  readonly provider: ProviderName;
  readonly operation: Operation;
  /** HTTP status; undefined for transport failures. */
  readonly httpStatus: number | undefined;
  /** The provider's own message, as sent. */
  readonly providerMessage: string;
  readonly requestId: string | undefined;
  /** Worth trying again later (429, 5xx, connection errors). */
  readonly retryable: boolean;
  /**
   * For a submit: the provider certainly did not create the job (429, 503, connection refused),
   * so resending cannot pay twice. Always false for status reads and downloads.
   */
  readonly certainlyNotCreated: boolean;
  /** Delay the provider asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    code: string;
    provider: ProviderName;
    operation: Operation;
    httpStatus?: number | undefined;
    providerMessage: string;
    requestId?: string | undefined;
    retryable: boolean;
    certainlyNotCreated: boolean;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    const where = init.httpStatus === undefined ? 'connection error' : `HTTP ${init.httpStatus}`;
    super(`${init.provider} ${init.operation}: ${where}: ${init.providerMessage}`, { cause: init.cause });
    this.name = 'ProviderError';
    this.code = init.code;
    this.provider = init.provider;
    this.operation = init.operation;
    this.httpStatus = init.httpStatus;
    this.providerMessage = init.providerMessage;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.certainlyNotCreated = init.certainlyNotCreated;
    this.retryAfterMs = init.retryAfterMs;
  }
}
