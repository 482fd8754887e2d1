/**
 * What the steps of a manifest's renders are given: the world they act on, all injectable. The
 * journal, layout, takes, emit and changed are the manifest's own; the rest is the command's.
 */
import type { Dispatcher } from 'undici';
import type { RunLayout } from '../store/layout.js';
import type { JournalEntry } from '../store/journal.js';
import type { TakeFacts, TakeStore } from '../store/take-store.js';
import type { Clock } from './clock.js';
import type { DownloadLimits } from './download.js';
import type { EventInit } from './events.js';
import type { ProviderGates } from './provider-gates.js';
import type { SendFn } from './run-batch.js';
import type { SaveVideo } from './download-step.js';
import type { Slots } from './slots.js';
import type { SubmitVerdict } from './budget.js';
import type { Job } from './job.js';
import type { Schedule } from './schedule.js';
import type { ReadSchedule } from './read-schedule.js';

export interface JobStepsDeps {
  clock: Clock;
  random: () => number;
  slots: Slots;
  gates: ProviderGates;
  journal: { append(entry: JournalEntry): Promise<void> };
  send: SendFn;
  dispatcher: Dispatcher;
  layout: RunLayout;
  /** Where every downloaded video is kept (the current one is linked to `<id>.mp4`). */
  takes: TakeStore;
  /** What the previous run knew of a render's current video, to keep it as a take when replaced. */
  previousTake: (id: string) => TakeFacts | undefined;
  pollIntervalMs: number | undefined;
  timeoutMs: number;
  emit: (e: EventInit) => void;
  /** Something a record shows changed (manifest.json should be rewritten soon). */
  changed: () => void;
  /** Limits of each download attempt (`--max-video-size` among them); TRANSFER_LIMITS by default. */
  downloadLimits?: Partial<DownloadLimits> | undefined;
  /** After stop(), how long a submit already sent may wait for its answer. */
  submitGraceMs?: number | undefined;
  /** Fetches, verifies and keeps a succeeded job's video (the take store's by default; tests give their own). */
  saveVideo?: SaveVideo | undefined;
  /** Asked before each submit whether the providers' budgets allow it (engine/budget.ts). */
  budget?: { beforeSubmit(job: Job): SubmitVerdict } | undefined;
  /**
   * The command's schedule, shared with its other manifests (one set of slots, one queue, one
   * poller); without it the manifest runs on a schedule of its own.
   */
  schedule?: Schedule | undefined;
  /** Learned times to completion: when to read each job (read-schedule.ts); without it, the base interval. */
  readSchedule?: ReadSchedule | undefined;
}
