/**
 * The life of one render, in one place. Two vocabularies, each a closed union with its facts in
 * a table keyed by it, so a new state is added here and the compiler points at every place that
 * must say something about it:
 *
 * - `Phase`: the durable step the journal records (`.render/journal.jsonl`). It is the truth a
 *   rerun decides from: is there a job at the provider, may the render be submitted again.
 * - `RenderState`: what a record in manifest.json, the progress bar and the summary show.
 *
 * A render moves through phases along `PHASES[from].next` only; the engine checks every step it
 * journals against it.
 */

export type Phase =
  /** Written before the POST: if nothing follows, the job may or may not exist. */
  | 'submitting'
  /** The POST certainly created nothing (429, 503, refused, 4xx): safe to send again. */
  | 'not_created'
  /** The provider accepted the job: `job_id` is known. */
  | 'submitted'
  /** First seen running at the provider. */
  | 'started'
  /** The job succeeded at the provider; its video is not on disk yet. */
  | 'succeeded'
  /** The video is on disk, verified, and is the render's current take. */
  | 'downloaded'
  /** The provider reported the job failed. */
  | 'failed'
  /** render stopped waiting (--timeout); the job may still be rendering and is polled again by the next run. */
  | 'timed_out'
  /** The provider no longer knows the job (404 on a status read): the next run submits a new one. */
  | 'lost'
  /** Cancelled at the provider by `render cancel`. */
  | 'cancelled'
  /** The submit's answer was lost: a job may exist. Not resent without --force. */
  | 'indeterminate';

/** What the next run does with a render whose request is unchanged, by its last phase. */
export type OnRestart =
  /** Done if the file is intact; otherwise fetch the video again from the paid job. */
  | 'check_file'
  /** Poll the job already paid for; never submit. */
  | 'resume'
  /** Leave alone unless --force: a job may exist that render cannot see. */
  | 'hold'
  /** Submit (again): no job of ours is live for it. */
  | 'submit';

interface PhaseFacts {
  /** A job of ours exists at the provider and is unfinished, or finished with its video not home. */
  jobAtProvider: boolean;
  onRestart: OnRestart;
  /** Phases this one may move to. */
  next: readonly Phase[];
}

const POLLED: readonly Phase[] = ['started', 'succeeded', 'failed', 'timed_out', 'lost', 'cancelled'];

export const PHASES: Record<Phase, PhaseFacts> = {
  submitting: { jobAtProvider: false, onRestart: 'hold', next: ['submitting', 'submitted', 'not_created', 'indeterminate'] },
  not_created: { jobAtProvider: false, onRestart: 'submit', next: ['submitting'] },
  submitted: { jobAtProvider: true, onRestart: 'resume', next: POLLED },
  started: { jobAtProvider: true, onRestart: 'resume', next: POLLED },
  succeeded: { jobAtProvider: true, onRestart: 'resume', next: ['succeeded', 'downloaded', 'timed_out', 'lost'] },
  downloaded: { jobAtProvider: false, onRestart: 'check_file', next: ['submitting', 'succeeded', 'downloaded', 'lost'] },
  failed: { jobAtProvider: false, onRestart: 'submit', next: ['submitting'] },
  timed_out: { jobAtProvider: true, onRestart: 'resume', next: ['timed_out', ...POLLED] },
  lost: { jobAtProvider: false, onRestart: 'submit', next: ['submitting', 'downloaded'] },
  cancelled: { jobAtProvider: false, onRestart: 'submit', next: ['submitting', 'downloaded'] },
  indeterminate: { jobAtProvider: false, onRestart: 'hold', next: ['submitting', 'downloaded'] },
};

/** Every phase may also become `downloaded` when an earlier take of the same request is restored. */
export function mayMove(from: Phase, to: Phase): boolean {
  return PHASES[from].next.includes(to) || (to === 'downloaded' && PHASES[from].onRestart !== 'resume');
}

/** A job of ours is queued or running at the provider (it could still be cancelled there). */
export function isRendering(phase: Phase): boolean {
  return phase === 'submitted' || phase === 'started' || phase === 'timed_out';
}

/** A job of ours exists at the provider and is not finished, or its video is not home. */
export function isAtProvider(phase: Phase): boolean {
  return PHASES[phase].jobAtProvider;
}

/** Is `phase` a known phase (journal lines are read from disk)? */
export function isPhase(phase: unknown): phase is Phase {
  return typeof phase === 'string' && Object.hasOwn(PHASES, phase);
}

