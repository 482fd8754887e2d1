/**
 * Everyday accidents that must not cost money: an edited then reverted prompt, a --timeout, a
 * job the provider forgot, and submit pacing from the first burst. Assertions are on what the
 * emulator received (creates per request), the bytes on disk and the exit codes.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/store/journal-read.js';
import {
  createdPosts, createsPerRender, FAST_JOBS, movableClock, readOutputManifest, runRender, waitFor, wanManifest, withEmulator, workspace, writeManifest,
} from './support/harness.js';

const FAST = ['--poll-interval', '0.05', '--no-progress'];

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function videos(dir: string, name = 'batch'): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await readdir(join(dir, 'output', name))).filter((n) => n.endsWith('.mp4')).sort()) {
    out.set(f, sha(await readFile(join(dir, 'output', name, f))));
  }
  return out;
}

describe('the take store', () => {
  it('keeps the take of an edited prompt, and a revert brings the original bytes back with no submit', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 2, prompt: 'a lighthouse in a storm' }));
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const original = await videos(dir);
      expect(original.size).toBe(2);
      const firstCreates = createdPosts(emu.log).length;
      expect(firstCreates).toBe(2);

      // Edit: two new paid renders; the first takes stay on disk and are listed.
      await writeManifest(dir, wanManifest({ count: 2, prompt: 'a lighthouse in a calm sea' }));
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      expect(createdPosts(emu.log).length).toBe(4);
      const edited = await videos(dir);
      for (const [name, digest] of edited) expect(digest).not.toBe(original.get(name));
      const m = await readOutputManifest(dir);
      for (const r of m.renders) {
        expect(r.takes).toHaveLength(1);
        const earlier = r.takes?.[0];
        expect(earlier?.sha256).toBe(original.get(`${r.id}.mp4`));
        expect(sha(await readFile(join(dir, 'output', 'batch', earlier?.file ?? '')))).toBe(earlier?.sha256);
        expect(earlier?.seed).toBe(r.seed);
      }

      // Revert: nothing submitted, the original bytes are current again, the edit's take is kept.
      await writeManifest(dir, wanManifest({ count: 2, prompt: 'a lighthouse in a storm' }));
      const again = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(again.code).toBe(0);
      expect(createdPosts(emu.log).length).toBe(4);
      expect(await videos(dir)).toEqual(original);
      const reverted = await readOutputManifest(dir);
      for (const r of reverted.renders) {
        expect(r.status).toBe('succeeded');
        expect(r.sha256).toBe(original.get(`${r.id}.mp4`));
        expect(r.takes?.map((t) => t.sha256)).toEqual([edited.get(`${r.id}.mp4`)]);
      }
      // And a fourth run is a plain no-op.
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      expect(createdPosts(emu.log).length).toBe(4);
    });
  });

  it('keeps a current video that no take holds (left by an earlier version) before replacing it', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 1 }));
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const before = await videos(dir);
      // An output folder from before the take store: no .render/takes.
      const { rm } = await import('node:fs/promises');
      await rm(join(dir, 'output', 'batch', '.render', 'takes'), { recursive: true });
      await writeManifest(dir, wanManifest({ count: 1, prompt: 'a different shot' }));
      expect((await runRender([file, ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const m = await readOutputManifest(dir);
      expect(m.renders[0]?.takes?.map((t) => t.sha256)).toEqual([...before.values()]);
      expect(m.renders[0]?.takes?.[0]?.request_sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});

describe('--timeout', () => {
  it('stops waiting but keeps the job: the next run polls it again and submits nothing', async () => {
    const clock = movableClock();
    await withEmulator({ jobDurationMs: 2500, maxVideoFrames: 18, maxVideoSide: 160, now: clock.now }, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 3 }));
      const first = await runRender([file, ...FAST, '--timeout', '1'], { cwd: dir, env: emu.env });
      // The jobs finish between the runs: the second one polls them, done, without waiting.
      clock.advance(2500);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('timed out');
      expect(first.stdout).toContain('the next run polls it again instead of submitting');
      const journal = await readJournal(join(dir, 'output', 'batch', '.render', 'journal.jsonl'));
      expect(journal.problems).toEqual([]);
      for (const s of journal.states.values()) {
        expect(s.phase).toBe('timed_out');
        expect(s.job_id).not.toBeNull();
      }
      const second = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(second.code).toBe(0);
      expect(createdPosts(emu.log).length).toBe(3);
      expect([...createsPerRender(emu.log).values()]).toEqual([1, 1, 1]);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(m.renders.map((r) => r.job_id)).toEqual([...journal.states.values()].map((s) => s.job_id));
    });
  });
});

describe('a job the provider forgot', () => {
  it('is marked lost with the provider\'s words, the run goes on, and the next run submits it again', async () => {
    const dir = await workspace();
    const file = await writeManifest(dir, wanManifest({ count: 2 }));
    let firstJobIds: (string | null)[] = [];
    // The first provider takes the jobs, then goes away (its jobs with it).
    await withEmulator({ jobDurationMs: 60_000, maxVideoFrames: 18 }, async (emu) => {
      const r = await runRender([file, ...FAST, '--timeout', '1'], { cwd: dir, env: emu.env });
      expect(r.code).toBe(1);
      firstJobIds = (await readOutputManifest(dir)).renders.map((x) => x.job_id);
    });
    await withEmulator(FAST_JOBS, async (emu) => {
      const plan = await runPlan(dir, file);
      expect(plan).toContain('in flight');
      const lost = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(lost.code).toBe(1);
      expect(createdPosts(emu.log)).toHaveLength(0);
      expect(lost.stdout).toMatch(/lost: wan\.seed-1: AI\/ML API no longer knows job/);
      expect(lost.stdout).toContain('AIMLAPI_API_KEY');
      expect(lost.stdout).toContain('The next run submits this render again (a new paid job)');
      const m = await readOutputManifest(dir);
      expect(m.renders.map((x) => x.status)).toEqual(['lost', 'lost']);
      expect(m.renders.map((x) => x.job_id)).toEqual(firstJobIds);
      expect(await runPlan(dir, file)).toMatch(/wan\.seed-1 .* lost/);

      const resubmit = await runRender([file, ...FAST], { cwd: dir, env: emu.env });
      expect(resubmit.code).toBe(0);
      expect([...createsPerRender(emu.log).values()]).toEqual([1, 1]);
      expect((await readOutputManifest(dir)).renders.map((x) => x.status)).toEqual(['succeeded', 'succeeded']);
    });
  });
});

describe('submits_per_minute', () => {
  it('holds from the first burst: at most N submits in any 60 s window', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 6, concurrency: 6, providers: '{ aimlapi: { submits_per_minute: 2 } }' }));
      const controller = new AbortController();
      // Two submits may leave at once; the third must wait a minute. Once both of the first two
      // are downloaded (jobs of 150-400 ms), a burst that ignored the limit would long have left.
      const run = runRender([file, ...FAST], { cwd: dir, env: emu.env, signal: controller.signal });
      await waitFor(() => emu.log.filter((x) => x.provider === 'media' && x.status === 200).length >= 2);
      controller.abort();
      const r = await run;
      expect(r.code).toBe(130);
      expect(createdPosts(emu.log)).toHaveLength(2);
    });
  });
});

async function runPlan(dir: string, file: string): Promise<string> {
  const { main } = await import('../../src/cli/main.js');
  let out = '';
  await main(['plan', file], { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env: {}, cwd: dir });
  return out;
}

