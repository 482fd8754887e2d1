/**
 * Five manifests of 24 renders each (1-3 s jobs) in one command:
 * `render run a.yaml b.yaml c.yaml d.yaml e.yaml --concurrency 16 --poll-interval 0.25`.
 * The whole command over the ideal of all 120 jobs, max(total work / 16, longest job), should
 * stay under 1.20: the manifests share the 16 slots rather than wait for one another.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './support/measure.js';
import { klingManifest, runRender } from './support/render-child.js';
import { sideBySide, targetLine } from './support/side-by-side.js';
import { idealMs } from './support/stats.js';

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const RENDERS_EACH = 24;
const CONCURRENCY = 16;
const RATIO_TARGET = 1.2;
const JOBS = { jobDurationMs: { min: 1000, max: 3000 }, durationSeed: 2026, maxVideoFrames: 2 };

const files = NAMES.map((n) => `${n}.yaml`);
const row = await measure('render, 5 manifests', JOBS, async (emu) => {
  const dir = await mkdtemp(join(tmpdir(), 'render-bench-manifests-'));
  for (const name of NAMES) await writeFile(join(dir, `${name}.yaml`), klingManifest(`bench-${name}`, RENDERS_EACH));
  const run = await runRender(emu, dir, files, ['--concurrency', String(CONCURRENCY), '--poll-interval', '0.25']);
  if (run.code !== 0) throw new Error(`render exited ${run.code}`);
  return run.wallMs;
});
const ideal = idealMs(row.durationsMs, CONCURRENCY);
console.log(`${NAMES.length} manifests x ${RENDERS_EACH} renders of 1-3 s in one command: render run ${files.join(' ')} --concurrency ${CONCURRENCY} --poll-interval 0.25`);
console.log(`  ideal lower bound over all ${row.jobs} jobs ${(ideal / 1000).toFixed(2)} s`);
for (const line of sideBySide([row], CONCURRENCY)) console.log(`  ${line}`);
console.log(`  ${targetLine('makespan (whole command) / ideal', row.wallMs / ideal, RATIO_TARGET, 3)}`);
console.log(`  ${targetLine('peak jobs in flight (server-observed)', row.peakInFlight, CONCURRENCY, 0)}`);
