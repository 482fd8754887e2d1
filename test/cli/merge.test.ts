/**
 * `render merge`: the folders of a 2-shard run against the emulator joined into one, checked by
 * the bytes on disk, what the emulator received on a rerun, the exit codes and the messages.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RenderManifestFile } from '../../src/core/records.js';
import { readJournal } from '../../src/store/journal-read.js';
import { mergeFs } from '../../src/store/merge-files.js';
import { createdPosts, FAST_JOBS, movableClock, runRender, wanManifest, withEmulator, workspace, writeManifest, waitFor, type RunOutput } from '../engine/support/harness.js';

const FAST = ['--poll-interval', '0.05', '--no-progress'];
const SECOND_SHOT = [
  '  - id: second',
  '    provider: aimlapi',
  '    model: krea/krea-wan-14b/text-to-video',
  '    prompt: "a harbour at night"',
  '    params: { num_frames: 18, enable_prompt_expansion: false }',
  '    seeds: [12, 9, 10]',
].join('\n');
/** The storyboard's renders in manifest order: shot by shot, seeds as written. */
const ALL_IDS = ['wan.seed-1', 'wan.seed-2', 'wan.seed-3', 'wan.seed-4', 'wan.seed-5', 'wan.seed-6', 'second.seed-12', 'second.seed-9', 'second.seed-10'];

