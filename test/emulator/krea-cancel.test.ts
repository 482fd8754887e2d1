/** The emulated Krea `DELETE /jobs/{id}`: queued or processing jobs are cancelled, others refused. */
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { call, createPath, jobIdOf } from './helpers.js';

const KLING = { prompt: 'a kite over the dunes', duration: 5, aspect_ratio: '16:9' };

async function withEmu<T>(jobDurationMs: number, fn: (em: Emulator) => Promise<T>): Promise<T> {
  const em = await startEmulator({ jobDurationMs, queuedFraction: 0.5, maxVideoFrames: 12 });
  try {
    return await fn(em);
  } finally {
    await em.close();
  }
}

describe('emulated Krea cancel', () => {
  it('cancels a queued job: the answer and later status reads say cancelled, and it stops counting in flight', async () => {
    await withEmu(60_000, async (em) => {
      const id = jobIdOf('krea', await call(em, 'POST', createPath('krea'), KLING));
      const cancelled = await call(em, 'DELETE', `/jobs/${id}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ job_id: id, status: 'cancelled', result: null });
      expect(typeof cancelled.body.completed_at).toBe('string');

      const read = await call(em, 'GET', `/jobs/${id}`);
      expect(read.body).toMatchObject({ job_id: id, status: 'cancelled' });
      expect(em.log.at(-1)?.inFlight).toBe(0);

      const again = await call(em, 'DELETE', `/jobs/${id}`);
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ error: 'Job cannot be cancelled: its status is cancelled' });
      expect(em.log.filter((r) => r.method === 'DELETE').map((r) => [r.provider, r.path, r.status, r.jobId])).toEqual([
        ['krea', `/jobs/${id}`, 200, id],
        ['krea', `/jobs/${id}`, 400, id],
      ]);
    });
  });

  it('refuses a finished job and answers 404 for an unknown one', async () => {
    await withEmu(0, async (em) => {
      const id = jobIdOf('krea', await call(em, 'POST', createPath('krea'), KLING));
      const refused = await call(em, 'DELETE', `/jobs/${id}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ error: 'Job cannot be cancelled: its status is completed' });
      expect((await call(em, 'GET', `/jobs/${id}`)).body.status).toBe('completed');

      const unknown = await call(em, 'DELETE', '/jobs/00000000-0000-4000-8000-000000000000');
      expect([unknown.status, unknown.body]).toEqual([404, { error: 'Job not found' }]);
      expect((await call(em, 'DELETE', `/jobs/${id}`, undefined, {})).status).toBe(401);
    });
  });
});
