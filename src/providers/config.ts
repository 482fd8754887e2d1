/**
 * Where each provider is and which key to use: the environment first, then a `.env` file in
 * the working folder. A key is a secret: it is never part of a message, and a config object
 * prints (console.log, JSON.stringify) with its key redacted.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { RenderError } from '../core/errors.js';
import { PROVIDERS, type ProviderName } from '../core/catalog.js';
import { parseDotenv } from './dotenv.js';

export interface ProviderConfig {
  provider: ProviderName;
  /** e.g. `https://api.aimlapi.com`; may carry a path prefix; http:// works (loopback emulator). */
  baseUrl: string;
  /** undefined: not set anywhere. Never print it. */
  apiKey: string | undefined;
  /** The variable that holds the key, for messages (e.g. `AIMLAPI_API_KEY`). */
  keyVariable: string;
  /** The variable that overrides the base URL (e.g. `AIMLAPI_BASE_URL`). */
  baseUrlVariable: string;
}

interface ProviderDefaults {
  label: string;
  keyVariable: string;
  baseUrlVariable: string;
  baseUrl: string;
  /** Where a user gets a key, for the missing-key hint. */
  keyPage: string;
}

/** Defaults per provider (providers.md §0). */
export const PROVIDER_DEFAULTS: Record<ProviderName, ProviderDefaults> = {
  aimlapi: {
    label: 'AI/ML API',
    keyVariable: 'AIMLAPI_API_KEY',
    baseUrlVariable: 'AIMLAPI_BASE_URL',
    baseUrl: 'https://api.aimlapi.com',
    keyPage: 'the AI/ML API dashboard (aimlapi.com)',
  },
  krea: {
    label: 'Krea',
    keyVariable: 'KREA_API_TOKEN',
    baseUrlVariable: 'KREA_BASE_URL',
    baseUrl: 'https://api.krea.ai',
    keyPage: 'krea.ai/settings/api-tokens',
  },
  novita: {
    label: 'Novita AI',
    keyVariable: 'NOVITA_API_KEY',
    baseUrlVariable: 'NOVITA_BASE_URL',
    baseUrl: 'https://api.novita.ai',
    keyPage: 'the Novita AI dashboard (novita.ai)',
  },
};

function readDotenvFile(cwd: string): Record<string, string> {
  const file = join(cwd, '.env');
  try {
    return parseDotenv(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new RenderError('E_CONFIG', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** An empty variable counts as unset, so `KEY=` in the shell does not hide the .env value. */
function pick(name: string, env: Record<string, string | undefined>, dotenv: Record<string, string>): string | undefined {
  const fromEnv = env[name]?.trim();
  if (fromEnv) return fromEnv;
  const fromFile = dotenv[name]?.trim();
  return fromFile ? fromFile : undefined;
}

function checkBaseUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: a URL with user:password@ would leak it.
    throw new RenderError('E_CONFIG', `${variable} is not a URL`, { hint: `set ${variable} to e.g. http://127.0.0.1:8080` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RenderError('E_CONFIG', `${variable} must start with http:// or https://`);
  }
  return value;
}

function redacted(config: ProviderConfig): Record<string, unknown> {
  return { ...config, apiKey: config.apiKey === undefined ? undefined : '[redacted]' };
}

function makeConfig(fields: ProviderConfig): ProviderConfig {
  // Non-enumerable, so a spread copy stays a plain object and these never show up as fields.
  Object.defineProperty(fields, 'toJSON', { value: () => redacted(fields), enumerable: false });
  Object.defineProperty(fields, inspect.custom, { value: () => redacted(fields), enumerable: false });
  return fields;
}

/** Reads every provider's base URL and key from `env` and `<cwd>/.env`; the environment wins. */
export function readProviderConfigs(env: Record<string, string | undefined>, cwd: string): Record<ProviderName, ProviderConfig> {
  const dotenv = readDotenvFile(cwd);
  const out = {} as Record<ProviderName, ProviderConfig>;
  for (const provider of PROVIDERS) {
    const d = PROVIDER_DEFAULTS[provider];
    const baseUrl = pick(d.baseUrlVariable, env, dotenv);
    out[provider] = makeConfig({
      provider,
      baseUrl: baseUrl === undefined ? d.baseUrl : checkBaseUrl(baseUrl, d.baseUrlVariable),
      apiKey: pick(d.keyVariable, env, dotenv),
      keyVariable: d.keyVariable,
      baseUrlVariable: d.baseUrlVariable,
    });
  }
  return out;
}

/**
 * Stops a run before anything is submitted when a provider it needs has no key. Names every
 * missing variable at once (exit 2 via E_CONFIG).
 */
export function requireKeys(configs: Record<ProviderName, ProviderConfig>, providers: Iterable<ProviderName>): void {
  const missing = [...new Set(providers)].filter((p) => configs[p].apiKey === undefined).sort();
  if (missing.length === 0) return;
  const variables = missing.map((p) => configs[p].keyVariable);
  const lines = missing.map((p) => `${configs[p].keyVariable} (${PROVIDER_DEFAULTS[p].label}; get one at ${PROVIDER_DEFAULTS[p].keyPage})`);
  throw new RenderError(
    'E_CONFIG',
    `missing API key${missing.length === 1 ? '' : 's'}: ${lines.join(', ')}; nothing was submitted`,
    {
      hint:
        `set ${variables.join(' and ')} in the environment (export ${variables[0]}=...) or in a .env file ` +
        `in the working folder (${variables[0]}=...); or try render --emulate without keys`,
    },
  );
}
