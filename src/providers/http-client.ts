/**
 * Sends an adapter's request to a provider: base URL, bearer key, JSON. A 2xx answer comes back
 * as a ProviderResponse; anything else is thrown as a classified ProviderError. No retries and
 * no waiting here: the engine decides what to do with the classification. Every answer has
 * the configured API keys cut out (redact.ts) before anything reads it.
 */
import { HTTP_DEFAULTS } from '../core/defaults.js';

export { HTTP_DEFAULTS };
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { Agent, EnvHttpProxyAgent, request } from './undici-parts.js';
import { RenderError } from '../core/errors.js';
import { wireBodyText, wireByteLength, type WireBody } from './body.js';
import type { ProviderConfig } from './config.js';
import { PROVIDER_ERROR_CODES } from './http-errors.js';
import { createRedactor, type Redact } from './redact.js';
import { redactAnswer } from './redact-answer.js';
import { adapterFor } from './registry.js';
import { TRANSFER_LIMITS, type TransferLimits } from './transfer-limits.js';
import { AnswerTooLargeError, readBoundedText, watchTransfer, type StopReason } from './transfer-watch.js';
import { classifyStoppedExchange } from './transport-errors.js';
import { ProviderError, type Operation, type ProviderRequest, type ProviderResponse } from './types.js';

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined;
}

/**
 * A dispatcher for provider traffic: through the proxy named by HTTPS_PROXY / HTTP_PROXY
 * (honouring NO_PROXY) when one is set, directly otherwise. `env` is passed in rather than
 * read from `process.env`, so tests and the CLI decide what it is.
 */
