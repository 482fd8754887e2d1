/**
 * Transport failures: the classification table, then real sockets on 127.0.0.1 showing that
 * undici's errors land in the right row (A.10: a POST that was written may have created a job).
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errors } from 'undici';
import type { ProviderConfig } from '../../src/providers/config.js';
import { createDispatcher, createProviderHttp } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import { classifyTransportFailure } from '../../src/providers/transport-errors.js';
import { ProviderError, type Operation } from '../../src/providers/types.js';
import { renderSpec } from './render-fixtures.js';
import { TEST_KEY, testConfig } from './mock-provider.js';

const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('classifyTransportFailure', () => {
  it.each<[string, unknown, Operation, { retryable: boolean; certainlyNotCreated: boolean }]>([
    ['refused, submit', coded('ECONNREFUSED'), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['refused, status (never "not created" outside a submit)', coded('ECONNREFUSED'), 'status', { retryable: true, certainlyNotCreated: false }],
    ['refused inside fetch failed', new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['refused on every address (happy eyeballs)', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['DNS failure', coded('ENOTFOUND'), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['DNS temporary failure', coded('EAI_AGAIN'), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['connect timeout', new errors.ConnectTimeoutError(), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['host unreachable', coded('EHOSTUNREACH'), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['proxy refused the tunnel', new errors.RequestAbortedError('Proxy response (502) !== 200 when HTTP Tunneling'), 'submit', { retryable: true, certainlyNotCreated: true }],
    ['bad certificate', coded('CERT_HAS_EXPIRED'), 'submit', { retryable: false, certainlyNotCreated: true }],
    ['reset after the request was written, submit', coded('ECONNRESET'), 'submit', { retryable: true, certainlyNotCreated: false }],
    ['reset, status read', coded('ECONNRESET'), 'status', { retryable: true, certainlyNotCreated: false }],
    ['socket closed by the other side', new errors.SocketError('other side closed'), 'submit', { retryable: true, certainlyNotCreated: false }],
    ['headers timeout', new errors.HeadersTimeoutError(), 'submit', { retryable: true, certainlyNotCreated: false }],
    ['body timeout', new errors.BodyTimeoutError(), 'status', { retryable: true, certainlyNotCreated: false }],
    ['broken pipe', coded('EPIPE'), 'submit', { retryable: true, certainlyNotCreated: false }],
    ['a reset among the causes wins over a refusal', new AggregateError([coded('ECONNREFUSED'), coded('ECONNRESET')]), 'submit', { retryable: true, certainlyNotCreated: false }],
    ['an unknown error is not guessed at', new Error('something else'), 'submit', { retryable: false, certainlyNotCreated: false }],
    ['not even an Error', 'boom', 'status', { retryable: false, certainlyNotCreated: false }],
  ])('%s', (_name, error, operation, expected) => {
    expect(classifyTransportFailure(error, operation)).toMatchObject(expected);
  });
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function submitTo(config: ProviderConfig, options: { requestTimeoutMs?: number } = {}): Promise<unknown> {
  const dispatcher = createDispatcher({});
  const req = adapterFor(config.provider).submitRequest(renderSpec({ provider: config.provider, model: 'wan-t2v' }));
  return createProviderHttp({ dispatcher, ...options }).send(config, 'submit', req)
    .finally(() => dispatcher.close()).catch((e: unknown) => e);
}

describe('transport failures over real sockets', () => {
  it('a POST whose connection is destroyed after it was read: the job may exist', async () => {
    let received = '';
    const url = await listen(createServer((req) => {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { received += chunk; });
      req.on('end', () => req.socket.destroy());
    }));
    const err = await submitTo(testConfig('novita', url));
    expect(received).toContain('"prompt"');
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'E_PROVIDER_TRANSPORT', operation: 'submit', httpStatus: undefined, retryable: true, certainlyNotCreated: false });
    expect(String((err as Error).message)).not.toContain(TEST_KEY);
  });

  it('a status read on a reset connection is retryable', async () => {
    const url = await listen(createServer((req) => req.socket.destroy()));
    const dispatcher = createDispatcher({});
    const err = await createProviderHttp({ dispatcher })
      .send(testConfig('krea', url), 'status', adapterFor('krea').statusRequest('j', 'kling/kling-2.5'))
      .catch((e: unknown) => e)
      .finally(() => dispatcher.close());
    expect(err).toMatchObject({ code: 'E_PROVIDER_TRANSPORT', operation: 'status', retryable: true, certainlyNotCreated: false });
  });

  it('a closed port refuses the connection: the job certainly was not created', async () => {
    const probe = createServer();
    const url = await listen(probe);
    await new Promise((r) => probe.close(r));
    servers.splice(servers.indexOf(probe), 1);
    const err = await submitTo(testConfig('aimlapi', url));
    expect(err).toMatchObject({ code: 'E_PROVIDER_TRANSPORT', retryable: true, certainlyNotCreated: true });
    expect((err as Error).message).toContain('connection refused');
  });

  it('no answer within the request timeout after the POST was sent: not certainly uncreated', async () => {
    const url = await listen(createServer(() => { /* never answers */ }));
    const err = await submitTo(testConfig('novita', url), { requestTimeoutMs: 200 });
    expect(err).toMatchObject({ code: 'E_PROVIDER_TRANSPORT', retryable: true, certainlyNotCreated: false });
  });
});

describe('proxies', () => {
  it('sends traffic for a remote host through HTTP_PROXY, and loopback traffic directly', async () => {
    const target = await listen(createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ job_id: 'j-1', status: 'queued', seenHost: req.headers.host }));
    }));
    const targetPort = Number(new URL(target).port);
    const tunnels: string[] = [];
    const proxyUrl = await listen(createServer((_req, res) => { res.statusCode = 405; res.end(); })
      .on('connect', (req, clientSocket) => {
        // A CONNECT proxy that sends every tunnel to the local target server.
        tunnels.push(req.url ?? '');
        const upstream = connect(targetPort, '127.0.0.1', () => {
          clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(clientSocket).pipe(upstream);
        });
        upstream.on('error', () => clientSocket.destroy());
        clientSocket.on('error', () => upstream.destroy());
      }));
    const dispatcher = createDispatcher({ HTTP_PROXY: proxyUrl });
    const http = createProviderHttp({ dispatcher });
    const res = await http.send(testConfig('krea', 'http://api.krea.example'), 'status', adapterFor('krea').statusRequest('j-1', 'm'));
    expect(tunnels).toEqual(['api.krea.example:80']);
    expect(JSON.parse(res.bodyText)).toMatchObject({ job_id: 'j-1', seenHost: 'api.krea.example' });
    // The emulator lives on loopback: never proxied, even with a proxy set.
    const direct = await http.send(testConfig('krea', target), 'status', adapterFor('krea').statusRequest('j-1', 'm'));
    expect(direct.status).toBe(200);
    expect(tunnels).toHaveLength(1);
    await dispatcher.close();
  });
});
