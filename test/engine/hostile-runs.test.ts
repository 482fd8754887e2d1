/**
 * `render run` in-process against a hostile AI/ML API on 127.0.0.1: a trickling status read
 * neither holds Ctrl-C nor outlives --timeout, an endless status answer is read only up to its
 * limit, a trickling download ends at --timeout, a silent submit gets a bounded grace on
 * Ctrl-C, a video over --max-video-size is refused and fetched by a rerun with a higher limit
 * without a new submit, and a full disk is reported as such and stops submitting.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMp4 } from '../../src/media/make-mp4.js';
import { TRANSFER_LIMITS } from '../../src/providers/transfer-limits.js';
import { aimlCompleted, aimlProvider, startHostileServer, type Behaviour, type HostileServer } from '../support/hostile-server.js';
import { readOutputManifest, runRender, waitFor, wanManifest, workspace, writeManifest } from './support/harness.js';

const servers: HostileServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function provider(o: Parameters<typeof aimlProvider>[0]): Promise<HostileServer> {
  const server = await startHostileServer(aimlProvider(o), { maxMs: 20_000 });
  servers.push(server);
  return server;
}

const env = (server: HostileServer): Record<string, string> => ({ AIMLAPI_BASE_URL: server.url, AIMLAPI_API_KEY: 'sk-hostile-test' });
const posts = (server: HostileServer): number => server.log.filter((r) => r.method === 'POST').length;
const FLAGS = ['--no-progress', '--poll-interval', '0.05'];
/** A status answer that trickles a byte every 50 ms for about a minute (valid JSON: spaces). */
const TRICKLE_FOR_A_MINUTE: Behaviour = { kind: 'trickle', body: `{"status":"queued"${' '.repeat(1200)}}`, intervalMs: 50 };

