/**
 * Several manifests on one schedule, on a fake clock: they share the slots, the pacing and the
 * poller, in manifest order, so one manifest's tail never leaves a slot idle while another has
 * renders waiting; each keeps its own journal and events; a manifest's own concurrency holds
 * for its renders.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventInit } from '../../src/engine/events.js';
import { Job } from '../../src/engine/job.js';
import { JobSteps } from '../../src/engine/job-steps.js';
import { prepareRender } from '../../src/engine/prepare.js';
import { ProviderGates } from '../../src/engine/provider-gates.js';
import { Schedule } from '../../src/engine/schedule.js';
import { Slots } from '../../src/engine/slots.js';
import type { SaveVideo } from '../../src/engine/download-step.js';
import type { JournalEntry } from '../../src/store/journal.js';
import { runLayout } from '../../src/store/layout.js';
import type { TakeStore } from '../../src/store/take-store.js';
import { FakeClock, PaperProvider, paperAdapter, spec } from './support/paper.js';

interface Manifest {
  name: string;
  renders: number;
  /** The manifest's own concurrency (its lane's limit), if any. */
  concurrency?: number;
}

/** Runs `manifests` on one schedule of `concurrency` slots; jobs take the ms their prompt says. */
async function runTogether(manifests: Manifest[], concurrency: number, jobMs: (prompt: string) => number, journalMs: (phase: string) => number = () => 0) {
  const clock = new FakeClock();
  const t0 = clock.now();
  const provider = new PaperProvider(clock, t0, jobMs);
  const lanes = new Map(manifests.flatMap((m, lane) => (m.concurrency === undefined ? [] : [[lane, m.concurrency] as [number, number]])));
  const slots = new Slots(concurrency, {}, lanes);
  const gates = new ProviderGates(clock, {});
  const schedule = new Schedule({ clock, slots, gates });
  const saveVideo: SaveVideo = () =>
    new Promise((resolve) => {
      clock.setTimer(() => resolve({ sha256: 'ab'.repeat(32), bytes: 1000, video: { width: 832, height: 480, duration_s: 5 }, downloaded_at: new Date(clock.now()).toISOString() }), 100);
    });
  const journals = new Map<string, JournalEntry[]>();
  const events: EngineEvent[] = [];
  const jobsOf = new Map<string, Job[]>();
  let order = 0;
  for (const [lane, m] of manifests.entries()) {
    const journal: JournalEntry[] = [];
    journals.set(m.name, journal);
    const steps = new JobSteps({
      clock,
      random: () => 0.5,
      gates,
      schedule,
      // A line is on disk journalMs(phase) after it was asked for (0: at once).
      journal: {
        append: (e) =>
          new Promise<void>((resolve) => {
            const done = (): void => void resolve(void journal.push(e));
            const ms = journalMs(e.phase);
            if (ms > 0) clock.setTimer(done, ms);
            else done();
          }),
      },
      send: provider.send,
      dispatcher: undefined as never,
      layout: runLayout('/paper', m.name),
      takes: undefined as unknown as TakeStore,
      previousTake: () => undefined,
      pollIntervalMs: 250,
      timeoutMs: 3600_000,
      emit: (e: EventInit) => events.push({ ...e, manifest: m.name, at: new Date(clock.now()).toISOString() } as EngineEvent),
      changed: () => undefined,
      saveVideo,
    });
    const jobs: Job[] = [];
    for (let n = 0; n < m.renders; n += 1) {
      const prepared = await prepareRender(spec(`r${n + 1}.seed-1`, `${m.name} ${n + 1}`), paperAdapter);
      const job = new Job(order++, prepared, paperAdapter, { kind: 'submit' }, { earlierTakes: () => [] } as unknown as TakeStore);
      job.lane = lane;
      jobs.push(job);
    }
    jobsOf.set(m.name, jobs);
    steps.add(jobs);
  }
  await clock.run(schedule.run());
  /** Each job at the provider from its submit to its end, in fake ms since the start. */
  const spans = provider.log.filter((r) => r.operation === 'submit').map((r) => ({ prompt: r.prompt ?? '', from: r.at, to: r.at + jobMs(r.prompt ?? '') }));
  const peak = (keep: (prompt: string) => boolean): number => {
    const mine = spans.filter((s) => keep(s.prompt));
    return Math.max(...mine.map((s) => mine.filter((o) => o.from <= s.from && s.from < o.to).length));
  };
  return { clock, t0, provider, journals, events, jobsOf, spans, peak, end: clock.now() - t0 };
}

