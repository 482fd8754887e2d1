/** Provider configuration: environment, .env, defaults, and keys that never leak. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RenderError } from '../../src/core/errors.js';
import { readProviderConfigs, requireKeys } from '../../src/providers/config.js';

const dirs: string[] = [];
function folder(dotenv?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'render-config-'));
  dirs.push(dir);
  if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'sk-live-9d8e7f6a5b4c3d2e1f';

describe('readProviderConfigs', () => {
  it('uses the real hosts and no keys when nothing is set', () => {
    const c = readProviderConfigs({}, folder());
    expect(c.aimlapi).toMatchObject({ provider: 'aimlapi', baseUrl: 'https://api.aimlapi.com', apiKey: undefined, keyVariable: 'AIMLAPI_API_KEY', baseUrlVariable: 'AIMLAPI_BASE_URL' });
    expect(c.krea).toMatchObject({ baseUrl: 'https://api.krea.ai', apiKey: undefined, keyVariable: 'KREA_API_TOKEN', baseUrlVariable: 'KREA_BASE_URL' });
    expect(c.novita).toMatchObject({ baseUrl: 'https://api.novita.ai', apiKey: undefined, keyVariable: 'NOVITA_API_KEY', baseUrlVariable: 'NOVITA_BASE_URL' });
  });

  it('reads keys and base URLs from the environment, http:// included', () => {
    const c = readProviderConfigs({
      AIMLAPI_API_KEY: 'a-key', KREA_API_TOKEN: 'k-key', NOVITA_API_KEY: 'n-key',
      AIMLAPI_BASE_URL: 'http://127.0.0.1:4010/aimlapi', KREA_BASE_URL: 'http://127.0.0.1:4010/', NOVITA_BASE_URL: 'http://localhost:4010',
    }, folder());
    expect([c.aimlapi.apiKey, c.krea.apiKey, c.novita.apiKey]).toEqual(['a-key', 'k-key', 'n-key']);
    expect([c.aimlapi.baseUrl, c.krea.baseUrl, c.novita.baseUrl]).toEqual(['http://127.0.0.1:4010/aimlapi', 'http://127.0.0.1:4010/', 'http://localhost:4010']);
  });

  it('reads a .env file in the working folder; the environment wins; an empty variable does not hide .env', () => {
    const dir = folder([
      '# keys for render',
      'AIMLAPI_API_KEY="from-file-a"',
      "KREA_API_TOKEN='from-file-k'",
      'NOVITA_API_KEY=from-file-n # trailing comment',
      'NOVITA_BASE_URL=http://127.0.0.1:5000',
    ].join('\n'));
    const c = readProviderConfigs({ KREA_API_TOKEN: 'from-env-k', AIMLAPI_API_KEY: '' }, dir);
    expect(c.aimlapi.apiKey).toBe('from-file-a');
    expect(c.krea.apiKey).toBe('from-env-k');
    expect(c.novita.apiKey).toBe('from-file-n');
    expect(c.novita.baseUrl).toBe('http://127.0.0.1:5000');
  });

  it.each([
    ['not a URL', 'api.krea.ai', 'KREA_BASE_URL is not a URL'],
    ['another scheme', 'ftp://api.krea.ai', 'KREA_BASE_URL must start with http:// or https://'],
  ])('rejects a base URL that is %s, without echoing it', (_name, value, message) => {
    const err = (() => { try { readProviderConfigs({ KREA_BASE_URL: value }, folder()); } catch (e) { return e; } return undefined; })();
    expect(err).toBeInstanceOf(RenderError);
    expect(err).toMatchObject({ code: 'E_CONFIG', message });
  });

  it('prints a config without its key', () => {
    const c = readProviderConfigs({ NOVITA_API_KEY: SECRET }, folder());
    expect(c.novita.apiKey).toBe(SECRET);
    expect(JSON.stringify(c)).not.toContain(SECRET);
    expect(inspect(c, { depth: 5 })).not.toContain(SECRET);
    expect(`${JSON.stringify(c.novita)}`).toContain('[redacted]');
    // A spread copy is still a usable config.
    expect({ ...c.novita }.apiKey).toBe(SECRET);
  });
});

describe('requireKeys', () => {
  function failure(env: Record<string, string>, providers: Array<'aimlapi' | 'krea' | 'novita'>): RenderError | undefined {
    try {
      requireKeys(readProviderConfigs(env, folder()), providers);
    } catch (err) {
      if (err instanceof RenderError) return err;
      throw err;
    }
    return undefined;
  }

  it('passes when every needed provider has a key, ignoring the others', () => {
    expect(failure({ KREA_API_TOKEN: SECRET }, ['krea', 'krea'])).toBeUndefined();
    expect(failure({}, [])).toBeUndefined();
  });

  it('names every missing variable and how to set it, and never a key', () => {
    const err = failure({ KREA_API_TOKEN: SECRET }, ['novita', 'krea', 'aimlapi']);
    expect(err?.code).toBe('E_CONFIG');
    expect(err?.message).toContain('AIMLAPI_API_KEY');
    expect(err?.message).toContain('NOVITA_API_KEY');
    expect(err?.message).not.toContain('KREA_API_TOKEN');
    expect(err?.hint).toContain('export AIMLAPI_API_KEY=');
    expect(err?.hint).toContain('.env');
    expect(`${err?.message} ${err?.hint} ${String(err)} ${err?.stack}`).not.toContain(SECRET);
  });
});
