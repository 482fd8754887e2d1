/**
 * The engine against the emulator, render running as a child process as a user runs it:
 * 1. 200 renders of 1-3 s with --concurrency 16 --poll-interval 0.25 (render with nothing
 *    learned, and render starting with the times an earlier run learned), and beside render, on
 *    fresh emulators drawing the same job durations in submit order, the popular clients'
 *    pattern (each job polls on its own at a fixed interval, at most 16 in flight) at 0.25 s
 *    and 0.5 s. Makespan over the ideal lower bound max(total work / 16, longest job), from the
 *    first submit to the last download as the in-process peers are measured (target <= 1.15),
 *    and for render's whole command beside it (its start-up and exit, which the peers do not
 *    pay); status reads per render (target <= 4.5), detection lag, and the peak of jobs in
 *    flight the server saw (target <= 16).
 *    The four clients run in turns, ROUNDS times (`--rounds=N`, default 3), so a change in the
 *    machine's load falls on all of them, each round on durations drawn from a seed of its own;
 *    each row is a client's median round (by ratio), and every round's ratios follow the table.
 * 2. Peak RSS of render during a 10,000-render run (target < 150 MB); skipped with --quick.
 * Krea Kling 2.5 is used because Krea's job answer carries created_at/completed_at, which give
 * each job's exact duration for the lower bound. Kling has no seed, so every take is a distinct
 * picture the emulator encodes in this process; small pictures (BENCH_VIDEO_SIDE) keep that
 * encoding from taking the cores render is measured on, as a real provider's encoding would not.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, withEmulator, type Measured } from './support/measure.js';
import { runPeer } from './support/peer-client.js';
import { pollingFloorMs } from './support/polling-floor.js';
import { KLING_BENCH_BODY, klingManifest, runRender } from './support/render-child.js';
import { sideBySide, targetLine } from './support/side-by-side.js';
import { idealMs } from './support/stats.js';

const RENDERS = 200;
const CONCURRENCY = 16;
/**
 * The emulator's job durations for round `round` of the makespan runs: drawn from one seed for
 * every client of the round, and from another seed in each round, so that no figure hangs on
 * one draw of durations.
 */
const jobs = (round: number) => ({ jobDurationMs: { min: 1000, max: 3000 }, durationSeed: 2026 + round, maxVideoFrames: 2 });
const RATIO_TARGET = 1.15;
const READS_PER_RENDER_TARGET = 4.5;
/** The peers' fixed intervals, in s: fal-js's default is 0.5. */
const PEER_INTERVALS_S = [0.25, 0.5];

/** Rounds of the four clients (`--rounds=N`). */
const ROUNDS = roundsFlag(process.argv) ?? 3;

function roundsFlag(argv: readonly string[]): number | undefined {
  const flag = argv.find((a) => a.startsWith('--rounds='));
  if (flag === undefined) return undefined;
  const n = Number(flag.slice('--rounds='.length));
  if (!(Number.isInteger(n) && n >= 1)) throw new Error('--rounds= takes a whole number of at least 1');
  return n;
}

const idealOf = (r: Measured): number => idealMs(r.durationsMs, CONCURRENCY);
/** The whole command's makespan over the ideal of its round's jobs. */
const ratio = (r: Measured): number => r.wallMs / idealOf(r);
/** First submit to last download over the ideal. */
const spanRatio = (r: Measured): number => (r.lastDownloadMs - r.firstSubmitMs) / idealOf(r);

/** A client's round with the median ratio. */
function medianRound(rounds: readonly Measured[]): Measured {
  const sorted = [...rounds].sort((a, b) => ratio(a) - ratio(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Peak RSS of render during the 10,000-render run, in MB. */
const PEAK_RSS_TARGET_MB = 150;

const s = (ms: number): string => (ms / 1000).toFixed(2);

/** Renders of an earlier run under the same output folder, for the run that starts with their times learned. */
const EARLIER_RENDERS = 48;

/**
 * render's run of the bench. `learned`: an earlier run under the same output folder (another
 * manifest, on an emulator of its own with other draws from the same range) rendered
 * EARLIER_RENDERS jobs first, so this run starts with their times in `<out>/.render/timings.json`.
 */
async function renderRun(learned: boolean, round: number): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'render-bench-'));
  if (learned) {
    await withEmulator({ ...jobs(round), durationSeed: jobs(round).durationSeed + 1000 }, async (emu) => {
      await writeFile(join(dir, 'earlier.yaml'), klingManifest('earlier', EARLIER_RENDERS));
      const run = await runRender(emu, dir, ['earlier.yaml'], ['--concurrency', String(CONCURRENCY), '--poll-interval', '0.25']);
      if (run.code !== 0) throw new Error(`render exited ${run.code}`);
    });
  }
  return measure(learned ? `render, times learned earlier` : 'render', jobs(round), async (emu) => {
    await writeFile(join(dir, 'job.yaml'), klingManifest('bench', RENDERS));
    const run = await runRender(emu, dir, ['job.yaml'], ['--concurrency', String(CONCURRENCY), '--poll-interval', '0.25']);
    if (run.code !== 0) throw new Error(`render exited ${run.code}`);
    return run.wallMs;
  });
}

