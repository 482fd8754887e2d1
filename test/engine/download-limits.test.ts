/**
 * Downloads against a hostile server on 127.0.0.1: a too-large video is refused before a byte
 * is written, a body past its announced length or the limit is cut off, a slow or silent
 * server is abandoned by the speed rule, an attempt and a render have overall deadlines.
 */
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { systemClock } from '../../src/engine/clock.js';
import { DOWNLOAD_CODES, downloadOnce, partPathOf, type DownloadLimits } from '../../src/engine/download.js';
import { fetchVideo, RenderDeadlineError } from '../../src/engine/fetch-video.js';
import { decideRead } from '../../src/engine/retry-policy.js';
import { ProviderError } from '../../src/providers/types.js';
import { startHostileServer, type Behaviour, type HostileServer } from '../support/hostile-server.js';

const MiB = 1024 * 1024;
const servers: HostileServer[] = [];
const agent = new Agent();
afterAll(async () => {
  await agent.destroy();
  await Promise.all(servers.map((s) => s.close()));
});

async function hostile(behaviour: Behaviour): Promise<HostileServer> {
  const server = await startHostileServer(() => behaviour, { maxMs: 20_000 });
  servers.push(server);
  return server;
}

async function target(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'render-dl-')), 'a.mp4');
}

async function attempt(server: HostileServer, file: string, limits: Partial<DownloadLimits> = {}) {
  const started = Date.now();
  const err = await downloadOnce({ provider: 'aimlapi', url: `${server.url}/v.mp4?sig=secret`, target: file, dispatcher: agent, limits })
    .then(() => undefined, (e: unknown) => e);
  const ms = Date.now() - started;
  await server.settled();
  return { err: err as ProviderError, ms };
}

/** The whole download with retries, as the engine runs it. */
async function fetchAll(server: HostileServer, file: string, limits: Partial<DownloadLimits>, deadlineAt?: number) {
  const retries: string[] = [];
  const started = Date.now();
  const err = await fetchVideo({
    provider: 'aimlapi', url: `${server.url}/v.mp4`, target: file, dispatcher: agent, signal: new AbortController().signal,
    clock: systemClock, random: () => 0, freshUrl: () => Promise.reject(new Error('no fresh URL in this test')),
    onRetry: (_n, _d, reason) => retries.push(reason), limits, ...(deadlineAt !== undefined ? { deadlineAt } : {}),
  }).then(() => undefined, (e: unknown) => e);
  return { err: err as Error, retries, ms: Date.now() - started };
}

describe('size limits on videos', () => {
  it('a 10 GB Content-Length is refused before a byte is written: no .part, one request, not retried', async () => {
    const server = await hostile({ kind: 'huge-length', length: 10e9 });
    const file = await target();
    const { err, retries } = await fetchAll(server, file, {});
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: DOWNLOAD_CODES.tooLarge, retryable: false });
    expect(err.message).toContain('is 10.0 GB, over the 4 GiB limit');
    expect(err.message).toContain('run render again with --max-video-size 10GB to download it');
    expect(err.message).not.toContain('secret');
    expect(retries).toEqual([]);
    expect(server.log).toHaveLength(1);
    expect(server.log[0]?.bytesSent).toBeLessThan(32 * MiB);
    expect(await readdir(join(file, '..'))).toEqual([]);
  });

  it('the limit is the caller\'s (--max-video-size): 2 MB announced, 1 MB allowed', async () => {
    const server = await hostile({ kind: 'huge-length', length: 2_000_000 });
    const file = await target();
    const { err } = await attempt(server, file, { maxVideoBytes: 1_000_000 });
    expect(err).toMatchObject({ code: DOWNLOAD_CODES.tooLarge });
    expect(err.message).toContain('is 2.0 MB, over the 1.0 MB limit');
    expect(await readdir(join(file, '..'))).toEqual([]);
  });

  it('an endless body with no length is cut off at the limit and its .part removed', async () => {
    const server = await hostile({ kind: 'endless' });
    const file = await target();
    const { err, retries } = await fetchAll(server, file, { maxVideoBytes: 2 * MiB });
    expect(err).toMatchObject({ code: DOWNLOAD_CODES.tooLarge, retryable: false });
    expect(err.message).toContain('runs past the 2 MiB limit');
    expect(retries).toEqual([]);
    expect(server.log).toHaveLength(1);
    expect(server.log[0]?.closedByClient).toBe(true);
    expect(server.log[0]?.bytesSent).toBeLessThan(2 * MiB + 32 * MiB);
    expect(await readdir(join(file, '..'))).toEqual([]);
  });

  it('a body longer than its Content-Length is never kept beyond the announced bytes', async () => {
    const server = await hostile({ kind: 'overlong', announced: 1000, sent: 500_000 });
    const file = await target();
    const { err } = await attempt(server, file);
    expect(err).toBeInstanceOf(ProviderError);
    // The announced 1000 bytes are not an MP4; what matters is that nothing past them was written.
    const left = await readdir(join(file, '..'));
    for (const name of left) expect((await stat(join(file, '..', name))).size).toBeLessThanOrEqual(1000);
  });
});

describe('deadlines on downloads', () => {
  it('a server that never answers is abandoned by the speed rule, not after minutes', async () => {
    const server = await hostile({ kind: 'silent' });
    const file = await target();
    const { err, ms } = await attempt(server, file, { minBytes: 1024, speedWindowMs: 600 });
    expect(err).toMatchObject({ code: DOWNLOAD_CODES.slow, retryable: true });
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(4000);
    expect(decideRead(err, 'download', 1, 0.5).action).toBe('retry');
  });

  it('a trickling video is abandoned by the speed rule and what arrived is kept for Range', async () => {
    const server = await hostile({ kind: 'trickle', body: 'x'.repeat(1000), intervalMs: 20 });
    const file = await target();
    const { err, ms } = await attempt(server, file, { minBytes: 16 * 1024, speedWindowMs: 500 });
    expect(err).toMatchObject({ code: DOWNLOAD_CODES.slow });
    expect(err.message).toContain('slower than 16 KiB in 0.5 s');
    expect(ms).toBeLessThan(4000);
    expect((await stat(partPathOf(file))).size).toBeGreaterThan(0);
  });

  it('an attempt fast enough for the speed rule still ends at its overall deadline', async () => {
    const server = await hostile({ kind: 'trickle', body: 'x'.repeat(100_000), intervalMs: 5 });
    const file = await target();
    const { err, ms } = await attempt(server, file, { deadlineMs: 700, minBytes: 1, speedWindowMs: 60_000 });
    expect(err).toMatchObject({ code: DOWNLOAD_CODES.deadline, retryable: true });
    expect(ms).toBeLessThan(4000);
  });

  it('the render\'s deadline ends the whole download, retries included', async () => {
    const server = await hostile({ kind: 'silent' });
    const file = await target();
    const { err, ms } = await fetchAll(server, file, { minBytes: 1024, speedWindowMs: 60_000 }, Date.now() + 800);
    expect(err).toBeInstanceOf(RenderDeadlineError);
    expect(ms).toBeLessThan(4000);
  });
});