/** What the next run does with a render whose last phase is `phase` and that has `jobId`. */
export function onRestart(phase: Phase, jobId: string | null): OnRestart {
  const facts = PHASES[phase];
  // A job at the provider is only resumable with its id; without one it is a lost answer.
  if (facts.onRestart === 'resume' && jobId === null) return 'hold';
  if (facts.onRestart === 'check_file' && jobId === null) return 'submit';
  return facts.onRestart;
}

export type RenderState =
  /** Planned, nothing sent yet. */
  | 'pending'
  /** Recorded before the POST; no job id known yet. */
  | 'submitting'
  | 'queued'
  | 'running'
  | 'downloading'
  | 'succeeded'
  | 'failed'
  /** render stopped waiting; the job is polled again by the next run. */
  | 'timed_out'
  /** The provider forgot the job; the next run submits a new one. */
  | 'lost'
  /** Cancelled at the provider by `render cancel`. */
  | 'cancelled'
  /** The submit may or may not have created a job (connection dropped after sending). */
  | 'indeterminate';

/** Where the progress bar counts a render; `waiting`: not yet accepted by its provider. */
export type Bucket = 'waiting' | 'queued' | 'running' | 'downloading' | 'done' | 'failed';

interface StateFacts {
  bucket: Bucket;
  /** Settled for this run (nothing more happens to it until the next run). */
  settled: boolean;
  /** Makes the run exit 1 and is listed in the summary with its reason. */
  problem: boolean;
  /** As the summary and the contact sheet write it. */
  label: string;
}

export const STATES: Record<RenderState, StateFacts> = {
  pending: { bucket: 'waiting', settled: false, problem: false, label: 'pending' },
  submitting: { bucket: 'waiting', settled: false, problem: false, label: 'submitting' },
  queued: { bucket: 'queued', settled: false, problem: false, label: 'queued' },
  running: { bucket: 'running', settled: false, problem: false, label: 'running' },
  downloading: { bucket: 'downloading', settled: false, problem: false, label: 'downloading' },
  succeeded: { bucket: 'done', settled: true, problem: false, label: 'succeeded' },
  failed: { bucket: 'failed', settled: true, problem: true, label: 'failed' },
  timed_out: { bucket: 'failed', settled: true, problem: true, label: 'timed out' },
  lost: { bucket: 'failed', settled: true, problem: true, label: 'lost' },
  cancelled: { bucket: 'failed', settled: true, problem: true, label: 'cancelled' },
  indeterminate: { bucket: 'failed', settled: true, problem: true, label: 'indeterminate' },
};

/** How a render ended in this run (`skipped`: already done before it). */
export type FinalStatus = 'succeeded' | 'skipped' | 'failed' | 'timed_out' | 'lost' | 'indeterminate';

/** Final statuses that are problems, as a list (summary counts, events). */
export type ProblemStatus = Exclude<FinalStatus, 'succeeded' | 'skipped'>;

export function isProblem(status: RenderState): boolean {
  return STATES[status].problem;
}

/**
 * Where a render stands before a run, as `render plan` shows it and `render run` acts on it.
 * Decided by the engine's start-of-run planning from the phase, the request hash, the take store
 * and the file on disk.
 */
export type StartState =
  /** Rendered with this exact request, file intact: skipped. */
  | 'done'
  /** An earlier take was rendered with this exact request: it becomes current again, no submit. */
  | 'restore'
  /** A job of ours is at the provider (or its video must be fetched again): polled, not submitted. */
  | 'in_flight'
  /** The submit's answer was lost: not submitted unless --force. */
  | 'indeterminate'
  /** Failed, cancelled or lost last time: submitted again. */
  | 'failed'
  /** The provider forgot the job: submitted again (a new paid job). */
  | 'lost'
  /** Never submitted, or the request changed: submitted. */
  | 'new';

export const START_STATES: Record<StartState, { word: string; run: string }> = {
  done: { word: 'done', run: 'skipped (rendered with this exact request; file intact)' },
  restore: { word: 'earlier take', run: 'no submit: the take rendered earlier with this exact request becomes current again' },
  in_flight: { word: 'in flight', run: 'resumed: the job at the provider is polled and fetched, not submitted again' },
  indeterminate: { word: 'indeterminate', run: 'not submitted: the job may exist (check the dashboard); --force resubmits' },
  failed: { word: 'failed', run: 'submitted again (failed or cancelled last time)' },
  lost: { word: 'lost', run: 'submitted again: the provider no longer knows its job (a new paid job)' },
  new: { word: 'new', run: 'submitted' },
};
