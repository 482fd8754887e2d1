/**
 * The progress bar counts renders waiting to be submitted apart from those queued at a provider,
 * and its line fits the terminal: per-state words go before the ETA does.
 */
import { describe, expect, it } from 'vitest';
import type { Bucket } from '../../src/core/lifecycle.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { ProgressBar } from '../../src/present/console/progress-bar.js';
import { BAR_MIN, progressLine } from '../../src/present/console/progress-line.js';

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

function counts(c: Partial<Record<Bucket, number>>): Record<Bucket, number> {
  return { waiting: 0, queued: 0, running: 0, downloading: 0, done: 0, failed: 0, ...c };
}

/** Counts in the middle of big runs: every state busy, numbers of up to five digits. */
const BUSY: Record<Bucket, number>[] = [
  counts({ waiting: 150, queued: 20, running: 10, downloading: 2, done: 15, failed: 3 }),
  counts({ waiting: 9000, queued: 400, running: 64, downloading: 12, done: 500, failed: 24 }),
  counts({ waiting: 12345, queued: 12345, running: 12345, downloading: 12345, done: 12345, failed: 12345 }),
  counts({ waiting: 3 }),
];

describe('the progress line', () => {
  it.each([80, 120])('fits %i columns in every state and always keeps the counts and the ETA', (columns) => {
    for (const c of BUSY) {
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      for (const eta of ['?', '59s', '12m30s', '123h59m']) {
        const line = progressLine({ counts: c, total, settled: c.done + c.failed, eta }, columns);
        expect(line.length, line).toBeLessThan(columns);
        expect(line).toContain(`${c.done + c.failed}/${total}`);
        expect(line.endsWith(`| ETA ${eta}`), line).toBe(true);
        expect(line).toMatch(new RegExp(`^[\u2588\u2591]{${BAR_MIN},}`));
      }
    }
  });

  it('shows every state with its word on a wide terminal, waiting apart from queued', () => {
    const line = progressLine({ counts: BUSY[0]!, total: 200, settled: 18, eta: '4m2s' }, 120);
    expect(line).toMatch(/ 18\/200 \| 150 waiting, 20 queued, 10 running, 2 downloading, 15 done, 3 failed \| ETA 4m2s$/);
  });

  it('on 80 columns drops the detail before the ETA', () => {
    const big = BUSY[1]!;
    const line = progressLine({ counts: big, total: 10_000, settled: 524, eta: '1h5m' }, 80);
    expect(line).toMatch(/ 524\/10000 \| 9000 waiting, 476 at providers, 24 failed \| ETA 1h5m$/);
    const zeros = progressLine({ counts: counts({ waiting: 150, queued: 20, done: 30 }), total: 200, settled: 30, eta: '9s' }, 80);
    expect(zeros).toMatch(/ 30\/200 \| 150 waiting, 20 queued, 30 done \| ETA 9s$/);
  });

  it('on a very narrow terminal keeps the numbers and the ETA, the bar while it fits', () => {
    expect(progressLine({ counts: BUSY[0]!, total: 200, settled: 18, eta: '4m2s' }, 30)).toBe('█░░░░░░░░░░ 18/200 | ETA 4m2s');
    expect(progressLine({ counts: BUSY[0]!, total: 200, settled: 18, eta: '4m2s' }, 25)).toBe('18/200 | ETA 4m2s');
  });
});

describe('the bar on a terminal', () => {
  function events(): EngineEvent[] {
    const at = new Date().toISOString();
    const base = { manifest: 'm', at };
    const ev: EngineEvent[] = [];
    for (let i = 0; i < 6; i += 1) ev.push({ ...base, event: 'status', id: `r${i}`, state: 'submitting' });
    for (let i = 0; i < 4; i += 1) ev.push({ ...base, event: 'submitted', id: `r${i}`, provider: 'aimlapi', job_id: `j${i}`, resumed: false });
    ev.push({ ...base, event: 'status', id: 'r0', state: 'running' });
    ev.push({ ...base, event: 'skipped', id: 'r9', reason: 'done' });
    return ev;
  }

  it.each([
    [80, / 1\/10 \| 5 waiting, 3 queued, 1 running, 1 done \| ETA \?$/],
    [120, / 1\/10 \| 5 waiting, 3 queued, 1 running, 0 downloading, 1 done, 0 failed \| ETA \?$/],
  ])('at %i columns draws a line that fits, counting renders not yet submitted as waiting', (columns, expected) => {
    let written = '';
    const stream = { write: (t: string) => void (written += t), isTTY: true, columns };
    const bar = new ProgressBar(stream, 10);
    for (const e of events()) bar.handle(e);
    bar.stop(); // draws the final line
    const drawn = written.replace(ANSI, '\n').split(/[\r\n]/).filter((l) => l.includes('ETA'));
    expect(drawn.length).toBeGreaterThan(0);
    for (const line of drawn) expect(line.length).toBeLessThan(columns);
    expect(drawn.at(-1)).toMatch(expected);
  });
});