async function runMerge(args: string[], cwd: string): Promise<RunOutput> {
  let stdout = '';
  let stderr = '';
  const code = await main(['merge', ...args], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd });
  return { code, stdout, stderr };
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir` (relative path → sha256), the lock and temp files aside. */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p), sha(await readFile(p)));
    }
  };
  await walk(dir);
  return out;
}

const manifestOf = async (dir: string): Promise<RenderManifestFile> => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as RenderManifestFile;

async function validator() {
  const schema = JSON.parse(await readFile(new URL('../../schemas/render-manifest.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('render merge', () => {
  it('joins two shards into one folder that a rerun finds complete', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 6, extraShots: SECOND_SHOT }));
      expect((await runRender([file, '--shard', '1/2', '--out', 's1', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      expect((await runRender([file, '--shard', '2/2', '--out', 's2', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const [m1, m2] = [await manifestOf(join(dir, 's1/batch')), await manifestOf(join(dir, 's2/batch'))];
      expect(m1.renders.length).toBeGreaterThan(0);
      expect(m2.renders.length).toBeGreaterThan(0);
      expect(m1.renders.length + m2.renders.length).toBe(ALL_IDS.length);
      const creates = createdPosts(emu.log).length;
      expect(creates).toBe(ALL_IDS.length);
      const [t1, t2] = [await tree(join(dir, 's1/batch')), await tree(join(dir, 's2/batch'))];

      const r = await runMerge(['--into', 'out/batch', 's1/batch', 's2/batch'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`render merge: ${ALL_IDS.length} renders from 2 folders into out/batch: ${ALL_IDS.length} succeeded`);
      expect(r.stdout).toContain('out/batch/index.html');

      const merged = join(dir, 'out/batch');
      const m = await manifestOf(merged);
      const validate = await validator();
      expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
      expect(m.name).toBe('batch');
      expect(m.renders.map((x) => x.id)).toEqual(ALL_IDS);
      const fromShards = new Map([...m1.renders, ...m2.renders].map((x) => [x.id, x] as const));
      for (const rec of m.renders) {
        expect(rec.status).toBe('succeeded');
        expect(rec.sha256).toBe(fromShards.get(rec.id)?.sha256);
        expect(rec.job_id).toBe(fromShards.get(rec.id)?.job_id);
        expect(sha(await readFile(join(merged, `${rec.id}.mp4`)))).toBe(rec.sha256);
      }
      // Every take and card of both shards, byte for byte; the sources untouched.
      const mt = await tree(merged);
      for (const [path, digest] of [...t1, ...t2]) {
        if (path.startsWith('.render/takes/') || path.endsWith('.mp4')) expect(mt.get(path), path).toBe(digest);
      }
      expect(await tree(join(dir, 's1/batch'))).toEqual(t1);
      expect(await tree(join(dir, 's2/batch'))).toEqual(t2);
      const journal = await readJournal(join(merged, '.render/journal.jsonl'));
      expect(journal.problems).toEqual([]);
      expect([...journal.states.values()].every((s) => s.phase === 'downloaded')).toBe(true);
      expect(journal.states.size).toBe(ALL_IDS.length);
      const html = await readFile(join(merged, 'index.html'), 'utf8');
      for (const id of ALL_IDS) expect(html).toContain(`${id}.mp4`);
      await expect(stat(join(merged, '.render/lock'))).rejects.toThrow();

      // A second merge changes nothing; a run of the whole manifest on the merged folder submits nothing.
      const again = await runMerge(['--into', 'out/batch', 's1/batch', 's2/batch'], dir);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('0 linked, 0 copied');
      const rerun = await runRender([file, '--out', 'out', ...FAST], { cwd: dir, env: emu.env });
      expect(rerun.code).toBe(0);
      expect(createdPosts(emu.log)).toHaveLength(creates);
      expect((await manifestOf(merged)).renders.map((x) => [x.id, x.status])).toEqual(ALL_IDS.map((id) => [id, 'succeeded']));
    });
  });

  it('refuses conflicting folders, naming the render and both folders, and writes nothing', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const a = await writeManifest(dir, wanManifest({ count: 4, prompt: 'a lighthouse in a storm' }), 'a.yaml');
      const b = await writeManifest(dir, wanManifest({ count: 4, prompt: 'a lighthouse in a calm sea' }), 'b.yaml');
      expect((await runRender([a, '--shard', '1/2', '--out', 'sa', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      expect((await runRender([b, '--shard', '1/2', '--out', 'sb', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const ids = (await manifestOf(join(dir, 'sa/batch'))).renders.map((x) => x.id);
      expect(ids.length).toBeGreaterThan(0);

      const r = await runMerge(['--into', 'out/batch', 'sa/batch', 'sb/batch'], dir);
      expect(r.code).toBe(2);
      for (const id of ids) expect(r.stderr).toContain(`render merge: render ${id}: different requests (request_sha256 `);
      expect(r.stderr).toMatch(/in sa\/batch and sb\/batch/);
      expect(r.stderr).toContain(`render merge: ${ids.length} conflicts; nothing was written`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      await expect(stat(join(dir, 'out'))).rejects.toThrow();

      // Another manifest's folder is refused by name.
      const other = await writeManifest(dir, wanManifest({ name: 'other', count: 1 }), 'o.yaml');
      expect((await runRender([other, '--out', 'so', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const named = await runMerge(['--into', 'out/batch', 'sa/batch', 'so/other'], dir);
      expect(named.code).toBe(2);
      expect(named.stderr).toContain('manifest.json of sa/batch is "batch" but that of so/other is "other"');
      await expect(stat(join(dir, 'out'))).rejects.toThrow();

      // A file in the merged folder with other bytes is never replaced.
      await mkdir(join(dir, 'out/batch'), { recursive: true });
      await writeFile(join(dir, 'out/batch', `${ids[0]}.mp4`), 'not this video');
      const blocked = await runMerge(['--into', 'out/batch', 'sa/batch'], dir);
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toContain(`out/batch/${ids[0]}.mp4 exists with other bytes than sa/batch/${ids[0]}.mp4`);
      expect(await readFile(join(dir, 'out/batch', `${ids[0]}.mp4`), 'utf8')).toBe('not this video');
      expect([...(await tree(join(dir, 'out/batch'))).keys()]).toEqual([`${ids[0]}.mp4`]);
      // So is a manifest.json render cannot read.
      await writeFile(join(dir, 'out/batch/manifest.json'), 'my notes');
      const notRun = await runMerge(['--into', 'out/batch', 'sb/batch'], dir);
      expect(notRun.code).toBe(2);
      expect(notRun.stderr).toContain('render merge: out/batch/manifest.json is not a render manifest.json, and merging would replace it');
      expect(await readFile(join(dir, 'out/batch/manifest.json'), 'utf8')).toBe('my notes');
      expect([...(await tree(join(dir, 'out/batch'))).keys()].sort()).toEqual(['manifest.json', `${ids[0]}.mp4`]);
    });
  });

  it('resumes the jobs an interrupted shard left in flight from the merged folder, with no new submit', async () => {
    // Shard 1 renders to the end on quick jobs. Shard 2's jobs are long enough that it stops with
    // every job of its share still rendering; they finish by moving its emulator's clock, so the
    // rerun from the merged folder does not wait for them.
    const clock = movableClock();
    await withEmulator(FAST_JOBS, (fast) => withEmulator({ ...FAST_JOBS, jobDurationMs: 4000, now: clock.now }, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 4 }));
      expect((await runRender([file, '--shard', '1/2', '--out', 's1', ...FAST], { cwd: dir, env: fast.env })).code).toBe(0);
      const first = createdPosts(fast.log).length;
      const controller = new AbortController();
      const run = runRender([file, '--shard', '2/2', '--out', 's2', ...FAST], { cwd: dir, env: emu.env, signal: controller.signal });
      await waitFor(() => createdPosts(emu.log).length === 4 - first);
      controller.abort();
      expect((await run).code).toBe(130);
      const inFlight = [...(await readJournal(join(dir, 's2/batch/.render/journal.jsonl'))).states.values()];
      expect(inFlight.length).toBe(4 - first);
      expect(inFlight.every((s) => s.job_id !== null && s.phase !== 'downloaded')).toBe(true);

      const r = await runMerge(['--into', 'out/batch', 's1/batch', 's2/batch'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${first} succeeded, ${4 - first} to finish by a run`);
      const merged = await readJournal(join(dir, 'out/batch/.render/journal.jsonl'));
      for (const s of inFlight) expect(merged.states.get(s.id)?.job_id).toBe(s.job_id);

      clock.advance(4000);
      const rerun = await runRender([file, '--out', 'out', ...FAST], { cwd: dir, env: emu.env });
      expect(rerun.code).toBe(0);
      expect(createdPosts(fast.log).length + createdPosts(emu.log).length).toBe(4);
      const m = await manifestOf(join(dir, 'out/batch'));
      expect(m.renders.map((x) => x.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      for (const s of inFlight) expect(m.renders.find((x) => x.id === s.id)?.job_id).toBe(s.job_id);
      for (const x of m.renders) expect(sha(await readFile(join(dir, 'out/batch', `${x.id}.mp4`)))).toBe(x.sha256);
    }));
  });

  it('copies across file systems, and leaves a damaged video to be fetched again from its job', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 4 }));
      expect((await runRender([file, '--shard', '1/2', '--out', 's1', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      expect((await runRender([file, '--shard', '2/2', '--out', 's2', ...FAST], { cwd: dir, env: emu.env })).code).toBe(0);
      const bad = (await manifestOf(join(dir, 's2/batch'))).renders[0]!;
      // Written in place: its take (the same file, hard-linked) is damaged too.
      await writeFile(join(dir, 's2/batch', `${bad.id}.mp4`), 'damaged');
      const creates = createdPosts(emu.log).length;

      const realLink = mergeFs.link;
      let r: RunOutput;
      try {
        // A full disk is one line with the path and what to do, never a stack.
        mergeFs.link = (_from, to) => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: to }));
        const full = await runMerge(['--into', 'out/batch', 's1/batch', 's2/batch'], dir);
        expect(full.code).toBe(2);
        expect(full.stderr).toMatch(/render merge: cannot write into out\/batch: no space left on device \(out\/batch\/\.render\/takes\/wan\.seed-\d\/[0-9a-f]+\.job-[0-9a-f]+\.mp4\)\n {2}fix that and run the same merge again/);
        expect(full.stderr).not.toMatch(/\n\s+at /);
        await expect(stat(join(dir, 'out/batch/manifest.json'))).rejects.toThrow();
        mergeFs.link = () => Promise.reject(Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' }));
        r = await runMerge(['--into', 'out/batch', 's1/batch', 's2/batch'], dir);
      } finally {
        mergeFs.link = realLink;
      }
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`render merge: warning: the video of ${bad.id} in s2/batch is missing or not the one recorded (size, sha256); the next run of the merged folder downloads it again from its job (no new submit)`);
      expect(r.stdout).toMatch(/files: 0 linked, [1-9]\d* copied, 0 already there/);
      const m = await manifestOf(join(dir, 'out/batch'));
      expect(m.renders).toHaveLength(4);
      await expect(stat(join(dir, 'out/batch', `${bad.id}.mp4`))).rejects.toThrow();
      for (const x of m.renders.filter((x) => x.id !== bad.id)) {
        const copy = join(dir, 'out/batch', `${x.id}.mp4`);
        expect(sha(await readFile(copy))).toBe(x.sha256);
        const shard = (await stat(join(dir, 's1/batch', `${x.id}.mp4`)).catch(() => stat(join(dir, 's2/batch', `${x.id}.mp4`)))).ino;
        expect((await stat(copy)).ino).not.toBe(shard);
      }

      const rerun = await runRender([file, '--out', 'out', ...FAST], { cwd: dir, env: emu.env });
      expect(rerun.code).toBe(0);
      expect(createdPosts(emu.log)).toHaveLength(creates);
      expect(sha(await readFile(join(dir, 'out/batch', `${bad.id}.mp4`)))).toBe(bad.sha256);
    });
  });

  it('says how to call it', async () => {
    const dir = await workspace();
    const none = await runMerge(['s1/batch'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('render merge: give the merged folder with --into <out/name>');
    const empty = await runMerge(['--into', 'out/batch', 'nothing-here'], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('render merge: nothing-here holds no render run');
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
    // A folder a live run of this host holds is not read half-written.
    await mkdir(join(dir, 's1/batch/.render'), { recursive: true });
    await writeFile(join(dir, 's1/batch/manifest.json'), JSON.stringify({ version: 1, name: 'batch', renders: [] }));
    await writeFile(join(dir, 's1/batch/.render/lock'), JSON.stringify({ pid: process.pid, host: hostname(), started_at: 'now', command: 'render run' }));
    const busy = await runMerge(['--into', 'out/batch', 's1/batch'], dir);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`render: s1/batch is in use by another render run (pid ${process.pid} on host ${hostname()}`);
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
  });
});

