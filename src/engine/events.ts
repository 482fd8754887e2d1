/**
 * What the engine tells the outside world, one event per state change. The CLI turns them into
 * a progress bar, plain lines, or JSON lines (`--json`); the engine never prints.
 */
import type { ProblemStatus } from '../core/lifecycle.js';
import type { ProviderName } from '../core/catalog.js';
import type { RenderRecord, RenderState } from '../core/records.js';

interface Base {
  /** The manifest's name (its output folder). */
  manifest: string;
  /** ISO time of the event. */
  at: string;
}

export type EngineEvent =
  | (Base & { event: 'start'; total: number; to_submit: number; to_resume: number; skipped: number; dir: string })
  | (Base & { event: 'skipped'; id: string; reason: string })
  | (Base & { event: 'submitted'; id: string; provider: ProviderName; job_id: string; resumed: boolean })
  | (Base & { event: 'status'; id: string; state: RenderState; provider_status?: string; progress?: number })
  | (Base & { event: 'retry'; id: string; operation: 'submit' | 'status' | 'download'; attempt: number; delay_ms: number; reason: string })
  | (Base & { event: 'downloaded'; id: string; file: string; sha256: string; bytes: number; video: RenderRecord['video'] })
  | (Base & { event: 'failed'; id: string; status: ProblemStatus; error: string; job_id: string | null })
  | (Base & { event: 'warning'; id?: string; message: string });

/** Receives events; must not throw. */
export type EventSink = (event: EngineEvent) => void;

/** An event payload without the fields the engine fills in. */
export type EventInit = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'manifest' | 'at'> : never) : never;
