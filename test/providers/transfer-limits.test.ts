/**
 * Submits and status reads against a hostile server on 127.0.0.1: every exchange ends within
 * its deadline whatever the server does, an answer is read up to the size limit and no
 * further, and the classification tells the engine what to do next.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher, createProviderHttp, type ProviderHttpOptions, type SendOptions } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import { parseSize, formatSize, TRANSFER_LIMITS } from '../../src/providers/transfer-limits.js';
import { classifyStoppedExchange } from '../../src/providers/transport-errors.js';
import { ProviderError, type Operation } from '../../src/providers/types.js';
import { decideRead, decideSubmit } from '../../src/engine/retry-policy.js';
import { startHostileServer, type Behaviour, type HostileServer } from '../support/hostile-server.js';
import { renderSpec } from './render-fixtures.js';
import { TEST_KEY, testConfig } from './mock-provider.js';
import { waitFor } from '../engine/support/harness.js';

const MiB = 1024 * 1024;
const servers: HostileServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function hostile(behaviour: Behaviour): Promise<HostileServer> {
  const server = await startHostileServer(() => behaviour, { maxMs: 20_000 });
  servers.push(server);
  return server;
}

/** Sends one aimlapi submit or status read to `server`; returns the error and the wall time. */
async function exchange(server: HostileServer, operation: Exclude<Operation, 'download'>, options: ProviderHttpOptions = {}, send: SendOptions = {}) {
  const dispatcher = createDispatcher({});
  const adapter = adapterFor('aimlapi');
  const req = operation === 'submit'
    ? adapter.submitRequest(renderSpec({ provider: 'aimlapi', model: 'krea/krea-wan-14b/text-to-video' }))
    : adapter.statusRequest('gen-1', 'krea/krea-wan-14b/text-to-video');
  const started = Date.now();
  const err = await createProviderHttp({ dispatcher, ...options })
    .send(testConfig('aimlapi', server.url), operation, req, undefined, send)
    .then(() => undefined, (e: unknown) => e);
  const ms = Date.now() - started;
  await dispatcher.destroy();
  await server.settled();
  return { err: err as ProviderError, ms };
}

describe('deadlines on submits and status reads', () => {
  it('a status answer trickling at 1 byte/s is abandoned at its deadline and retried', async () => {
    const server = await hostile({ kind: 'trickle', body: `{"status":"queued","pad":"${'x'.repeat(200)}"}` });
    const { err, ms } = await exchange(server, 'status', { limits: { statusDeadlineMs: 1500 } });
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'E_PROVIDER_DEADLINE', operation: 'status', retryable: true });
    expect(err.message).toContain('no complete answer within 1.5 s');
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(5000);
    expect(server.log[0]).toMatchObject({ closedByClient: true });
    expect(server.log[0]?.bytesSent).toBeLessThan(10);
    expect(decideRead(err, 'status', 1, 0.5).action).toBe('retry');
  });

  it('a submit that is never answered ends at its deadline as indeterminate, never resent', async () => {
    const server = await hostile({ kind: 'silent' });
    const { err, ms } = await exchange(server, 'submit', { limits: { submitDeadlineMs: 1000 } });
    expect(server.log.map((r) => r.method)).toEqual(['POST']);
    expect(err).toMatchObject({ code: 'E_PROVIDER_DEADLINE', operation: 'submit', certainlyNotCreated: false });
    expect(ms).toBeLessThan(5000);
    expect(decideSubmit(err, 1, 0.5).action).toBe('indeterminate');
    expect(err.message).not.toContain(TEST_KEY);
  });

  it('the caller\'s shorter deadline (the render\'s --timeout) wins over the operation\'s', async () => {
    const server = await hostile({ kind: 'trickle' });
    const { err, ms } = await exchange(server, 'status', {}, { deadlineMs: 800 });
    expect(err).toMatchObject({ code: 'E_PROVIDER_DEADLINE' });
    expect(ms).toBeLessThan(4000);
  });

  it('Ctrl-C (the signal aborts) during a trickling status read returns within 2 s, default deadlines', async () => {
    // A byte every 50 ms of a body that lasts about a minute; Ctrl-C once the body has begun.
    const server = await hostile({ kind: 'trickle', body: `{"status":"queued"${' '.repeat(1200)}}`, intervalMs: 50 });
    const controller = new AbortController();
    void server.requests(1).then(() => waitFor(() => (server.log[0]?.bytesSent ?? 0) >= 1)).then(() => controller.abort());
    const { err, ms } = await exchange(server, 'status', {}, { signal: controller.signal });
    expect(TRANSFER_LIMITS.statusDeadlineMs).toBeGreaterThan(10_000); // the deadline did not end it
    expect(err).toMatchObject({ code: 'E_PROVIDER_ABORTED', retryable: false });
    expect(ms).toBeLessThan(2000);
    expect(server.log[0]?.closedByClient).toBe(true);
  });
});

