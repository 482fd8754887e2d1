/**
 * An emulator started on the state folder of an earlier one answers for its jobs, per provider:
 * the same status by the wall clock, a result URL with the same token, the same video bytes.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/types.js';
import { call, createPath, download, jobIdOf, sha256, statusOf, statusPath, videoUrlOf, type Provider } from './helpers.js';

const BODIES: Record<Provider, Record<string, unknown>> = {
  aimlapi: { model: 'krea/krea-wan-14b/text-to-video', prompt: 'a lighthouse in a storm', num_frames: 18, seed: 5 },
  krea: { prompt: 'an eagle over snow', duration: 5, aspect_ratio: '1:1' },
  novita: { prompt: 'a neon street', width: 832, height: 480, seed: 100 },
};
const DONE: Record<Provider, string> = { aimlapi: 'completed', krea: 'completed', novita: 'TASK_STATUS_SUCCEED' };
const QUEUED: Record<Provider, string> = { aimlapi: 'queued', krea: 'queued', novita: 'TASK_STATUS_QUEUED' };
/** Small videos: the test is about which bytes, not how many. */
const SMALL: EmulatorOptions = { maxVideoFrames: 3, maxVideoSide: 64 };
const HOUR_MS = 3_600_000;

async function withEmulator<T>(options: EmulatorOptions, fn: (em: Emulator) => Promise<T>): Promise<T> {
  const em = await startEmulator({ ...SMALL, ...options });
  try {
    return await fn(em);
  } finally {
    await em.close();
  }
}

/** Status, result URL path (without host) and the video's sha256 of a job. */
async function finished(em: Emulator, p: Provider, id: string): Promise<{ status: string; path: string; sha: string }> {
  const answer = await call(em, 'GET', statusPath(p, id));
  expect(answer.status).toBe(200);
  const url = videoUrlOf(p, answer);
  expect(url, `${p} has a result URL`).toBeDefined();
  const file = await download(url!);
  expect(file.status).toBe(200);
  return { status: statusOf(p, answer), path: new URL(url!).pathname, sha: sha256(file.bytes) };
}

describe('an emulator restarted on the same state folder', () => {
  it.each(['aimlapi', 'krea', 'novita'] as const)('%s: a finished job reads the same, at the same URL path, with the same bytes', async (p) => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emustate-'));
    const { id, before } = await withEmulator({ stateDir: dir, jobDurationMs: 0 }, async (em) => {
      const created = await call(em, 'POST', createPath(p), BODIES[p]);
      expect(created.status).toBe(200);
      const jobId = jobIdOf(p, created);
      return { id: jobId, before: await finished(em, p, jobId) };
    });
    expect(before.status).toBe(DONE[p]);

    const after = await withEmulator({ stateDir: dir, jobDurationMs: 0 }, async (em) => {
      expect(em.log).toHaveLength(0);
      return finished(em, p, id);
    });
    expect(after).toEqual(before);
  });

  it('keeps each job its own duration: an unfinished job is still queued under an emulator whose new jobs take no time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emustate-'));
    const ids = await withEmulator({ stateDir: dir, jobDurationMs: HOUR_MS }, async (em) => {
      const out: Partial<Record<Provider, string>> = {};
      for (const p of ['aimlapi', 'krea', 'novita'] as const) out[p] = jobIdOf(p, await call(em, 'POST', createPath(p), BODIES[p]));
      return out as Record<Provider, string>;
    });
    await withEmulator({ stateDir: dir, jobDurationMs: 0 }, async (em) => {
      for (const p of ['aimlapi', 'krea', 'novita'] as const) {
        const old = await call(em, 'GET', statusPath(p, ids[p]));
        expect(old.status).toBe(200);
        expect(statusOf(p, old)).toBe(QUEUED[p]);
        const fresh = await call(em, 'POST', createPath(p), BODIES[p]);
        expect(statusOf(p, await call(em, 'GET', statusPath(p, jobIdOf(p, fresh))))).toBe(DONE[p]);
      }
      // The unfinished jobs of the earlier emulator count against its in-flight limits.
      expect(em.peakInFlight()).toMatchObject({ aimlapi: 1, krea: 1, novita: 1 });
    });
    const lines = (await readFile(join(dir, 'jobs.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.join('\n')).not.toContain('emulator-key');
  });

  it('Krea: the same request after a restart is a new take, a different picture (Kling has no seed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emustate-'));
    const first = await withEmulator({ stateDir: dir, jobDurationMs: 0 }, async (em) =>
      finished(em, 'krea', jobIdOf('krea', await call(em, 'POST', createPath('krea'), BODIES.krea))),
    );
    const second = await withEmulator({ stateDir: dir, jobDurationMs: 0 }, async (em) =>
      finished(em, 'krea', jobIdOf('krea', await call(em, 'POST', createPath('krea'), BODIES.krea))),
    );
    expect(second.sha).not.toBe(first.sha);
  });

  it('refuses a damaged state file with a one-line usage error naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emustate-'));
    await writeFile(join(dir, 'jobs.jsonl'), 'garbage\n');
    await expect(startEmulator({ stateDir: dir })).rejects.toThrow(`${join(dir, 'jobs.jsonl')}:1: not a JSON line of the emulator state`);
  });
});