async function peerRun(intervalS: number, round: number): Promise<Measured> {
  return measure(`peer pattern, every ${intervalS} s`, jobs(round), async (emu) => {
    const peer = await runPeer({
      baseUrl: emu.env['KREA_BASE_URL']!,
      token: emu.env['KREA_API_TOKEN']!,
      jobs: RENDERS,
      concurrency: CONCURRENCY,
      pollIntervalMs: intervalS * 1000,
      body: { ...KLING_BENCH_BODY },
    });
    return peer.wallMs;
  });
}

async function makespan(): Promise<void> {
  const clients: Array<(round: number) => Promise<Measured>> = [(r) => renderRun(false, r), (r) => renderRun(true, r), ...PEER_INTERVALS_S.map((i) => (r: number) => peerRun(i, r))];
  const rounds: Measured[][] = clients.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, client] of clients.entries()) rounds[i]!.push(await client(round));
  }
  const rows = rounds.map(medianRound);
  const [render, warm] = rows as [Measured, Measured, ...Measured[]];
  const same = rounds.every((runs) => runs.every((run, r) => run.durationsMs.join() === rounds[0]![r]!.durationsMs.join()));
  console.log(`${RENDERS} renders of 1-3 s, --concurrency ${CONCURRENCY} --poll-interval 0.25; the peer pattern: each job polls on its own, at most ${CONCURRENCY} in flight`);
  console.log(`  ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, the clients taking turns; in each round every client meets the same job durations in submit order: ${same ? 'yes' : 'NO'}`);
  console.log(`  ideal lower bound of each round (max of total work / ${CONCURRENCY}, longest job): ${rounds[0]!.map((r) => `${(idealOf(r) / 1000).toFixed(2)} s`).join(', ')}`);
  console.log(`  each row: the client's median round by ratio`);
  for (const line of sideBySide(rows, CONCURRENCY)) console.log(`  ${line}`);
  if (ROUNDS > 1) {
    for (const runs of rounds) {
      const ratios = runs.map((r) => `${ratio(r).toFixed(3)} (${spanRatio(r).toFixed(3)})`);
      console.log(`  ${runs[0]!.who}, each round: ${ratios.join(', ')}  [whole command (first submit → last download)]`);
    }
  }
  console.log(`  render's command: start → first submit ${s(render.firstSubmitMs - render.clientStartMs)} s, last download → exit ${s(render.clientEndMs - render.lastDownloadMs)} s`);
  const floor = pollingFloorMs(render.durationsMs, CONCURRENCY, 250);
  console.log(`  an engine with zero overhead, polling every 0.25 s, on the jobs of render's median round: ${(floor / 1000).toFixed(2)} s, ratio ${(floor / idealOf(render)).toFixed(3)}`);
  console.log(`  (render, times learned earlier: an earlier run of ${EARLIER_RENDERS} renders under the same output folder left their times in timings.json)`);
  console.log(`  ${targetLine('render makespan (first submit → last download) / ideal', spanRatio(render), RATIO_TARGET, 3)}`);
  console.log(`  render makespan (whole command: + start-up and exit) / ideal ${ratio(render).toFixed(3)}`);
  console.log(`  ${targetLine('render status reads per render', render.statusReads / render.jobs, READS_PER_RENDER_TARGET, 2)}`);
  console.log(`  ${targetLine('render, times learned earlier: makespan (first submit → last download) / ideal', spanRatio(warm), RATIO_TARGET, 3)}`);
  console.log(`  render, times learned earlier: makespan (whole command) / ideal ${ratio(warm).toFixed(3)}`);
  console.log(`  ${targetLine('render, times learned earlier: status reads per render', warm.statusReads / warm.jobs, READS_PER_RENDER_TARGET, 2)}`);
  console.log(`  ${targetLine('render peak jobs in flight (server-observed)', render.peakInFlight, CONCURRENCY, 0)}`);
}

async function memory(): Promise<void> {
  const renders = 10_000;
  await withEmulator({ jobDurationMs: { min: 100, max: 300 }, maxVideoFrames: 1 }, async (emu) => {
    const dir = await mkdtemp(join(tmpdir(), 'render-bench-'));
    await writeFile(join(dir, 'job.yaml'), klingManifest('bench', renders));
    const run = await runRender(emu, dir, ['job.yaml'], ['--concurrency', '64', '--poll-interval', '0.1']);
    if (run.code !== 0) throw new Error(`render exited ${run.code}`);
    console.log(`${renders} renders, --concurrency 64: ${(run.wallMs / 1000).toFixed(1)} s`);
    const ok = run.peakRssMb < PEAK_RSS_TARGET_MB;
    console.log(`  peak RSS of render ${run.peakRssMb.toFixed(0)} MB (target < ${PEAK_RSS_TARGET_MB} MB) ${ok ? 'OK' : 'OVER TARGET'}`);
    console.log(`  ${targetLine('peak jobs in flight (server-observed)', emu.peakInFlight().total, 64, 0)}`);
  });
}

if (!process.argv.includes('--memory-only')) await makespan();
if (!process.argv.includes('--quick')) await memory();