describe('status reads that trickle', () => {
  it('Ctrl-C during a trickling status read exits 130 within 2 s, the job id kept for a rerun', async () => {
    const server = await provider({ status: () => TRICKLE_FOR_A_MINUTE });
    const dir = await workspace();
    const manifest = await writeManifest(dir, wanManifest({ count: 1 }));
    const controller = new AbortController();
    let abortedAt = 0;
    // Ctrl-C once the status answer's body has begun to arrive: render is mid-read.
    void server.requests(2).then(() => waitFor(() => (server.log[1]?.bytesSent ?? 0) >= 1)).then(() => {
      abortedAt = Date.now();
      controller.abort();
    });
    const out = await runRender([manifest, ...FLAGS], { cwd: dir, env: env(server), signal: controller.signal });
    const stoppedIn = Date.now() - abortedAt;
    expect(server.log.map((r) => `${r.method} ${r.behaviour}`)).toEqual(['POST answer', 'GET trickle']);
    expect(out.code).toBe(130);
    expect(stoppedIn).toBeLessThan(2000);
    const journal = await readFile(join(dir, 'output', 'batch', '.render', 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"job_id":"gen-1"');
  });

  it('--timeout bounds a render whose status reads trickle: timed out in seconds, not hours', async () => {
    const server = await provider({ status: () => ({ kind: 'trickle' }) });
    const { dir, out } = await oneRenderTimedOut(server);
    expect(out.stdout).toContain('not finished within 2 s (--timeout)');
    const m = await readOutputManifest(dir);
    expect(m.renders[0]).toMatchObject({ status: 'timed_out', job_id: 'gen-1' });
    expect(posts(server)).toBe(1);
  });
});

/** One render with `--timeout 2` against `server`: it ends in seconds, not hours, with exit 1. */
async function oneRenderTimedOut(server: Parameters<typeof env>[0]): Promise<{ dir: string; out: Awaited<ReturnType<typeof runRender>> }> {
  const dir = await workspace();
  const manifest = await writeManifest(dir, wanManifest({ count: 1 }));
  const started = Date.now();
  const out = await runRender([manifest, ...FLAGS, '--timeout', '2'], { cwd: dir, env: env(server) });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(out.code).toBe(1);
  return { dir, out };
}

describe('a status answer that never ends', () => {
  it('each read stops at the size limit and is retried like a 5xx until --timeout', async () => {
    const server = await provider({ status: () => ({ kind: 'huge-json' }) });
    const dir = await workspace();
    const manifest = await writeManifest(dir, wanManifest({ count: 1 }));
    const out = await runRender([manifest, ...FLAGS, '--timeout', '3', '--json'], { cwd: dir, env: env(server) });
    expect(out.code).toBe(1);
    const reads = server.log.filter((r) => r.method === 'GET');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const r of reads) {
      expect(r.closedByClient).toBe(true);
      expect(r.bytesSent).toBeLessThan(TRANSFER_LIMITS.maxAnswerBytes + 32 * 1024 * 1024);
    }
    expect(out.stdout).toContain('larger than the 4 MiB render reads');
    expect((await readOutputManifest(dir)).renders[0]).toMatchObject({ status: 'timed_out', job_id: 'gen-1' });
  });
});

describe('a video that trickles', () => {
  it('--timeout cuts the download in progress: timed out, the job kept, what arrived kept for a Range resume', async () => {
    let url = '';
    const server = await provider({
      status: (_req, jobId) => aimlCompleted(jobId, `${url}/video/${jobId}.mp4`),
      other: () => ({ kind: 'trickle', body: 'x'.repeat(10_000), intervalMs: 100 }),
    });
    url = server.url;
    const { dir, out } = await oneRenderTimedOut(server);
    expect(out.stdout).toContain('not downloaded within 2 s (--timeout); the job succeeded, run render again to download it');
    const m = await readOutputManifest(dir);
    expect(m.renders[0]).toMatchObject({ status: 'timed_out', job_id: 'gen-1' });
    expect(server.log.filter((r) => r.path.startsWith('/video/'))).toHaveLength(1);
    // The download goes to the render's take in the take store; what arrived waits there.
    expect((await readdir(join(dir, 'output', 'batch', '.render', 'takes', 'wan.seed-1'))).some((f) => f.endsWith('.mp4.part'))).toBe(true);
  });
});

describe('submits on the wire at Ctrl-C', () => {
  it('a submit never answered gets a short grace, then is recorded indeterminate; exit 130 within 2 s', async () => {
    const server = await provider({ submit: () => ({ kind: 'silent' }), status: () => ({ kind: 'silent' }) });
    const dir = await workspace();
    const manifest = await writeManifest(dir, wanManifest({ count: 3, concurrency: 1 }));
    const controller = new AbortController();
    let abortedAt = 0;
    // Ctrl-C as soon as the submit is on the wire (the server has it and will never answer).
    void server.requests(1).then(() => {
      abortedAt = Date.now();
      controller.abort();
    });
    const out = await runRender([manifest, ...FLAGS], { cwd: dir, env: env(server), signal: controller.signal });
    const stoppedIn = Date.now() - abortedAt;
    expect(out.code).toBe(130);
    expect(stoppedIn).toBeGreaterThanOrEqual(TRANSFER_LIMITS.submitGraceMs - 100);
    expect(stoppedIn).toBeLessThan(2000);
    expect(posts(server)).toBe(1);
    const m = await readOutputManifest(dir);
    expect(m.renders.map((r) => r.status)).toEqual(['indeterminate', 'pending', 'pending']);
  });
});

describe('--max-video-size', () => {
  it('refuses a larger video with a message naming size, limit and flag; a rerun with more fetches it, no new submit', async () => {
    const video = await makeMp4({ width: 160, height: 96, fps: 8, frames: 8, seed: 1 });
    let url = ''; // the status answer names the server's own URL
    const server = await provider({
      status: (_req, jobId) => aimlCompleted(jobId, `${url}/video/${jobId}.mp4`),
      other: (): Behaviour => ({ kind: 'answer', body: video, headers: { 'content-type': 'video/mp4' } }),
    });
    url = server.url;
    const dir = await workspace();
    const manifest = await writeManifest(dir, wanManifest({ count: 1 }));
    expect(video.length).toBeGreaterThan(1000);

    const first = await runRender([manifest, ...FLAGS, '--max-video-size', '1KB'], { cwd: dir, env: env(server) });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/download refused: the video from 127\.0\.0\.1:\d+ is [\d.]+ kB, over the 1\.0 kB limit; not downloaded/);
    expect(first.stdout).toContain('run render again with --max-video-size 1MB to download it');
    expect(server.log.filter((r) => r.path.startsWith('/video/'))).toHaveLength(1);
    expect((await readdir(join(dir, 'output', 'batch'))).filter((f) => f.includes('.mp4'))).toEqual([]);

    const second = await runRender([manifest, ...FLAGS, '--max-video-size', '10MB'], { cwd: dir, env: env(server) });
    expect(second.code).toBe(0);
    expect(posts(server)).toBe(1);
    expect(await readdir(join(dir, 'output', 'batch'))).toContain('wan.seed-1.mp4');
  });

  it('a size that does not read as one is a usage error (exit 2) before anything is sent', async () => {
    const server = await provider({ status: () => ({ kind: 'silent' }) });
    const dir = await workspace();
    const manifest = await writeManifest(dir, wanManifest({ count: 1 }));
    const out = await runRender([manifest, '--max-video-size', 'huge'], { cwd: dir, env: env(server) });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--max-video-size: "huge" is not a size');
    expect(server.log).toHaveLength(0);
  });
});

