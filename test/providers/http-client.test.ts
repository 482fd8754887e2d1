/** What createProviderHttp puts on the wire: URL, headers, body bytes. */
import { describe, expect, it } from 'vitest';
import { Agent, EnvHttpProxyAgent, MockAgent } from 'undici';
import { wireBodyText } from '../../src/providers/body.js';
import { createDispatcher, createProviderHttp, joinUrl } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import { renderSpec } from './render-fixtures.js';
import { MOCK_ORIGIN, mockProvider, TEST_KEY, testConfig } from './mock-provider.js';

describe('joinUrl', () => {
  it.each([
    ['https://api.aimlapi.com', '/v2/video/generations', 'https://api.aimlapi.com/v2/video/generations'],
    ['https://api.aimlapi.com/', '/v2/video/generations', 'https://api.aimlapi.com/v2/video/generations'],
    ['http://127.0.0.1:8080/aimlapi', '/v2/x?generation_id=a%3Ab', 'http://127.0.0.1:8080/aimlapi/v2/x?generation_id=a%3Ab'],
    ['http://127.0.0.1:8080/krea//', 'jobs/1', 'http://127.0.0.1:8080/krea/jobs/1'],
  ])('%s + %s', (base, path, expected) => {
    expect(joinUrl(base, path)).toBe(expected);
  });
});

describe('createProviderHttp', () => {
  it('posts the given wire body with bearer auth and JSON headers, under a base path prefix', async () => {
    const mock = mockProvider();
    mock.reply('POST', 200, '{"job_id": "j1", "status": "queued"}');
    const req = adapterFor('krea').submitRequest(renderSpec({ provider: 'krea', model: 'kling/kling-2.5', seed: null }));
    const wire = await wireBodyText(req.body ?? {});
    const res = await createProviderHttp({ dispatcher: mock.agent })
      .send(testConfig('krea', 'http://127.0.0.1:9/proxy/krea/'), 'submit', req, wire);
    await mock.close();
    expect(res.status).toBe(200);
    expect(mock.seen).toHaveLength(1);
    const [seen] = mock.seen;
    expect(seen?.path).toBe('/proxy/krea/generate/video/kling/kling-2.5');
    expect(seen?.body).toBe(wire);
    expect(seen?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(seen?.headers['content-type']).toBe('application/json');
  });

  it('serialises the body itself when no wire body is given', async () => {
    const mock = mockProvider();
    mock.reply('POST', 200, '{"task_id": "t"}');
    const req = adapterFor('novita').submitRequest(renderSpec({ provider: 'novita', model: 'wan-t2v', seed: 3, params: { width: 832 } }));
    await createProviderHttp({ dispatcher: mock.agent }).send(testConfig('novita'), 'submit', req);
    await mock.close();
    expect(mock.seen[0]?.body).toBe('{"prompt":"a lighthouse at dusk, waves","width":832,"seed":3}');
  });

  it('returns lower-cased headers and the raw text of a 2xx answer', async () => {
    const mock = mockProvider();
    mock.reply('GET', 200, '{"id":"a","status":"queued"}', { 'X-Inference-Id': 'abc' });
    const res = await createProviderHttp({ dispatcher: mock.agent })
      .send(testConfig('aimlapi'), 'status', adapterFor('aimlapi').statusRequest('a', 'm'));
    await mock.close();
    expect(res).toMatchObject({ status: 200, bodyText: '{"id":"a","status":"queued"}' });
    expect(res.headers['x-inference-id']).toBe('abc');
  });

  it('refuses to send without a key, naming the variable and not the key', async () => {
    const config = { ...testConfig('novita'), apiKey: undefined };
    await expect(createProviderHttp({ dispatcher: mockProvider().agent })
      .send(config, 'status', adapterFor('novita').statusRequest('t', 'wan-t2v')))
      .rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('NOVITA_API_KEY') });
  });
});

describe('createProviderHttp: keys in answers', () => {
  const OTHER_KEY = 'kr-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

  /** Whether any 8 characters of `key` are in `text`. */
  const holdsPiece = (text: string, key: string): boolean =>
    Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8)).some((p) => text.includes(p));

  it('cuts every configured key out of a 2xx answer\'s body and headers before anything reads them', async () => {
    const mock = mockProvider();
    mock.reply('GET', 200, `{"id":"a","status":"queued","note":"${OTHER_KEY} ${TEST_KEY}"}`, { 'X-Inference-Id': OTHER_KEY.slice(2, 20) });
    const res = await createProviderHttp({ dispatcher: mock.agent, secrets: [OTHER_KEY, undefined] })
      .send(testConfig('aimlapi'), 'status', adapterFor('aimlapi').statusRequest('a', 'm'));
    await mock.close();
    expect(res.bodyText).toBe('{"id":"a","status":"queued","note":"[redacted] [redacted]"}');
    expect(res.headers['x-inference-id']).toBe('[redacted]');
  });

  it('redacts an error body before it is cut to 500 characters', async () => {
    const mock = mockProvider();
    // Cut first, the key would start 10 characters before the cut and show them.
    mock.reply('POST', 502, `<html>${'x'.repeat(484)}${TEST_KEY}</html>`, { 'x-request-id': TEST_KEY });
    const req = adapterFor('aimlapi').submitRequest(renderSpec({ provider: 'aimlapi', model: 'krea/krea-wan-14b/text-to-video', seed: 7 }));
    const err = await createProviderHttp({ dispatcher: mock.agent }).send(testConfig('aimlapi'), 'submit', req).catch((e: unknown) => e);
    await mock.close();
    expect(err).toMatchObject({ code: 'E_PROVIDER_HTTP', httpStatus: 502, requestId: '[redacted]' });
    const message = (err as Error).message;
    expect(message).toContain(`${'x'.repeat(484)}[redacted]…`);
    expect(holdsPiece(message, TEST_KEY)).toBe(false);
  });

  it('redacts a transport failure\'s description', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get(MOCK_ORIGIN).intercept({ method: 'GET', path: () => true }).replyWithError(new Error(`socket said ${TEST_KEY.toUpperCase()}`));
    const err = await createProviderHttp({ dispatcher: agent })
      .send(testConfig('novita'), 'status', adapterFor('novita').statusRequest('t', 'wan-t2v')).catch((e: unknown) => e);
    await agent.close();
    expect(err).toMatchObject({ code: 'E_PROVIDER_TRANSPORT', providerMessage: expect.stringContaining('socket said [redacted]') });
    expect(holdsPiece((err as Error).message.toLowerCase(), TEST_KEY)).toBe(false);
  });
});

describe('createDispatcher', () => {
  it('connects directly without proxy variables, through EnvHttpProxyAgent with them', async () => {
    const direct = createDispatcher({});
    expect(direct).toBeInstanceOf(Agent);
    const proxied = createDispatcher({ HTTPS_PROXY: 'http://127.0.0.1:3128', NO_PROXY: 'internal.example' });
    expect(proxied).toBeInstanceOf(EnvHttpProxyAgent);
    const lower = createDispatcher({ https_proxy: 'http://127.0.0.1:3128' });
    expect(lower).toBeInstanceOf(EnvHttpProxyAgent);
    await Promise.all([direct.close(), proxied.close(), lower.close()]);
  });
});