describe('one schedule for every manifest of a command', () => {
  it("fills the slots a manifest's tail leaves with the next manifest's renders", async () => {
    // a: one long render; b: four short ones. One after another this takes 10 s + 2 × 1 s.
    const ms = (prompt: string): number => (prompt.startsWith('a ') ? 10_000 : 1000);
    const run = await runTogether(
      [
        { name: 'a', renders: 1 },
        { name: 'b', renders: 4 },
      ],
      2,
      ms,
    );
    for (const jobs of run.jobsOf.values()) expect(jobs.every((j) => j.finalStatus === 'succeeded')).toBe(true);
    const submits = run.spans.map((s) => [s.prompt, s.from]);
    // Manifest order first (a, then b), and b's renders take the second slot while a's runs.
    expect(submits[0]).toEqual(['a 1', 0]);
    expect(submits[1]).toEqual(['b 1', 0]);
    expect(run.spans.filter((s) => s.prompt.startsWith('b ')).every((s) => s.to <= 5000)).toBe(true);
    // Done when a's job is (seen at the next read, then its 0.1 s download).
    expect(run.end).toBeLessThanOrEqual(10_000 + 250 + 100);
    expect(run.peak(() => true)).toBe(2);
  });

  it("gives a finished job's slot to the next render at once, not once its success is on disk", async () => {
    // One slot; the line that says a job succeeded takes 0.5 s to reach the disk.
    const run = await runTogether([{ name: 'a', renders: 2 }], 1, () => 1000, (phase) => (phase === 'succeeded' ? 500 : 0));
    const first = run.jobsOf.get('a')?.[0]?.state.job_id;
    const seenDone = run.provider.log.filter((r) => r.operation === 'status' && r.jobId === first).at(-1)?.at;
    expect(seenDone).toBeGreaterThanOrEqual(1000);
    expect(run.spans[1]?.from).toBe(seenDone);
    expect(run.journals.get('a')?.filter((e) => e.phase === 'succeeded')).toHaveLength(2);
  });

  it("keeps each manifest's journal and events its own", async () => {
    const run = await runTogether(
      [
        { name: 'a', renders: 2 },
        { name: 'b', renders: 2 },
      ],
      4,
      () => 1000,
    );
    for (const name of ['a', 'b']) {
      const journal = run.journals.get(name) ?? [];
      const submitted = journal.filter((e) => e.phase === 'submitted');
      expect(submitted).toHaveLength(2);
      const jobIds = new Set(submitted.map((e) => ('job_id' in e ? e.job_id : undefined)));
      // Each journal holds the job ids of its own renders only.
      const own = (run.jobsOf.get(name) ?? []).map((j) => j.state.job_id);
      expect([...jobIds].sort()).toEqual([...own].sort());
      const downloaded = run.events.filter((e) => e.event === 'downloaded' && e.manifest === name);
      expect(downloaded).toHaveLength(2);
    }
  });

  it("holds a manifest to its own concurrency while the others use the rest of the slots", async () => {
    const run = await runTogether(
      [
        { name: 'a', renders: 4, concurrency: 1 },
        { name: 'b', renders: 6, concurrency: 3 },
      ],
      3,
      () => 2000,
    );
    expect(run.peak((p) => p.startsWith('a '))).toBe(1);
    expect(run.peak((p) => p.startsWith('b '))).toBeLessThanOrEqual(2);
    expect(run.peak(() => true)).toBe(3);
    // a's single lane never blocked b: b had two slots from the start.
    expect(run.spans.filter((s) => s.from === 0).map((s) => s.prompt)).toEqual(['a 1', 'b 1', 'b 2']);
  });
});
