/**
 * What a failed connection means for the engine (providers.md A.10). The question that matters
 * for a submit is whether the request can have reached the provider: a refused connection, a
 * DNS failure or a connect timeout happen before a byte of it was written, so the job certainly
 * does not exist. A reset, a closed socket or a timeout waiting for the answer happen after it
 * was written: the job may exist and be billed, so it must not be sent again blindly.
 */
import type { StopReason } from './transfer-watch.js';
import type { Operation } from './types.js';

export interface TransportClassification {
  /** Worth trying again later. */
  retryable: boolean;
  /** Submit only: the request never reached the provider. Always false for other operations. */
  certainlyNotCreated: boolean;
  /** The most telling error code found (e.g. ECONNREFUSED, UND_ERR_SOCKET), if any. */
  errorCode: string | undefined;
  /** Short human description, e.g. "connection refused". */
  description: string;
}

/** Failures before the request was written. */
const BEFORE_WRITE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'local address not available',
  UND_ERR_PRX_TLS: 'TLS connection to the proxy failed',
};

/** Failures of TLS verification: nothing was sent, and trying again will not help. */
const TLS_REJECTED: Record<string, string> = {
  CERT_HAS_EXPIRED: 'server certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed server certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'server certificate not verifiable',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer unknown',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is the base URL http:// rather than https://?)',
};

/** Failures that can happen after the request was written (or while it was). */
const AFTER_WRITE: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'timeout waiting for the answer',
  UND_ERR_BODY_TIMEOUT: 'timeout reading the answer',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'answer shorter than its Content-Length',
};

/** Every `code` in the error, its causes and (for AggregateError from happy eyeballs) its parts. */
function collectCodes(error: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 6 || typeof error !== 'object' || error === null) return out;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') out.push(code);
  if (Array.isArray(errors)) for (const part of errors) collectCodes(part, depth + 1, out);
  collectCodes(cause, depth + 1, out);
  return out;
}

/** undici reports a proxy refusing the tunnel as an abort whose message names the proxy. */
function isProxyTunnelRefusal(error: unknown): boolean {
  return error instanceof Error && /^Proxy response \(\d+\)/.test(error.message);
}

/** True when `err` (or anything in its causes) is a failed connection rather than an answer. */
export function isConnectionFailure(err: unknown): boolean {
  if (collectCodes(err).some((c) => c in AFTER_WRITE || c in BEFORE_WRITE || c === 'UND_ERR_ABORTED' || c === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH')) return true;
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 6; depth += 1) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /^(fetch failed|other side closed|socket hang up)$/i.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Pure: the same error and operation always give the same classification. */
export function classifyTransportFailure(error: unknown, operation: Operation): TransportClassification {
  const codes = collectCodes(error);
  const submit = operation === 'submit';
  // An "after write" code anywhere wins: one reset among the causes is enough to doubt.
  const after = codes.find((c) => c in AFTER_WRITE);
  if (after) return { retryable: true, certainlyNotCreated: false, errorCode: after, description: AFTER_WRITE[after] ?? after };
  const before = codes.find((c) => c in BEFORE_WRITE);
  if (before) return { retryable: true, certainlyNotCreated: submit, errorCode: before, description: BEFORE_WRITE[before] ?? before };
  const tls = codes.find((c) => c in TLS_REJECTED);
  if (tls) return { retryable: false, certainlyNotCreated: submit, errorCode: tls, description: TLS_REJECTED[tls] ?? tls };
  if (isProxyTunnelRefusal(error)) {
    return { retryable: true, certainlyNotCreated: submit, errorCode: codes[0], description: 'the proxy refused the tunnel' };
  }
  // Unknown: not a network condition render understands (perhaps a bug); do not guess.
  return {
    retryable: false,
    certainlyNotCreated: false,
    errorCode: codes[0],
    description: error instanceof Error ? error.message : String(error),
  };
}

export interface StoppedClassification extends TransportClassification {
  /** deadline: render's own time limit ended it; aborted: render gave up on it (Ctrl-C). */
  kind: 'transport' | 'deadline' | 'aborted';
}

/**
 * A failure when render may itself have ended the exchange (`stopped`). A deadline is a timeout
 * waiting for the answer: retryable, and for a submit the job may exist. A failure that shows
 * the request was never sent (a connect timeout, a refusal) keeps saying so even if the deadline
 * fired too. Interrupted by the user: nothing to retry.
 */
export function classifyStoppedExchange(error: unknown, operation: Operation, stopped: StopReason | undefined): StoppedClassification {
  const c = classifyTransportFailure(error, operation);
  if (stopped === undefined || c.certainlyNotCreated) return { ...c, kind: 'transport' };
  if (stopped === 'aborted') return { retryable: false, certainlyNotCreated: false, errorCode: c.errorCode, description: 'abandoned (interrupted)', kind: 'aborted' };
  return { retryable: true, certainlyNotCreated: false, errorCode: c.errorCode, description: 'no complete answer in time', kind: 'deadline' };
}
