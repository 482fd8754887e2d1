/**
 * `forgetJobs`: a job the provider forgot. Its status reads then answer exactly as each provider
 * answers an id it never issued (providers.md §1.5, §6.4/§6.6, §7.4), and its result URL is gone.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { call, createPath, download, jobIdOf, statusOf, statusPath, videoUrlOf, type Answer, type Provider } from './helpers.js';

const BODIES: Record<Provider, Record<string, unknown>> = {
  aimlapi: { model: 'krea/krea-wan-14b/text-to-video', prompt: 'forget me', num_frames: 18, seed: 3 },
  krea: { prompt: 'forget me' },
  novita: { prompt: 'forget me', seed: 3 },
};
/** An id of the provider's own form that it never issued. */
const NEVER_ISSUED: Record<Provider, () => string> = {
  aimlapi: () => `${randomUUID()}:krea/krea-wan-14b/text-to-video`,
  krea: () => randomUUID(),
  novita: () => randomUUID(),
};
/** Each provider's documented unknown-job answer. */
const NOT_FOUND_BODY: Record<Provider, unknown> = {
  aimlapi: { message: expect.any(String), path: '/v2/video/generations', requestId: expect.any(String), statusCode: 404, timestamp: expect.any(String) },
  krea: { error: expect.any(String) },
  novita: { code: 404, reason: 'TASK_NOT_FOUND', message: expect.any(String), metadata: {} },
};
const PROVIDERS = ['aimlapi', 'krea', 'novita'] as const;

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ jobDurationMs: 0, maxVideoFrames: 3, maxVideoSide: 64 });
});
afterAll(() => em.close());

async function createJob(p: Provider, on: Emulator = em): Promise<string> {
  const created = await call(on, 'POST', createPath(p), BODIES[p]);
  expect(created.status).toBe(200);
  return jobIdOf(p, created);
}

/** What of an answer must be the same for two unknown ids (AI/ML API's request id and time differ by nature). */
function comparable(p: Provider, a: Answer): unknown {
  const { requestId: _r, timestamp: _t, ...rest } = a.body as Record<string, unknown>;
  return { status: a.status, type: a.headers.get('content-type'), inference: a.headers.get('x-inference-id'), body: p === 'aimlapi' ? rest : a.body };
}

describe('forgetJobs', () => {
  it.each(PROVIDERS)('%s: a forgotten job answers as an id never issued, and its result URL answers 404', async (p) => {
    const id = await createJob(p);
    const known = await call(em, 'GET', statusPath(p, id));
    expect(known.status).toBe(200);
    const url = videoUrlOf(p, known);
    expect((await download(url!)).status).toBe(200);

    expect(em.forgetJobs({ ids: [id] })).toEqual([id]);
    const forgotten = await call(em, 'GET', statusPath(p, id));
    const unknown = await call(em, 'GET', statusPath(p, NEVER_ISSUED[p]()));
    expect(forgotten.status).toBe(404);
    expect(forgotten.body).toEqual(NOT_FOUND_BODY[p]);
    expect(comparable(p, forgotten)).toEqual(comparable(p, unknown));
    expect((await download(url!)).status).toBe(404);
    // The request log shows the read as one of no job, like any unknown id.
    expect(em.log.at(-3)).toMatchObject({ provider: p, status: 404 });
    expect(em.log.at(-3)?.jobId).toBeUndefined();
  });

  it('forgets only the provider asked for, and returns the ids it forgot', async () => {
    const ids = { aimlapi: await createJob('aimlapi'), krea: await createJob('krea'), novita: await createJob('novita') };
    expect(em.forgetJobs({ provider: 'krea', ids: [ids.krea, ids.novita] })).toEqual([ids.krea]);
    expect((await call(em, 'GET', statusPath('krea', ids.krea))).status).toBe(404);
    for (const p of ['aimlapi', 'novita'] as const) expect(statusOf(p, await call(em, 'GET', statusPath(p, ids[p])))).toMatch(/completed|SUCCEED/);
    expect(em.forgetJobs({ ids: [ids.krea] })).toEqual([]);
  });

  it('a job forgotten while rendering no longer holds a slot of the concurrency cap', async () => {
    const slow = await startEmulator({ jobDurationMs: 3_600_000, faults: { krea: { maxConcurrentJobs: 1 } } });
    try {
      const first = await createJob('krea', slow);
      expect((await call(slow, 'POST', createPath('krea'), BODIES.krea)).status).toBe(429);
      slow.forgetJobs({ ids: [first] });
      expect((await call(slow, 'POST', createPath('krea'), BODIES.krea)).status).toBe(200);
      expect(slow.log.at(-1)?.inFlight).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('with a state folder, a forgotten job stays forgotten in the next emulator', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emustate-'));
    const first = await startEmulator({ stateDir: dir, jobDurationMs: 0, maxVideoFrames: 3, maxVideoSide: 64 });
    let lost: string;
    let kept: string;
    try {
      lost = await createJob('novita', first);
      kept = await createJob('novita', first);
      expect(first.forgetJobs({ ids: [lost] })).toEqual([lost]);
    } finally {
      await first.close();
    }
    const second = await startEmulator({ stateDir: dir, jobDurationMs: 0, maxVideoFrames: 3, maxVideoSide: 64 });
    try {
      const gone = await call(second, 'GET', statusPath('novita', lost));
      expect([gone.status, gone.body.reason]).toEqual([404, 'TASK_NOT_FOUND']);
      expect(statusOf('novita', await call(second, 'GET', statusPath('novita', kept)))).toBe('TASK_STATUS_SUCCEED');
    } finally {
      await second.close();
    }
  });
});
