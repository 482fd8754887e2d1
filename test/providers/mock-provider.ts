/**
 * Test helper: an undici MockAgent (no real network) standing in for one provider's host, plus
 * a config pointing at it. Replies record the request exactly as the client sent it, so tests
 * can assert on the raw path (encoding included), headers and body bytes.
 */
import { MockAgent } from 'undici';
import type { ProviderName } from '../../src/core/catalog.js';
import type { ProviderConfig } from '../../src/providers/config.js';

export const TEST_KEY = 'sk-test-4f1c9a7e2b';
export const MOCK_ORIGIN = 'http://127.0.0.1:9';

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function testConfig(provider: ProviderName, baseUrl = MOCK_ORIGIN): ProviderConfig {
  const keyVariable = { aimlapi: 'AIMLAPI_API_KEY', krea: 'KREA_API_TOKEN', novita: 'NOVITA_API_KEY' }[provider];
  return { provider, baseUrl, apiKey: TEST_KEY, keyVariable, baseUrlVariable: `${provider.toUpperCase()}_BASE_URL` };
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

export interface MockProvider {
  agent: MockAgent;
  seen: SeenRequest[];
  /** The next request to `method` answers `status` with `body` and `headers`. */
  reply(method: 'GET' | 'POST' | 'DELETE', status: number, body: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export function mockProvider(origin = MOCK_ORIGIN): MockProvider {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(origin);
  const seen: SeenRequest[] = [];
  return {
    agent,
    seen,
    reply(method, status, body, headers = {}) {
      pool.intercept({ method, path: () => true }).reply((opts) => {
        seen.push({
          method: opts.method,
          path: opts.path,
          headers: headerRecord(opts.headers),
          body: typeof opts.body === 'string' ? opts.body : opts.body === undefined || opts.body === null ? undefined : String(opts.body),
        });
        return { statusCode: status, data: body, responseOptions: { headers } };
      });
    },
    close: () => agent.close(),
  };
}
