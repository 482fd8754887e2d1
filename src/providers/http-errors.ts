/**
 * Classification shared by every adapter (providers.md A.10): what an error answer means for
 * the engine. The adapters only differ in where the message and request id sit in the body.
 */
import type { ProviderName } from '../core/catalog.js';
import { parseRetryAfter } from './retry-after.js';
import { ProviderError, type Operation, type ProviderResponse } from './types.js';

/** Error codes of ProviderError, one per kind of failure. */
export const PROVIDER_ERROR_CODES = {
  /** The provider answered with a non-2xx status. */
  http: 'E_PROVIDER_HTTP',
  /** The request did not get an answer (refused, reset, timed out). */
  transport: 'E_PROVIDER_TRANSPORT',
  /** No complete answer within the operation's deadline (or the render's). */
  deadline: 'E_PROVIDER_DEADLINE',
  /** An answer (status, error body) larger than render reads: a bad answer, like a 5xx. */
  tooLarge: 'E_ANSWER_TOO_LARGE',
  /** Abandoned by render itself (Ctrl-C): nothing to retry. */
  aborted: 'E_PROVIDER_ABORTED',
  /** A 2xx answer render cannot read (not JSON, no job id). */
  response: 'E_PROVIDER_RESPONSE',
} as const;

/** 429 and 5xx are worth another try; 4xx are the request's or the account's fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Only a 429 (rate or concurrency limit) or a 503 (service unavailable) says the job was not
 * created. A 500 or 504 may come after the job was queued and billed, so a resend could pay twice.
 */
export function submitCertainlyNotCreated(status: number): boolean {
  return status === 429 || status === 503;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Builds the ProviderError for a non-2xx answer once the adapter has read message and id. */
export function httpError(init: {
  provider: ProviderName;
  operation: Operation;
  res: ProviderResponse;
  /** The provider's message; the status text when the body had none. */
  message: string | undefined;
  requestId: string | undefined;
}): ProviderError {
  const { res, operation } = init;
  return new ProviderError({
    code: PROVIDER_ERROR_CODES.http,
    provider: init.provider,
    operation,
    httpStatus: res.status,
    providerMessage: init.message ?? STATUS_TEXT[res.status] ?? 'no message',
    requestId: init.requestId,
    retryable: isRetryableStatus(res.status),
    certainlyNotCreated: operation === 'submit' && submitCertainlyNotCreated(res.status),
    retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()),
  });
}

/**
 * A 2xx answer the adapter cannot read. For a submit the job may well exist, so it is neither
 * retryable nor certainly not created: the engine must not resend it blindly. A status read
 * may be tried again (a proxy's error page with 200, a half-deployed API).
 */
export function unreadableResponse(
  provider: ProviderName,
  operation: Operation,
  res: ProviderResponse,
  what: string,
  requestId?: string,
): ProviderError {
  return new ProviderError({
    code: PROVIDER_ERROR_CODES.response,
    provider,
    operation,
    httpStatus: res.status,
    providerMessage: what,
    requestId,
    retryable: operation !== 'submit',
    certainlyNotCreated: false,
  });
}

/** The first header of `names` that is present (headers are lower-cased). */
export function headerValue(res: ProviderResponse, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = res.headers[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
