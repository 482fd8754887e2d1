/**
 * The parts of undici render uses (an Agent, the proxy agent, `request`, the redirect
 * interceptor), required one by one instead of through undici's index. The index also loads
 * fetch, WebSocket, EventSource, the caches and the mocks, and through them Node's own bundled
 * copy of undici: about 100 ms of a command's start, spent before its first submit, on code
 * render never calls.
 *
 * The paths are those of the undici version package.json pins exactly; a version that moves
 * them fails test/providers/undici-parts.test.ts, which checks each part is the one the index
 * exports. Types come from the package itself.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);
const part = <T>(path: string): T => require(`undici/lib/${path}`) as T;

const Dispatcher = part<typeof Undici.Dispatcher>('dispatcher/dispatcher.js');
// What undici's index does: the request/stream/pipeline/upgrade/connect methods on every
// dispatcher (the proxy agent's tunnel is made with connect()).
Object.assign(Dispatcher.prototype, part<object>('api/index.js'));

export const Agent = part<typeof Undici.Agent>('dispatcher/agent.js');
export const EnvHttpProxyAgent = part<typeof Undici.EnvHttpProxyAgent>('dispatcher/env-http-proxy-agent.js');
export const redirectInterceptor = part<typeof Undici.interceptors.redirect>('interceptor/redirect.js');

const { parseURL } = part<{ parseURL(url: string): URL }>('core/util.js');

type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  dispatcher: Undici.Dispatcher;
  method?: Undici.Dispatcher.HttpMethod;
};

/**
 * undici's `request(url, options)` for a dispatcher render gives: the URL is checked as undici
 * checks it (http or https, a valid origin) and split into origin and path.
 */
export function request(url: string, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const parsed = parseURL(url);
  const { dispatcher, ...rest } = options;
  return dispatcher.request({
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method ?? (rest.body ? 'PUT' : 'GET'),
  });
}
