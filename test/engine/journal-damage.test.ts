/**
 * A journal damaged between runs: its bad lines are reported with their numbers and never
 * trusted, and job ids it lost are taken back from manifest.json, so those jobs are resumed by
 * polling, not submitted again.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/emulator/types.js';
import { createdPosts, movableClock, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from './support/harness.js';

const ARGS = ['job.yaml', '--poll-interval', '0.05', '--no-progress'];

/** Jobs render has read the status of twice: their job-id lines (and "started") were on disk before. */
function jobsReadTwice(log: readonly LoggedRequest[]): number {
  const reads = new Map<string, number>();
  for (const r of log) if (r.provider === 'aimlapi' && r.method === 'GET' && r.jobId) reads.set(r.jobId, (reads.get(r.jobId) ?? 0) + 1);
  return [...reads.values()].filter((n) => n >= 2).length;
}

describe('a damaged journal', () => {
  it('job ids it lost are taken back from manifest.json: resumed, none submitted again', async () => {
    const stop = new AbortController();
    let log: readonly LoggedRequest[] = [];
    // The jobs outlast the first run; they finish before the second by moving the emulator's clock.
    const clock = movableClock();
    const options = {
      now: clock.now,
      jobDurationMs: { min: 1500, max: 2000 },
      queuedFraction: 0, // running from the start: the journal has a "started" line after the job id
      maxVideoFrames: 18,
      // Ctrl-C once all four jobs were read back twice.
      onRequest: () => void (jobsReadTwice(log) >= 4 && stop.abort()),
    };
    await withEmulator(options, async (emu) => {
      log = emu.log;
      const dir = await workspace();
      await writeManifest(dir, wanManifest({ count: 4, concurrency: 4 }));
      const first = await runRender(ARGS, { cwd: dir, env: emu.env, signal: stop.signal });
      expect(first.code).toBe(130);
      const sent = createdPosts(emu.log).map((r) => r.jobId);
      expect(sent).toHaveLength(4);
      expect((await readOutputManifest(dir)).renders.map((r) => r.job_id).sort()).toEqual([...sent].sort());

      // Damage the lines that hold the job ids: one flipped byte in two, two lines gone.
      const path = join(dir, 'output', 'batch', '.render', 'journal.jsonl');
      const lines = (await readFile(path, 'utf8')).split('\n');
      const idLines = lines.flatMap((l, n) => (l.includes('"phase":"submitted"') ? [n] : []));
      expect(idLines).toHaveLength(4);
      // Steps after the job id stay: the journal knows the jobs started, but not their ids.
      expect(lines.filter((l) => l.includes('"phase":"started"')).length).toBeGreaterThan(0);
      const [a, b, c, d] = idLines as [number, number, number, number];
      lines[a] = (lines[a] as string).replace('"job_id":"', '"job_id":"X');
      lines[b] = (lines[b] as string).replace('"phase":"submitted"', '"phase":"submittes"');
      const kept = lines.filter((_, n) => n !== c && n !== d);
      await writeFile(path, kept.join('\n'));

      const mark = emu.log.length;
      clock.advance(2000);
      const again = await runRender(ARGS, { cwd: dir, env: emu.env });
      expect(again.code).toBe(0);
      expect(createdPosts(emu.log, mark)).toEqual([]);
      const shown = join('output', 'batch', '.render', 'journal.jsonl'); // relative to the working folder
      expect(again.stderr).toContain(`${shown}:${a + 1}: warning: checksum does not match (damaged or not written by render); line not used`);
      expect(again.stderr).toContain(`${shown}:${b + 1}: warning: checksum does not match`);
      expect(again.stderr).toContain('the job ids of 4 renders taken from manifest.json (not in the journal); resumed, not submitted again');
      expect(again.stderr).not.toContain('internal error');
      // Every job polled again under the id the provider gave it, and brought home.
      const polled = new Set(emu.log.slice(mark).filter((r) => r.method === 'GET' && r.provider === 'aimlapi').map((r) => r.jobId));
      for (const id of sent) expect(polled.has(id)).toBe(true);
      const m = await readOutputManifest(dir);
      expect(m.renders.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      // The damaged journal was kept beside the new one for inspection.
      expect((await readdir(join(dir, 'output', 'batch', '.render'))).some((f) => f.startsWith('journal.jsonl.damaged-'))).toBe(true);
    });
  });
});