export function createDispatcher(env: Record<string, string | undefined>): Dispatcher {
  const agentOptions = {
    connect: { timeout: HTTP_DEFAULTS.connectTimeoutMs },
    keepAliveTimeout: HTTP_DEFAULTS.keepAliveTimeoutMs,
  };
  const httpsProxy = envValue(env, 'HTTPS_PROXY');
  const httpProxy = envValue(env, 'HTTP_PROXY');
  const noProxy = envValue(env, 'NO_PROXY');
  if (httpsProxy === undefined && httpProxy === undefined && noProxy === undefined) return new Agent(agentOptions);
  // Explicit values: EnvHttpProxyAgent would otherwise read process.env itself. An empty
  // string means "no proxy for that scheme". Loopback is never proxied: the emulator runs there.
  return new EnvHttpProxyAgent({
    ...agentOptions,
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? httpProxy ?? '',
    noProxy: noProxy?.trim() === '*' ? '*' : [noProxy, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(','),
  });
}

export interface SendOptions {
  /** Aborts the request whatever its state (Ctrl-C, the render's own deadline). */
  signal?: AbortSignal | undefined;
  /** A deadline shorter than the operation's own (e.g. the time left to the render). */
  deadlineMs?: number | undefined;
}

export interface ProviderHttp {
  /**
   * Sends `req` to the provider of `config`. For a POST, `wireBody` is the exact text to send
   * (computed by the caller with wireBodyText, or in pieces with wireBodySegments, so it can
   * hash and journal it first); without it the body is serialised here. Pieces are streamed
   * with a Content-Length, never joined: a body with an inlined video is not copied. The whole
   * exchange, answer body included, has a deadline (TRANSFER_LIMITS: submit 60 s, status 30 s)
   * and the answer is read up to a size limit.
   */
  send(config: ProviderConfig, operation: Operation, req: ProviderRequest, wireBody?: WireBody, options?: SendOptions): Promise<ProviderResponse>;
}

/** `https://host/prefix/` + `/v2/x?y` → `https://host/prefix/v2/x?y`, the path's encoding kept. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The error with its message and request id redacted. The answer it was read from is already
 * clean; this covers what render adds itself (a transport failure's description, the URL).
 */
function redactError(err: ProviderError, redact: Redact): ProviderError {
  const providerMessage = redact(err.providerMessage);
  const requestId = err.requestId === undefined ? undefined : redact(err.requestId);
  if (providerMessage === err.providerMessage && requestId === err.requestId) return err;
  return new ProviderError({
    code: err.code,
    provider: err.provider,
    operation: err.operation,
    httpStatus: err.httpStatus,
    providerMessage,
    requestId,
    retryable: err.retryable,
    certainlyNotCreated: err.certainlyNotCreated,
    retryAfterMs: err.retryAfterMs,
  });
}

/** The pieces of a wire body as bytes, one piece at a time. */
function* pieceBuffers(pieces: readonly string[]): Generator<Buffer> {
  for (const piece of pieces) if (piece.length > 0) yield Buffer.from(piece);
}

export interface ProviderHttpOptions {
  dispatcher?: Dispatcher;
  requestTimeoutMs?: number;
  /**
   * Every configured API key (all providers'), redacted from every answer besides the key of
   * the request itself: a provider could echo a key it should not even know.
   */
  secrets?: Iterable<string | undefined>;
  /** Overall deadlines per operation and the answer size limit; TRANSFER_LIMITS by default. */
  limits?: Partial<Pick<TransferLimits, 'submitDeadlineMs' | 'statusDeadlineMs' | 'maxAnswerBytes'>>;
}

/** Why an exchange ended without a usable answer, for the ProviderError. */
function failureOf(cause: unknown, operation: Operation, stopped: StopReason | undefined, deadlineMs: number) {
  if (cause instanceof AnswerTooLargeError) {
    // Like a 5xx: a status read is tried again; a submit's job may exist (indeterminate).
    return { code: PROVIDER_ERROR_CODES.tooLarge, description: cause.message, retryable: true, certainlyNotCreated: false };
  }
  const c = classifyStoppedExchange(cause, operation, stopped);
  if (c.kind === 'deadline') return { ...c, code: PROVIDER_ERROR_CODES.deadline, description: `no complete answer within ${Math.round(deadlineMs / 100) / 10} s` };
  return { ...c, code: c.kind === 'aborted' ? PROVIDER_ERROR_CODES.aborted : PROVIDER_ERROR_CODES.transport };
}

export function createProviderHttp(options: ProviderHttpOptions = {}): ProviderHttp {
  const dispatcher = options.dispatcher ?? createDispatcher({});
  const timeoutMs = options.requestTimeoutMs ?? HTTP_DEFAULTS.requestTimeoutMs;
  const limits = { ...TRANSFER_LIMITS, ...options.limits };
  const secrets = [...(options.secrets ?? [])];
  const redactors = new Map<string, Redact>();
  const redactorFor = (apiKey: string): Redact => {
    let redact = redactors.get(apiKey);
    if (!redact) {
      redact = createRedactor([...secrets, apiKey]);
      redactors.set(apiKey, redact);
    }
    return redact;
  };

  return {
    async send(config, operation, req, wireBody, sendOptions = {}) {
      const apiKey = config.apiKey;
      if (apiKey === undefined) {
        throw new RenderError('E_CONFIG', `${config.provider}: ${config.keyVariable} is not set`, {
          hint: `set ${config.keyVariable} in the environment or in .env`,
        });
      }
      const adapter = adapterFor(config.provider);
      const redact = redactorFor(apiKey);
      const url = joinUrl(config.baseUrl, req.path);
      const body = req.method === 'POST' ? (wireBody ?? (await wireBodyText(req.body ?? {}))) : undefined;
      const headers: Record<string, string> = {
        ...req.headers,
        accept: 'application/json',
        // Novita lists Content-Type as required on its GETs too; elsewhere it is harmless.
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
      };
      if (typeof body === 'object') headers['content-length'] = String(wireByteLength(body));

      const own = operation === 'submit' ? limits.submitDeadlineMs : limits.statusDeadlineMs;
      const deadlineMs = Math.min(own, sendOptions.deadlineMs ?? Infinity);
      const watch = watchTransfer(deadlineMs, sendOptions.signal);
      let raw: ProviderResponse;
      let status: number | undefined;
      try {
        const answer = await request(url, {
          method: req.method,
          headers,
          body: typeof body === 'object' ? Readable.from(pieceBuffers(body)) : (body ?? null),
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: watch.signal,
        });
        status = answer.statusCode;
        const bodyText = await readBoundedText(answer.body, limits.maxAnswerBytes, answer.headers['content-length']);
        raw = { status: answer.statusCode, headers: lowerCaseHeaders(answer.headers), bodyText };
      } catch (cause) {
        const f = failureOf(cause, operation, watch.reason(), deadlineMs);
        throw redactError(
          new ProviderError({
            code: f.code,
            provider: config.provider,
            operation,
            httpStatus: f.code === PROVIDER_ERROR_CODES.tooLarge ? status : undefined,
            providerMessage: `${f.description} (${req.method} ${url})`,
            retryable: f.retryable,
            certainlyNotCreated: f.certainlyNotCreated,
            cause,
          }),
          redact,
        );
      } finally {
        watch.done();
      }
      // Keys out before anything reads the answer: parsers, messages, records, truncation.
      const res = redactAnswer(raw, redact);
      if (res.status >= 200 && res.status < 300) return res;
      throw redactError(adapter.parseError(res, operation), redact);
    },
  };
}
