import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { Agent, EnvHttpProxyAgent, redirectInterceptor } from '../../src/providers/undici-parts.js';

const parts = new URL('../../dist/providers/undici-parts.js', import.meta.url).href;

/**
 * Run in a process of its own, where nothing loads undici's index: a request through a redirect,
 * and one through a CONNECT proxy (the proxy agent's tunnel needs the methods the index would
 * otherwise put on every dispatcher).
 */
const CHILD = `
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
const { Agent, EnvHttpProxyAgent, redirectInterceptor, request } = await import(${JSON.stringify(parts)});
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const target = createServer((req, res) => {
  if (req.url === '/old') { res.writeHead(302, { location: '/new?x=1' }); res.end(); return; }
  res.end('at ' + req.url);
});
const targetPort = await listen(target);
const proxy = createServer((_req, res) => { res.statusCode = 405; res.end(); });
let tunnels = 0;
proxy.on('connect', (_req, socket) => {
  tunnels += 1;
  const upstream = connect(targetPort, '127.0.0.1', () => { socket.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n'); upstream.pipe(socket); socket.pipe(upstream); });
});
const proxyPort = await listen(proxy);
const direct = new Agent({}).compose(redirectInterceptor({ maxRedirections: 5 }));
const a = await request('http://127.0.0.1:' + targetPort + '/old', { dispatcher: direct, method: 'GET' });
const viaProxy = new EnvHttpProxyAgent({ httpProxy: 'http://127.0.0.1:' + proxyPort, httpsProxy: 'http://127.0.0.1:' + proxyPort, noProxy: '' });
const b = await request('http://render-test.invalid:' + targetPort + '/p', { dispatcher: viaProxy });
let refused = '';
try { await request('ftp://127.0.0.1/x', { dispatcher: direct }); } catch (err) { refused = err.code; }
const require = createRequire(import.meta.url);
console.log(JSON.stringify({
  redirected: [a.statusCode, await a.body.text()],
  proxied: [b.statusCode, await b.body.text(), tunnels],
  refused,
  indexLoaded: Object.keys(require.cache).some((k) => /undici[\\\\/]index\\.js$/.test(k)),
}));
process.exit(0);
`;

describe("undici's parts, required one by one", () => {
  it('are the very classes and functions undici exports (a version that moves them fails here)', () => {
    expect(Agent).toBe(undici.Agent);
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
    expect(redirectInterceptor).toBe(undici.interceptors.redirect);
  });

  it("work without undici's index: a redirect is followed, a proxy tunnel is made, a non-HTTP URL is refused", () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(JSON.parse(out)).toEqual({
      redirected: [200, 'at /new?x=1'],
      proxied: [200, 'at /p', 1],
      refused: 'UND_ERR_INVALID_ARG',
      indexLoaded: false,
    });
  });
});
