/**
 * What each emulated provider supplies to the shared server: its routes, its auth rule, its
 * create-request validation, its id format and its answer shapes. Faults, jobs, media and the
 * request log are the server's business, identical for all three.
 */
import type { ProviderName } from '../core/catalog.js';
import type { Job, JobRequest, JobView } from './job-store.js';
import type { IncomingCall, Reply } from './reply.js';

export type RouteKind = 'submit' | 'status' | 'cancel';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

export interface ProviderApi {
  readonly provider: ProviderName;
  /** Whether `path` belongs to this provider at all (for auth and error shapes). */
  owns(path: string): boolean;
  /** The kind of request, or undefined for a path or method it does not serve. */
  route(method: string, path: string): RouteKind | undefined;
  /** The provider's answer to missing or empty credentials; undefined when they are acceptable. */
  authError(call: IncomingCall): Reply | undefined;
  /** The provider's error body for an HTTP status (429, 5xx, 404, 400), with an optional message. */
  error(status: number, call: IncomingCall, message?: string): Reply;
  /** Validates a create request into what the job store needs (the body may start async work, e.g. probing an input video). */
  parseCreate(call: IncomingCall): Promise<Parsed<JobRequest>>;
  /** A new job id in the provider's own format. */
  newJobId(request: JobRequest): string;
  /** The answer to an accepted create. */
  created(job: Job, view: JobView, call: IncomingCall): Reply;
  /** The job id a status request asks for. */
  statusId(call: IncomingCall): Parsed<string>;
  /** The answer to a status read; `videoUrl` is set when the job succeeded. */
  status(job: Job, view: JobView, videoUrl: string | undefined, call: IncomingCall): Reply;
  /** The answer to an accepted cancel (only for an API that routes 'cancel'; the job id is read like a status read's). */
  cancelled?(job: Job, view: JobView, call: IncomingCall): Reply;
  /** The answer to a cancel of a job that is no longer queued or running. */
  cancelRefused?(job: Job, view: JobView, call: IncomingCall): Reply;
  /**
   * Told of each of its jobs read back from a state file (forgotten ones too), for a provider
   * that derives something of a new job from the earlier ones.
   */
  restore?(job: Job): void;
}

/** A seed drawn by the "service" when a request leaves it out (the real services pick at random). */
export function drawSeed(max: number): number {
  return Math.floor(Math.random() * (max + 1));
}
