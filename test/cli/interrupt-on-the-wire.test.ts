/**
 * Ctrl-C (SIGINT) on a real `render` process while a status answer trickles in at 1 byte a
 * second from a hostile server on 127.0.0.1: the process exits 130 within about 2 seconds of
 * the signal, not when the answer (or its 30 s deadline) ends.
 */
import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { aimlProvider, startHostileServer, type HostileServer } from '../support/hostile-server.js';
import { waitFor, wanManifest, workspace, writeManifest } from '../engine/support/harness.js';

const bin = new URL('../../bin/render.js', import.meta.url).pathname;
let server: HostileServer | undefined;
afterAll(async () => {
  await server?.close();
});

it('SIGINT during a trickling status read: exit 130 within 2 s', async () => {
  // A byte every 50 ms of a body that lasts about a minute (valid JSON: spaces).
  server = await startHostileServer(aimlProvider({ status: () => ({ kind: 'trickle', body: `{"status":"queued"${' '.repeat(1200)}}`, intervalMs: 50 }) }), { maxMs: 20_000 });
  const dir = await workspace();
  const manifest = await writeManifest(dir, wanManifest({ count: 1 }));
  const child = spawn(process.execPath, [bin, 'run', manifest, '--no-progress', '--poll-interval', '0.05'], {
    cwd: dir,
    env: { PATH: process.env['PATH'], AIMLAPI_BASE_URL: server.url, AIMLAPI_API_KEY: 'sk-hostile-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await server.requests(2); // the POST, then the status read that trickles
  await waitFor(() => (server?.log[1]?.bytesSent ?? 0) >= 1); // its body has begun to arrive
  const signalledAt = Date.now();
  child.kill('SIGINT');
  const code = await closed;
  const ms = Date.now() - signalledAt;
  expect(server.log.map((r) => `${r.method} ${r.behaviour}`)).toEqual(['POST answer', 'GET trickle']);
  expect(code).toBe(130);
  // 2 s is the promise; the margin is for a loaded machine to schedule and reap the process.
  expect(ms).toBeLessThan(2500);
  expect(stdout).toContain('run the same command again');
}, 30_000);
