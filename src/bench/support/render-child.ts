/**
 * render as a user runs it, against an emulator: a child process on the emulator's variables,
 * with its peak RSS (VmHWM) sampled from /proc while it runs. NODE_OPTIONS is passed on, so
 * `NODE_OPTIONS=--trace-warnings npm run bench` shows where a warning of render's comes from.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../emulator/types.js';

const bin = fileURLToPath(new URL('../../../bin/render.js', import.meta.url));
/** How often render's peak RSS is sampled, in ms. */
const RSS_SAMPLE_MS = 100;
/** The most takes one shot may repeat (the manifest's limit on `repeat`). */
const MAX_REPEAT = 1000;

/** The create request render sends for each take of klingManifest: what the peer client sends too. */
export const KLING_BENCH_BODY = { prompt: 'a paper boat on a pond', duration: 5, aspect_ratio: '1:1' } as const;

/** A manifest named `name` of `count` Krea Kling 2.5 takes (5 s, 1:1), in shots of at most 1000. */
export function klingManifest(name: string, count: number): string {
  const lines = ['version: 1', `name: ${name}`, 'shots:'];
  for (let shot = 0; shot * MAX_REPEAT < count; shot += 1) {
    lines.push(
      `  - id: take${shot}`,
      '    provider: krea',
      '    model: kling/kling-2.5',
      `    prompt: "${KLING_BENCH_BODY.prompt}"`,
      '    params: { duration: 5, aspect_ratio: "1:1" }',
      `    repeat: ${Math.min(MAX_REPEAT, count - shot * MAX_REPEAT)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface RenderRun {
  code: number | null;
  wallMs: number;
  peakRssMb: number;
}

/** Runs `render run <manifests> --no-progress <args>` in `dir`. */
export async function runRender(emu: Emulator, dir: string, manifests: readonly string[], args: readonly string[]): Promise<RenderRun> {
  const started = performance.now();
  const nodeOptions = process.env['NODE_OPTIONS'];
  const child = spawn(process.execPath, [bin, 'run', ...manifests, '--no-progress', ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'], ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}), ...emu.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peakKb = 0;
  const sample = async (): Promise<void> => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // The process is gone, or this is not Linux.
    }
  };
  const timer = setInterval(() => void sample(), RSS_SAMPLE_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  return { code, wallMs: performance.now() - started, peakRssMb: peakKb / 1024 };
}