describe('classifyStoppedExchange', () => {
  const coded = (code: string): Error => Object.assign(new Error(code), { code });
  const abortedByUs = Object.assign(new Error('Request aborted'), { code: 'UND_ERR_ABORTED' });
  it.each([
    ['deadline on a submit: the job may exist', abortedByUs, 'submit', 'deadline', { kind: 'deadline', retryable: true, certainlyNotCreated: false }],
    ['deadline on a status read: retried', abortedByUs, 'status', 'deadline', { kind: 'deadline', retryable: true, certainlyNotCreated: false }],
    ['deadline while the connect timed out: never sent, retried', coded('UND_ERR_CONNECT_TIMEOUT'), 'submit', 'deadline', { kind: 'transport', retryable: true, certainlyNotCreated: true }],
    ['deadline while refused: never sent', coded('ECONNREFUSED'), 'submit', 'deadline', { kind: 'transport', certainlyNotCreated: true }],
    ['interrupted (Ctrl-C) on a submit: may exist, not retried', abortedByUs, 'submit', 'aborted', { kind: 'aborted', retryable: false, certainlyNotCreated: false }],
    ['not stopped by render: the plain classification', coded('ECONNRESET'), 'status', undefined, { kind: 'transport', retryable: true, certainlyNotCreated: false }],
  ] as const)('%s', (_name, error, operation, stopped, expected) => {
    expect(classifyStoppedExchange(error, operation, stopped)).toMatchObject(expected);
  });
});

describe('size limits on answers', () => {
  it('an endless JSON status answer is cut at the limit: bounded bytes read, retried like a 5xx', async () => {
    const server = await hostile({ kind: 'huge-json' });
    const heapBefore = process.memoryUsage().heapUsed;
    const { err } = await exchange(server, 'status');
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(err).toMatchObject({ code: 'E_ANSWER_TOO_LARGE', httpStatus: 200, retryable: true });
    expect(err.message).toContain('larger than the 4 MiB');
    // The server stopped within the limit plus what the sockets buffer, not 1.5 GB later.
    expect(server.log[0]?.closedByClient).toBe(true);
    expect(server.log[0]?.bytesSent).toBeGreaterThan(TRANSFER_LIMITS.maxAnswerBytes);
    expect(server.log[0]?.bytesSent).toBeLessThan(TRANSFER_LIMITS.maxAnswerBytes + 32 * MiB);
    expect(heapGrowth).toBeLessThan(16 * MiB);
    expect(decideRead(err, 'status', 1, 0.5).action).toBe('retry');
  });

  it('a status answer announcing 10 GB is refused from its Content-Length, unread', async () => {
    const server = await hostile({ kind: 'huge-length', length: 10e9 });
    const { err } = await exchange(server, 'status');
    expect(err).toMatchObject({ code: 'E_ANSWER_TOO_LARGE', retryable: true });
    expect(err.message).toContain('answer of 10.0 GB');
    expect(server.log[0]?.bytesSent).toBeLessThan(32 * MiB);
  });

  it('an endless error body (HTTP 500) is cut at the limit too', async () => {
    const server = await hostile({ kind: 'endless', status: 500 });
    const { err } = await exchange(server, 'status', { limits: { maxAnswerBytes: 64 * 1024 } });
    expect(err).toMatchObject({ code: 'E_ANSWER_TOO_LARGE', httpStatus: 500 });
    expect(server.log[0]?.bytesSent).toBeLessThan(32 * MiB);
  });

  it('a submit whose answer is too large is indeterminate (the job may exist), even with a 4xx status', async () => {
    const server = await hostile({ kind: 'endless', status: 400, prefix: '{"message":"' });
    const { err } = await exchange(server, 'submit', { limits: { maxAnswerBytes: 64 * 1024 } });
    expect(err).toMatchObject({ code: 'E_ANSWER_TOO_LARGE', httpStatus: 400, certainlyNotCreated: false });
    expect(decideSubmit(err, 1, 0.5).action).toBe('indeterminate');
  });

  it('an answer within the limit is read whole', async () => {
    const body = JSON.stringify({ id: 'gen-1', status: 'queued', pad: 'y'.repeat(100_000) });
    const server = await hostile({ kind: 'answer', body, headers: { 'content-type': 'application/json' } });
    const dispatcher = createDispatcher({});
    const res = await createProviderHttp({ dispatcher })
      .send(testConfig('aimlapi', server.url), 'status', adapterFor('aimlapi').statusRequest('gen-1', 'm'));
    await dispatcher.destroy();
    expect(res.bodyText).toBe(body);
  });
});

describe('parseSize / formatSize', () => {
  it.each([
    ['500MB', 500e6], ['2GiB', 2 * 1024 ** 3], ['1.5 GB', 1.5e9], ['1048576', 1048576], ['64k', 65536], ['4gib', 4 * 1024 ** 3],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'lots', '-1GB', '0', '5 parsecs', '1e9'])('%j is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  it('formats sizes for messages', () => {
    expect(formatSize(TRANSFER_LIMITS.maxVideoBytes)).toBe('4 GiB');
    expect(formatSize(10e9)).toBe('10.0 GB');
    expect(formatSize(2_500_000)).toBe('2.5 MB');
  });
});
