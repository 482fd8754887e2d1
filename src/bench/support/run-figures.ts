/**
 * What one client's run did, as the emulator saw it: the jobs in submit order with their true
 * durations (from the provider's own created/completed timestamps), when each job's completion
 * was detected, the status reads, and the span from the first submit to the last download.
 * Every time is on the emulator's log clock (ms since it started).
 */
import type { Emulator, LoggedRequest } from '../../emulator/types.js';

/** A job's provider timestamps, in epoch ms. */
export interface ProviderTimes {
  createdMs: number;
  completedMs: number;
}

export interface RunFigures {
  /** Jobs created, in submit order. */
  jobs: number;
  /** Each job's duration by the provider's timestamps, in submit order. */
  durationsMs: number[];
  /** For each job, when the status read that saw it done arrived minus when it completed. */
  detectionLagsMs: number[];
  statusReads: number;
  firstSubmitMs: number;
  lastDownloadMs: number;
  peakInFlight: number;
}

const isStatusRead = (r: LoggedRequest): boolean => r.provider === 'krea' && r.method === 'GET' && r.path.startsWith('/jobs/');

/**
 * Figures from the request log of a Krea run. `epochZeroMs` is the wall-clock time at which the
 * emulator started (its log clock's zero). The status read that saw a job done is the last one
 * before the job's first download: a client downloads once it has seen the job done.
 */
export function runFigures(log: readonly LoggedRequest[], times: ReadonlyMap<string, ProviderTimes>, epochZeroMs: number, peakInFlight: number): RunFigures {
  const submits = log.filter((r) => r.provider === 'krea' && r.method === 'POST' && r.status === 200 && r.jobId !== undefined);
  const reads = new Map<string, number[]>();
  const firstDownload = new Map<string, number>();
  for (const r of log) {
    if (r.jobId === undefined) continue;
    if (isStatusRead(r)) {
      const seen = reads.get(r.jobId) ?? [];
      seen.push(r.atMs);
      reads.set(r.jobId, seen);
    }
    else if (r.provider === 'media' && !firstDownload.has(r.jobId)) firstDownload.set(r.jobId, r.atMs);
  }
  const durationsMs: number[] = [];
  const detectionLagsMs: number[] = [];
  for (const submit of submits) {
    const id = submit.jobId!;
    const t = times.get(id);
    if (t === undefined) throw new Error(`no provider timestamps for job ${id}`);
    durationsMs.push(t.completedMs - t.createdMs);
    const downloadAt = firstDownload.get(id);
    const seenAt = (reads.get(id) ?? []).filter((at) => downloadAt !== undefined && at <= downloadAt).at(-1);
    if (seenAt !== undefined) detectionLagsMs.push(seenAt - (t.completedMs - epochZeroMs));
  }
  const downloads = log.filter((r) => r.provider === 'media').map((r) => r.atMs);
  return {
    jobs: submits.length,
    durationsMs,
    detectionLagsMs,
    statusReads: log.filter(isStatusRead).length,
    firstSubmitMs: submits.length > 0 ? Math.min(...submits.map((r) => r.atMs)) : NaN,
    lastDownloadMs: downloads.length > 0 ? Math.max(...downloads) : NaN,
    peakInFlight,
  };
}

/**
 * Reads every Krea job the log shows created, for its created/completed timestamps. The reads
 * are the bench's own: take the log and peak before calling this.
 */
export async function providerTimes(emu: Emulator, log: readonly LoggedRequest[]): Promise<Map<string, ProviderTimes>> {
  const times = new Map<string, ProviderTimes>();
  const ids = log.filter((r) => r.provider === 'krea' && r.method === 'POST' && r.jobId !== undefined).map((r) => r.jobId!);
  for (const id of ids) {
    const res = await fetch(`${emu.env['KREA_BASE_URL']}/jobs/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${emu.env['KREA_API_TOKEN']}` } });
    const job = (await res.json()) as { created_at: string; completed_at: string | null };
    if (job.completed_at === null) throw new Error(`job ${id} has not completed`);
    times.set(id, { createdMs: Date.parse(job.created_at), completedMs: Date.parse(job.completed_at) });
  }
  return times;
}
