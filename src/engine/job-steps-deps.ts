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
import type { Schedule } from './schedule.js';
import type { ReadSchedule } from './read-schedule.js';

export interface JobStepsDeps {
  clock: Clock;
  random: () => number;
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
  /** Fetches, verifies and keeps a succeeded job's video (the take store's by default; tests give their own). */
  saveVideo?: SaveVideo | undefined;
  /**
   * The command's schedule (slots, pacing, the submit queue, the poller, budgets, Ctrl-C),
   * shared with its other manifests; `gates` and `clock` are the ones it was made with.
   */
  schedule: Schedule;
  /** Learned times to completion: when to read each job (read-schedule.ts); without it, the base interval. */
  readSchedule?: ReadSchedule | undefined;
}
