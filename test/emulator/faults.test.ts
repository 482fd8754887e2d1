/** Each fault of FaultConfig, per provider, as a client sees it on the wire. */
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { call, createPath, download, jobIdOf, pollToEnd, statusOf, statusPath, videoUrlOf, type Provider } from './helpers.js';

let em: Emulator;
// Jobs age by this clock, moved 40 ms per status read (pollToEnd's tick): a job is unfinished
// until the test reads it to its end, however busy the machine is, and no test waits.
let clockMs = Date.now();
const tick = (): void => {
  clockMs += 40;
};
const finish = (p: Provider, id: string): ReturnType<typeof pollToEnd> => pollToEnd(em, p, id, 0, 20_000, tick);
beforeEach(async () => {
  em = await startEmulator({ jobDurationMs: 120, maxVideoFrames: 4, maxVideoSide: 64, now: () => clockMs });
});
afterEach(() => em.close());

const BODIES: Record<Provider, Record<string, unknown>> = {
  aimlapi: { model: 'krea/krea-wan-14b/text-to-video', prompt: 'a dragon', num_frames: 18, seed: 1 },
  krea: { prompt: 'a fox', duration: 5 },
  novita: { prompt: 'a cat', width: 832, height: 480, seed: 1 },
};
const PROVIDERS: Provider[] = ['aimlapi', 'krea', 'novita'];

const create = (p: Provider, body: Record<string, unknown> = BODIES[p]) => call(em, 'POST', createPath(p), body);

/** Each provider's error body shape (providers.md §1.5, §6.6, §7.4). */
function expectErrorBody(p: Provider, status: number, body: unknown): void {
  if (p === 'aimlapi') expect(body).toMatchObject({ message: expect.any(String), statusCode: status, requestId: expect.any(String) });
  else if (p === 'krea') expect(body).toEqual({ error: expect.any(String) });
  else expect(body).toEqual({ code: status, reason: expect.any(String), message: expect.any(String), metadata: {} });
}

/** A finished job's result URL. */
async function finishedJob(p: Provider, body?: Record<string, unknown>): Promise<{ id: string; url: string }> {
  const id = jobIdOf(p, await create(p, body));
  const { last } = await finish(p, id);
  const url = videoUrlOf(p, last);
  if (!url) throw new Error(`no video URL: ${last.text}`);
  return { id, url };
}

