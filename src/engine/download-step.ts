/**
 * Bringing a succeeded job's video home: fetched (retried by the retry policy, with a fresh
 * status read for an expired result URL), verified, kept in the take store and made the
 * render's current take, then journaled. What a download that failed for good means for the
 * render is download-outcome.ts's; the job stays recorded, so a rerun downloads it, not resubmits.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { takeCost } from '../core/prices.js';
import type { Take } from '../core/records.js';
import type { JobStatus } from '../providers/types.js';
import type { DownloadedVideo } from './download.js';
import { downloadOutcome } from './download-outcome.js';
import { errorInfo } from './decide.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { fetchVideo } from './fetch-video.js';
import type { Job } from './job.js';
import type { JobStepsDeps } from './job-steps-deps.js';
import { decideRead } from './retry-policy.js';
import type { StepContext } from './step-context.js';
import { withRetry } from './with-retry.js';
import { readStatus } from './poll-step.js';

/** A video fetched, verified and kept: what the journal and manifest.json record of it. */
export type SavedVideo = Omit<DownloadedVideo, 'video'> & { video: DownloadedVideo['video'] | null; downloaded_at: string };

/** Fetches `url` for `job`, verifies it and keeps it as the render's current take. */
export type SaveVideo = (job: Job, url: string, o: { signal: AbortSignal; freshUrl: () => Promise<string> }) => Promise<SavedVideo>;

/** The real one: into the take store, then linked to `<id>.mp4`. */
export function takeStoreSaver(d: JobStepsDeps): SaveVideo {
  return async (job, url, o) => {
    const { request_sha256: sha, job_id: jobId, seed } = job.state;
    // A take of this very job already kept (a crash came before the journal said so): no refetch.
    let take: Take | undefined = await d.takes.intactTake(job.id, sha, jobId);
    if (!take) {
      const into = d.takes.pathFor(job.id, sha, jobId);
      await mkdir(dirname(into.abs), { recursive: true });
      const got = await fetchVideo({
        provider: job.provider,
        url,
        target: into.abs,
        dispatcher: d.dispatcher,
        signal: o.signal,
        deadlineAt: job.deadlineAt,
        limits: d.downloadLimits,
        clock: d.clock,
        random: d.random,
        freshUrl: o.freshUrl,
        onRetry: (attempt, delayMs, reason) => d.emit({ event: 'retry', id: job.id, operation: 'download', attempt, delay_ms: delayMs, reason }),
      });
      const at = new Date(d.clock.now()).toISOString();
      take = await d.takes.add(job.id, into.file, { request_sha256: sha, seed, job_id: jobId, sha256: got.sha256, bytes: got.bytes, video: got.video, downloaded_at: at, ...takeCost(job.prepared.spec.model, job.prepared.spec.params, job.state.provider_metadata.credits_used) });
    }
    await d.takes.makeCurrent(job.id, take, d.previousTake(job.id));
    return { sha256: take.sha256, bytes: take.bytes, video: take.video, downloaded_at: take.downloaded_at ?? new Date(d.clock.now()).toISOString() };
  };
}

export async function downloadStep(ctx: StepContext, job: Job, url: string, save: SaveVideo): Promise<void> {
  ctx.setStatus(job, 'downloading');
  const file = ctx.d.layout.videoFile(job.id);
  try {
    const got = await save(job, url, { signal: ctx.readSignal, freshUrl: () => freshUrl(ctx, job) });
    // The file is in place: a line that cannot be written is said (and stops submits), and
    // manifest.json still records the file, so a rerun finds it done.
    await ctx.recordOrWarn(job, 'downloaded', { file, sha256: got.sha256, bytes: got.bytes, video: got.video, downloaded_at: got.downloaded_at });
    ctx.d.emit({ event: 'downloaded', id: job.id, file, sha256: got.sha256, bytes: got.bytes, video: got.video });
    ctx.settle(job, 'succeeded', null);
  } catch (err) {
    if (ctx.stopped) return; // Ctrl-C: the journal says "succeeded, not downloaded"; a rerun fetches it.
    // The job is paid and done: the journal stays at 'succeeded' so a rerun downloads it again.
    const known = downloadOutcome(err, ctx.d.timeoutMs);
    if (known) {
      ctx.settle(job, known.status, known.error);
      if (known.haltSubmits !== undefined) ctx.haltSubmits(known.haltSubmits);
      return;
    }
    ctx.settle(job, 'failed', errorInfo(err, `download failed: ${(err as Error).message}; the job succeeded, run render again to download it`));
  }
}

/** A status read (retried by the policy) for a new result URL after the old one expired. */
async function freshUrl(ctx: StepContext, job: Job): Promise<string> {
  return withRetry(
    async () => {
      const wait = ctx.d.gates.readyAt(job.provider) - ctx.now();
      if (wait > 0) await new Promise<void>((resolve) => ctx.d.clock.setTimer(resolve, wait));
      const status: JobStatus = await readStatus(ctx, job);
      if (status.state === 'succeeded') return status.videoUrl;
      throw new Error(`the job is "${status.providerStatus}" now, not finished`);
    },
    {
      clock: ctx.d.clock,
      signal: ctx.readSignal,
      random: ctx.d.random,
      decide: (err, attempt, random) => {
        const decision = decideRead(err, 'status', attempt, random);
        if (decision.action === 'fail' || attempt >= ENGINE_DEFAULTS.freshUrlAttempts || ctx.stopped) return { action: 'fail', reason: String(err) };
        if (decision.retryAfterMs !== undefined) ctx.d.gates.blockUntil(job.provider, ctx.now() + decision.retryAfterMs);
        return decision;
      },
    },
  );
}
