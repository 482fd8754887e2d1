/**
 * What a provider handler answers, kept apart from node:http so handlers stay plain functions
 * of (request, store) and the server alone writes sockets and the request log.
 */

/** A JSON answer, or a connection dropped without one (a fault). */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string>; jobId?: string }
  | { kind: 'reset'; jobId?: string };

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { kind: 'json', status, body, headers } : { kind: 'json', status, body };
}

/** Adds the job a reply is about, for the request log. */
export function withJob(reply: Reply, jobId: string): Reply {
  return { ...reply, jobId };
}

/** The request as a provider handler sees it. */
export interface IncomingCall {
  method: string;
  /** Path without query, percent-decoding left to the handler. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or `undefined` with `bodyError` set when the body did not parse. */
  body: unknown;
  bodyError: string | undefined;
}
