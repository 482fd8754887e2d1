/**
 * Runs `render run` in-process against an emulator started by the test, in a fresh folder,
 * and reads back what a user would see: exit code, stdout, stderr, files, requests received.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';
import { startEmulator } from '../../../src/emulator/server.js';
import type { Emulator, EmulatorOptions, LoggedRequest } from '../../../src/emulator/types.js';
import type { RenderManifestFile } from '../../../src/core/records.js';

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Short jobs and small videos (the longer side at most 160 px): probed sizes are still real. */
export const FAST_JOBS: EmulatorOptions = { jobDurationMs: { min: 150, max: 400 }, maxVideoFrames: 18, maxVideoSide: 160 };

/**
 * A clock for the emulator (`EmulatorOptions.now`) that runs with the wall clock and can be
 * moved ahead: a test finishes long jobs by moving time instead of waiting for them.
 */
export function movableClock(): { now: () => number; advance: (ms: number) => void } {
  let skewMs = 0;
  return {
    now: () => Date.now() + skewMs,
    advance: (ms) => {
      skewMs += ms;
    },
  };
}

export async function workspace(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'render-run-'));
}

/** A manifest of `count` krea-wan text-to-video renders (18 frames), seeds from `from`. */
export function wanManifest(o: { name?: string; count: number; from?: number; prompt?: string; concurrency?: number; extraShots?: string; providers?: string }): string {
  return [
    'version: 1',
    `name: ${o.name ?? 'batch'}`,
    ...(o.concurrency ? [`concurrency: ${o.concurrency}`] : []),
    ...(o.providers ? [`providers: ${o.providers}`] : []),
    'shots:',
    '  - id: wan',
    '    provider: aimlapi',
    '    model: krea/krea-wan-14b/text-to-video',
    `    prompt: "${o.prompt ?? 'a lighthouse in a storm'}"`,
    '    params: { num_frames: 18, enable_prompt_expansion: false }',
    `    seeds: { from: ${o.from ?? 1}, count: ${o.count} }`,
    ...(o.extraShots ? [o.extraShots] : []),
    '',
  ].join('\n');
}

export async function writeManifest(dir: string, text: string, file = 'job.yaml'): Promise<string> {
  await writeFile(join(dir, file), text);
  return file;
}

export async function runRender(args: string[], o: { cwd: string; env: Record<string, string>; signal?: AbortSignal }): Promise<RunOutput> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: o.env,
    cwd: o.cwd,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const code = await main(['run', ...args], io);
  return { code, stdout, stderr };
}

export async function readOutputManifest(dir: string, name = 'batch'): Promise<RenderManifestFile> {
  return JSON.parse(await readFile(join(dir, 'output', name, 'manifest.json'), 'utf8')) as RenderManifestFile;
}

/** Create POSTs the provider accepted (2xx) or took and then dropped the answer of (status 0). */
export function createdPosts(log: readonly LoggedRequest[], from = 0): LoggedRequest[] {
  return log.slice(from).filter((r) => r.method === 'POST' && r.provider !== 'media' && (r.status === 0 || (r.status >= 200 && r.status < 300)));
}

export function allPosts(log: readonly LoggedRequest[], from = 0): LoggedRequest[] {
  return log.slice(from).filter((r) => r.method === 'POST' && r.provider !== 'media');
}

/** Requests that created a job, counted per render (identified by the body's prompt + seed). */
export function createsPerRender(log: readonly LoggedRequest[], from = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of createdPosts(log, from)) {
    const body = r.body as { prompt?: string; seed?: number };
    const key = `${body.prompt ?? ''}#${body.seed ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function withEmulator<T>(options: EmulatorOptions, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator(options);
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

/** Waits for an event (a request in the emulator's log, a file written), checking every 10 ms, for up to `ms`. */
export async function waitFor(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
