/** The engine's defaults, in one place. */
import type { ProviderName } from '../core/catalog.js';

export const ENGINE_DEFAULTS = {
  /** Renders in flight at once across providers when neither flag nor manifest says. */
  concurrency: 4,
  /** Per-render deadline, from submit (or resume) to a terminal state. */
  timeoutMs: 3600_000,
  /** Documented creation rates (providers.md A.9); `providers.<name>.submitsPerMinute` overrides. */
  submitsPerMinute: { novita: 20 } as Partial<Record<ProviderName, number>>,
  /** Videos fetched at once; downloads do not hold a provider slot. */
  downloadConcurrency: 8,
  /** A provider's ETA hint never pushes the next status read further away than this. */
  pollHintCapMs: 60_000,
  /** manifest.json (and index.html) are rewritten at most this often while a run goes on. */
  manifestWriteIntervalMs: 1000,
  /** Expired result URLs replaced by a fresh status read, per download. */
  urlRefreshes: 3,
  /** Status reads tried for a fresh result URL after the old one expired. */
  freshUrlAttempts: 5,
  /** `render cancel`: cancels sent at once, and tries per job on 429, 5xx or a dropped connection. */
  cancelConcurrency: 4,
  cancelAttempts: 3,
  /** The journal's reserve (journal.ts) is at least this big… */
  journalReserveMinBytes: 64 * 1024,
  /** …and this much per job that can be in flight: room for its remaining lines (each < 1 KiB). */
  journalReservePerJobBytes: 2 * 1024,
} as const;
