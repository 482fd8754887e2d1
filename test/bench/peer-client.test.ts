import { describe, expect, it } from 'vitest';
import { measure } from '../../src/bench/support/measure.js';
import { runPeer } from '../../src/bench/support/peer-client.js';
import { KLING_BENCH_BODY } from '../../src/bench/support/render-child.js';
import type { Emulator, LoggedRequest } from '../../src/emulator/types.js';

const JOBS = 8;
const CONCURRENCY = 3;
const INTERVAL_MS = 50;
const EMULATOR = { jobDurationMs: { min: 100, max: 250 }, durationSeed: 5, maxVideoFrames: 1 };

/** The peer pattern's run on `emu`, with its log copied before anything else reads the emulator. */
async function peerOn(emu: Emulator): Promise<{ log: LoggedRequest[]; videoBytes: number; wallMs: number }> {
  const result = await runPeer({
    baseUrl: emu.env['KREA_BASE_URL']!,
    token: emu.env['KREA_API_TOKEN']!,
    jobs: JOBS,
    concurrency: CONCURRENCY,
    pollIntervalMs: INTERVAL_MS,
    body: { ...KLING_BENCH_BODY },
  });
  return { ...result, log: [...emu.log] };
}

describe('the peer pattern client', () => {
  it('submits render\'s request, polls each job on its own from one interval after its submit, downloads each video once, and holds at most its concurrency', async () => {
    let seen: Awaited<ReturnType<typeof peerOn>> | undefined;
    const figures = await measure('peer', EMULATOR, async (emu) => {
      seen = await peerOn(emu);
      return seen.wallMs;
    });
    const { log, videoBytes } = seen!;
    const submits = log.filter((r) => r.method === 'POST');
    expect(submits).toHaveLength(JOBS);
    for (const s of submits) expect(s.body).toEqual(KLING_BENCH_BODY);
    expect(log.every((r) => r.status === 200)).toBe(true);

    const downloads = log.filter((r) => r.provider === 'media');
    expect(downloads.map((r) => r.jobId).sort()).toEqual(submits.map((r) => r.jobId).sort());
    expect(videoBytes).toBeGreaterThan(0);

    // A job holds its slot from its submit to its download: never more than CONCURRENCY at once.
    // By arrival time (a download is logged once served); a download before a submit of the same millisecond.
    const byArrival = [...log].sort((a, b) => a.atMs - b.atMs || (a.provider === 'media' ? -1 : b.provider === 'media' ? 1 : 0));
    let open = 0;
    let most = 0;
    for (const r of byArrival) {
      if (r.method === 'POST') most = Math.max(most, (open += 1));
      if (r.provider === 'media') open -= 1;
    }
    expect(most).toBe(CONCURRENCY);
    expect(figures.peakInFlight).toBeLessThanOrEqual(CONCURRENCY);

    for (const s of submits) {
      const reads = log.filter((r) => r.method === 'GET' && r.provider === 'krea' && r.jobId === s.jobId);
      expect(reads.length).toBeGreaterThanOrEqual(1);
      // Log times are whole milliseconds.
      expect(reads[0]!.atMs - s.atMs).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
      const download = downloads.find((r) => r.jobId === s.jobId)!;
      expect(reads.at(-1)!.atMs).toBeLessThanOrEqual(download.atMs);
    }
    expect(figures.statusReads).toBe(log.filter((r) => r.method === 'GET' && r.provider === 'krea').length);
  });

  it('meets the same job durations in submit order on two emulators seeded alike, and detects each job only once it is done', async () => {
    const run = (emu: Emulator): Promise<number> => peerOn(emu).then((r) => r.wallMs);
    const first = await measure('peer', EMULATOR, run);
    const second = await measure('peer', EMULATOR, run);
    expect(first.jobs).toBe(JOBS);
    expect(second.durationsMs).toEqual(first.durationsMs);
    expect(first.durationsMs.every((d) => d >= 100 && d <= 250)).toBe(true);
    expect(first.detectionLagsMs).toHaveLength(JOBS);
    // A read cannot see a job done before it completes; a little slack for the log's whole
    // milliseconds and the time between a request's arrival and its answer.
    for (const lag of [...first.detectionLagsMs, ...second.detectionLagsMs]) expect(lag).toBeGreaterThan(-50);
  });
});
