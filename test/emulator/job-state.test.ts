/**
 * Emulated jobs kept in a state file: a store reopened later on the wall clock sees each job as
 * old as it is, with the same result token and the same video bytes; forgotten jobs stay
 * forgotten; a line cut off by a crash is dropped and other damage is named.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStateFile, STATE_FILE_NAME } from '../../src/emulator/job-state-file.js';
import { JobStore, type JobRequest } from '../../src/emulator/job-store.js';
import { MediaStore } from '../../src/emulator/media-store.js';
import { UsageError } from '../../src/core/errors.js';

/** 2026-12-01T00:00:00Z: a wall-clock time, as the emulator keeps. */
const T0 = Date.UTC(2026, 11, 1);
const DURATION_MS = 3000;
const QUEUED_MS = 900; // 0.3 of it
const TIMING = { durationMs: DURATION_MS, queuedFraction: 0.3 };
const REQUEST: JobRequest = {
  model: 'krea/krea-wan-14b/text-to-video',
  prompt: 'a lighthouse in a storm',
  seed: 11,
  credits: 72692,
  video: { width: 64, height: 48, fps: 16, frames: 4, seed: '11', label: 'aimlapi|t2v|{}' },
};

async function stateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'render-emustate-'));
}

/** A store kept in `dir`, on a clock the test sets, filled with what the file holds. */
function openStore(dir: string, at: number): { store: JobStore; file: JobStateFile; setNow: (t: number) => void } {
  let now = at;
  const { file, stored } = JobStateFile.open(dir);
  const store = new JobStore(TIMING, () => now, { created: (j) => file.appendJob(j), forgot: (ids) => file.appendForget(ids) });
  for (const job of stored.jobs) if (!stored.forgotten.has(job.id)) store.restore(job);
  return { store, file, setNow: (t) => (now = t) };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('jobs in a state file', () => {
  it('reopened with a later clock: queued, running, then succeeded by the wall clock, same token and the same video bytes', async () => {
    const dir = await stateDir();
    const first = openStore(dir, T0);
    const job = first.store.create('aimlapi', 'job-1', REQUEST, undefined);
    const before = await new MediaStore(() => '', { frames: undefined, side: undefined }).bytes(job.video);
    first.file.close();

    for (const [at, state] of [
      [T0 + QUEUED_MS - 1, 'queued'],
      [T0 + QUEUED_MS, 'running'],
      [T0 + DURATION_MS - 1, 'running'],
      [T0 + DURATION_MS, 'succeeded'],
      [T0 + 86_400_000, 'succeeded'],
    ] as const) {
      const later = openStore(dir, at);
      const back = later.store.get('job-1');
      expect(back, `at +${at - T0} ms`).toBeDefined();
      expect(later.store.view(back!).state, `at +${at - T0} ms`).toBe(state);
      expect(later.store.inFlight('aimlapi')).toBe(state === 'succeeded' ? 0 : 1);
      expect(later.store.byMediaToken(job.mediaToken)?.id).toBe('job-1');
      expect(back).toMatchObject({ prompt: REQUEST.prompt, seed: 11, credits: 72692, video: REQUEST.video, createdAt: new Date(T0) });
      later.file.close();
    }

    const again = openStore(dir, T0 + DURATION_MS);
    const after = await new MediaStore(() => '', { frames: undefined, side: undefined }).bytes(again.store.get('job-1')!.video);
    again.file.close();
    expect(sha256(after)).toBe(sha256(before));
  });

  it('keeps a failing job failing, and the completed time its own', async () => {
    const dir = await stateDir();
    const first = openStore(dir, T0);
    first.store.create('novita', 'job-f', REQUEST, 'the prompt was refused');
    first.file.close();
    const later = openStore(dir, T0 + 10_000);
    const view = later.store.view(later.store.get('job-f')!);
    later.file.close();
    expect(view).toMatchObject({ state: 'failed', completedAt: new Date(T0 + DURATION_MS) });
    expect(later.store.get('job-f')?.failReason).toBe('the prompt was refused');
  });

  it('holds no key and nothing of the request but what a job answers with: one line per job', async () => {
    const dir = await stateDir();
    const s = openStore(dir, T0);
    s.store.create('krea', 'job-a', REQUEST, undefined);
    s.store.create('krea', 'job-b', REQUEST, undefined);
    s.file.close();
    const lines = (await readFile(join(dir, STATE_FILE_NAME), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(Object.keys(JSON.parse(lines[0]!).job).sort()).toEqual(
      ['credits', 'durationMs', 'id', 'mediaToken', 'model', 'prompt', 'provider', 'queuedMs', 'seed', 'startMs', 'video'].sort(),
    );
  });

  it('forgotten jobs stay forgotten after a reopen; the others are kept', async () => {
    const dir = await stateDir();
    const s = openStore(dir, T0);
    s.store.create('aimlapi', 'keep', REQUEST, undefined);
    const lost = s.store.create('krea', 'lose', REQUEST, undefined);
    expect(s.store.forget({ provider: 'krea' })).toEqual(['lose']);
    s.file.close();
    const later = openStore(dir, T0 + 1);
    later.file.close();
    expect(later.store.get('lose')).toBeUndefined();
    expect(later.store.byMediaToken(lost.mediaToken)).toBeUndefined();
    expect(later.store.get('keep')).toBeDefined();
    expect(later.store.inFlight()).toBe(1);
  });

  it('drops a last line cut off mid-write, so the next job starts on a line of its own', async () => {
    const dir = await stateDir();
    const s = openStore(dir, T0);
    s.store.create('aimlapi', 'whole', REQUEST, undefined);
    s.file.close();
    await appendFile(join(dir, STATE_FILE_NAME), '{"v":1,"job":{"provider":"aiml');
    const next = openStore(dir, T0 + 1);
    next.store.create('aimlapi', 'after', REQUEST, undefined);
    next.file.close();
    const last = openStore(dir, T0 + 2);
    last.file.close();
    expect(last.store.get('whole')).toBeDefined();
    expect(last.store.get('after')).toBeDefined();
    expect((await readFile(join(dir, STATE_FILE_NAME), 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it.each([
    ['a line that is not JSON', 'not json\n', /jobs\.jsonl:2: not a JSON line/],
    ['a job with a field missing', '{"v":1,"job":{"provider":"krea","id":"x"}}\n', /jobs\.jsonl:2: not an emulator job record \(model\)/],
    ['another format version', '{"v":7,"job":{}}\n', /jobs\.jsonl:2: written by another version of render \(format 7/],
  ])('names the file and line of %s, and says the folder may be deleted', async (_what, line, message) => {
    const dir = await stateDir();
    const s = openStore(dir, T0);
    s.store.create('aimlapi', 'whole', REQUEST, undefined);
    s.file.close();
    await appendFile(join(dir, STATE_FILE_NAME), `${line}{"v":1,"forget":["whole"]}\n`);
    let error: unknown;
    try {
      JobStateFile.open(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).message).toContain(join(dir, STATE_FILE_NAME));
    expect((error as UsageError).hint).toMatch(/delete it when no run is in flight/);
  });

  it('says which path it cannot use when the state folder is a file', async () => {
    const dir = await stateDir();
    const notADir = join(dir, 'plain-file');
    await writeFile(notADir, 'x');
    expect(() => JobStateFile.open(notADir)).toThrow(`cannot create the emulator's state folder ${notADir} (EEXIST)`);
  });
});

describe('forgetting jobs in the store', () => {
  it('a job forgotten in flight stops counting at once and is not taken off twice when its end passes', () => {
    let now = T0;
    const store = new JobStore(TIMING, () => now);
    store.create('krea', 'a', REQUEST, undefined);
    store.create('krea', 'b', REQUEST, undefined);
    store.create('novita', 'c', REQUEST, undefined);
    expect(store.forget({ ids: ['a', 'nope'] })).toEqual(['a']);
    expect([store.inFlight('krea'), store.inFlight()]).toEqual([1, 2]);
    now = T0 + DURATION_MS;
    expect([store.inFlight('krea'), store.inFlight()]).toEqual([0, 0]);
    expect(store.forget()).toEqual(['b', 'c']);
    expect([store.inFlight('krea'), store.inFlight('novita'), store.inFlight()]).toEqual([0, 0, 0]);
    expect(store.forget()).toEqual([]);
  });
});