describe('a full disk', () => {
  let mountPoint: string | undefined;
  let skipReason = '';
  beforeAll(async () => {
    const dir = await workspace();
    const point = join(dir, 'out');
    await mkdir(point);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', point], { stdio: 'pipe' });
      mountPoint = point;
    } catch (err) {
      skipReason = `cannot mount a 1 MiB tmpfs (needs root): ${(err as Error).message.split('\n')[0]}`;
    }
  });
  afterAll(() => {
    if (mountPoint) execFileSync('umount', [mountPoint]);
  });

  it('ENOSPC while saving a video: said as such with the path, not retried, no further submits, exit 1', async (ctx) => {
    if (!mountPoint) return ctx.skip(skipReason);
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    let url = '';
    // The first job finishes at once; the second (sent as the first finished, while its video
    // was being saved) stays queued until --timeout frees its slot: after the disk error.
    const queued: Behaviour = { kind: 'answer', body: '{"status":"queued"}', headers: { 'content-type': 'application/json' } };
    const server = await provider({
      status: (_req, jobId) => (jobId === 'gen-1' ? aimlCompleted(jobId, `${url}/video/${jobId}.mp4`) : queued),
      other: () => ({ kind: 'answer', body: big, headers: { 'content-type': 'video/mp4' } }),
    });
    url = server.url;
    const dir = join(mountPoint, '..');
    const manifest = await writeManifest(dir, wanManifest({ count: 5, concurrency: 1 }));
    // --timeout 4: room for the first job's submit, read and download on a loaded machine.
    const out = await runRender([manifest, ...FLAGS, '--out', mountPoint, '--timeout', '4'], { cwd: dir, env: env(server) });
    const text = out.stdout + out.stderr;
    expect(out.code).toBe(1);
    expect(text).toMatch(/no space left on device: \S*out\/batch\/\.render\/takes\/wan\.seed-1\/[0-9a-f]{64}\.job-[0-9a-f]+\.mp4\.part/);
    expect(text).not.toContain('connection error');
    expect(text.match(/stopped submitting: no space left on device/g)).toHaveLength(1);
    // One GET of the video, no retry loop; the slot freed later (by --timeout) sent nothing.
    expect(server.log.filter((r) => r.path.startsWith('/video/')).map((r) => r.path)).toEqual(['/video/gen-1.mp4']);
    expect(posts(server)).toBe(2);
    const m = JSON.parse(await readFile(join(mountPoint, 'batch', 'manifest.json'), 'utf8')) as { renders: { status: string }[] };
    expect(m.renders.map((r) => r.status)).toEqual(['failed', 'timed_out', 'pending', 'pending', 'pending']);
    const takes = join(mountPoint, 'batch', '.render', 'takes', 'wan.seed-1');
    expect((await readdir(takes).catch(() => [] as string[])).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect((await readdir(join(mountPoint, 'batch'))).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});