describe.each(PROVIDERS)('%s', (p) => {
  it('submit429: the next N creates answer 429 with Retry-After in seconds, and create no job', async () => {
    em.setFaults(p, { submit429: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i++) {
      const r = await create(p);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('7');
      expectErrorBody(p, 429, r.body);
    }
    expect(em.log.filter((l) => l.jobId !== undefined)).toHaveLength(0);
    expect((await create(p)).status).toBe(200);
  });

  it('submit429 with an HTTP-date Retry-After', async () => {
    em.setFaults(p, { submit429: { count: 1, retryAfterSeconds: 30, retryAfterDate: true } });
    const r = await create(p);
    expect(r.status).toBe(429);
    const at = Date.parse(r.headers.get('retry-after') ?? '');
    expect(at - Date.now()).toBeGreaterThan(20_000);
    expect(at - Date.now()).toBeLessThan(31_000);
  });

  it.each([500, 502, 503, 504] as const)('submit5xx %i, then a normal create', async (status) => {
    em.setFaults(p, { submit5xx: { count: 1, status } });
    const r = await create(p);
    expect(r.status).toBe(status);
    expectErrorBody(p, status, r.body);
    expect((await create(p)).status).toBe(200);
  });

  it('submitResetAfterAccept: the socket drops, yet the job exists and finishes', async () => {
    em.setFaults(p, { submitResetAfterAccept: { count: 1 } });
    await expect(create(p)).rejects.toThrow();
    const entry = em.log.at(-1);
    expect(entry).toMatchObject({ provider: p, method: 'POST', status: 0, jobId: expect.any(String) });
    const { states } = await finish(p, entry?.jobId as string);
    expect(states.at(-1)).toMatch(/completed|succeeded|TASK_STATUS_SUCCEED/);
  });

  it('status429 / status5xx / statusReset hit the next status reads only', async () => {
    const id = jobIdOf(p, await create(p));
    em.setFaults(p, { status429: { count: 1, retryAfterSeconds: 3 }, status5xx: { count: 1, status: 502 }, statusReset: { count: 1 } });
    const limited = await call(em, 'GET', statusPath(p, id));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expectErrorBody(p, 429, limited.body);
    const bad = await call(em, 'GET', statusPath(p, id));
    expect(bad.status).toBe(502);
    expectErrorBody(p, 502, bad.body);
    await expect(call(em, 'GET', statusPath(p, id))).rejects.toThrow();
    expect(em.log.at(-1)).toMatchObject({ status: 0, jobId: id });
    const ok = await call(em, 'GET', statusPath(p, id));
    expect(ok.status).toBe(200);
  });

  it('failJob: a job whose prompt matches fails with the reason, others succeed', async () => {
    em.setFaults(p, { failJob: { reason: 'NSFW content detected', promptIncludes: 'forbidden' } });
    const bad = jobIdOf(p, await create(p, { ...BODIES[p], prompt: 'a forbidden scene' }));
    const good = jobIdOf(p, await create(p));
    const failed = await finish(p, bad);
    const fine = await finish(p, good);
    expect(statusOf(p, failed.last)).toBe(p === 'aimlapi' ? 'error' : p === 'krea' ? 'failed' : 'TASK_STATUS_FAILED');
    const reason = p === 'aimlapi' ? failed.last.body.error.message : p === 'krea' ? failed.last.body.result.error : failed.last.body.task.reason;
    expect(reason).toBe('NSFW content detected');
    expect(videoUrlOf(p, failed.last)).toBeUndefined();
    expect(videoUrlOf(p, fine.last)).toBeDefined();
  });

  it('failJob with a count: only the next N jobs fail', async () => {
    em.setFaults(p, { failJob: { reason: 'boom', count: 1 } });
    const first = await finish(p, jobIdOf(p, await create(p)));
    const second = await finish(p, jobIdOf(p, await create(p)));
    expect(videoUrlOf(p, first.last)).toBeUndefined();
    expect(videoUrlOf(p, second.last)).toBeDefined();
  });

  it('truncateDownload: half the bytes under the full Content-Length, then the connection closes', async () => {
    const { url } = await finishedJob(p);
    const whole = await download(url);
    em.setFaults(p, { truncateDownload: { count: 1 } });
    const cut = await rawGet(url);
    expect(cut.status).toBe(200);
    expect(cut.contentLength).toBe(whole.bytes.length);
    expect(cut.received).toBeLessThan(whole.bytes.length);
    expect(cut.complete).toBe(false);
    // fetch sees it as a failed body read.
    em.setFaults(p, { truncateDownload: { count: 1 } });
    await expect(download(url)).rejects.toThrow();
    expect((await download(url)).bytes.equals(whole.bytes)).toBe(true);
  });

  it.each([403, 404, 410] as const)('expireDownload %i: the URL expires, a fresh status read gives a new one', async (status) => {
    const { id, url } = await finishedJob(p);
    em.setFaults(p, { expireDownload: { count: 1, status } });
    expect((await download(url)).status).toBe(status);
    const again = await call(em, 'GET', statusPath(p, id));
    const fresh = videoUrlOf(p, again);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(url);
    const ok = await download(fresh as string);
    expect(ok.status).toBe(200);
    expect(ok.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // The expired URL stays expired.
    expect((await download(url)).status).toBe(403);
  });
});

describe('maxConcurrentJobs (Krea behaviour)', () => {
  it('answers 429 beyond the cap while jobs are unfinished, and accepts again once they finish', async () => {
    em.setFaults('krea', { maxConcurrentJobs: 2 });
    const a = await create('krea');
    const b = await create('krea');
    const c = await create('krea');
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect(c.body).toEqual({ error: 'You have reached the maximum number of concurrent jobs.' });
    await finish('krea', a.body.job_id);
    await finish('krea', b.body.job_id);
    expect((await create('krea')).status).toBe(200);
    expect(em.peakInFlight().krea).toBe(2);
  });

  it('is per provider and also works for the others', async () => {
    em.setFaults('novita', { maxConcurrentJobs: 1 });
    expect((await create('novita')).status).toBe(200);
    const second = await create('novita');
    expect(second.status).toBe(429);
    expect(second.body.reason).toBe('RATE_LIMIT_EXCEEDED');
    expect((await create('aimlapi')).status).toBe(200);
    expect((await create('krea')).status).toBe(200);
  });
});

describe('faults given at start, setFaults, the log and peakInFlight', () => {
  it('applies options.faults from the start, and setFaults replaces a provider\'s config', async () => {
    const other = await startEmulator({ jobDurationMs: 50, faults: { novita: { submit5xx: { count: 5, status: 500 } } } });
    try {
      expect((await fetch(`${other.url}/v3/async/wan-t2v`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(BODIES.novita) })).status).toBe(500);
      other.setFaults('novita', {});
      expect((await fetch(`${other.url}/v3/async/wan-t2v`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify(BODIES.novita) })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('does not change the caller\'s fault object as counters run down', async () => {
    const config = { submit429: { count: 1 } };
    em.setFaults('aimlapi', config);
    await create('aimlapi');
    expect(config.submit429.count).toBe(1);
  });

  it('counts jobs in flight from accept to terminal state, per provider and in total', async () => {
    const ids = await Promise.all([create('aimlapi'), create('aimlapi'), create('krea'), create('novita')]);
    expect(em.peakInFlight()).toEqual({ aimlapi: 2, krea: 1, novita: 1, total: 4 });
    const log = em.log.filter((l) => l.method === 'POST');
    expect(log.map((l) => l.body)).toEqual(expect.arrayContaining([BODIES.aimlapi, BODIES.krea, BODIES.novita]));
    expect(log.every((l) => typeof l.bodyText === 'string' && l.status === 200 && typeof l.jobId === 'string')).toBe(true);
    await finish('aimlapi', ids[0]?.body.id);
    await finish('aimlapi', ids[1]?.body.id);
    await finish('krea', ids[2]?.body.job_id);
    await finish('novita', ids[3]?.body.task_id);
    await create('krea');
    expect(em.log.at(-1)?.inFlight).toBe(0);
    const get = em.log.find((l) => l.method === 'GET' && l.provider === 'aimlapi');
    expect(get).toMatchObject({ path: '/v2/video/generations', query: { generation_id: ids[0]?.body.id }, body: undefined });
  });
});

/** GET with node:http, counting what arrives, to see a short body under a full Content-Length. */
function rawGet(url: string): Promise<{ status: number; contentLength: number; received: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      const done = (): void => resolve({ status: res.statusCode ?? 0, contentLength: Number(res.headers['content-length']), received, complete: res.complete });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end();
  });
}
