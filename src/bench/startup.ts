/**
 * Start-up cost of `render --help` against a bare `node -e 0` (target: under 2x). The help path
 * must not import yaml, ajv, undici or cli-progress; this catches an eager import creeping in.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = 15;
const bin = fileURLToPath(new URL('../../bin/render.js', import.meta.url));

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

const bare = medianMs(['-e', '0']);
const help = medianMs([bin, '--help']);
const version = medianMs([bin, '--version']);
const ratio = help / bare;
console.log(`node -e 0         ${bare.toFixed(1)} ms (median of ${RUNS})`);
console.log(`render --help     ${help.toFixed(1)} ms`);
console.log(`render --version  ${version.toFixed(1)} ms`);
console.log(`--help / node -e 0 = ${ratio.toFixed(2)} (target < 2.00) ${ratio < 2 ? 'OK' : 'OVER TARGET'}`);
