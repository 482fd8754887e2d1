/** One render as the engine drives it: what is durable (journal state) and what is live. */
import type { FinalStatus } from '../core/lifecycle.js';
import type { ProviderName } from '../core/catalog.js';
import type { ProviderAdapter } from '../providers/types.js';
import type { TakeStore } from '../store/take-store.js';
import type { RenderErrorInfo, RenderRecord, RenderState } from '../core/records.js';
import { emptyState, type JournalState } from '../store/journal.js';
import type { PreparedRender } from './prepare.js';
import { buildRecord } from './record.js';
import type { StartAction } from './start-plan.js';

export type { FinalStatus } from '../core/lifecycle.js';

export const INDETERMINATE_HINT =
  'the connection dropped after the request was sent, so the job may exist and be billed: check the ' +
  "provider's dashboard; render will not submit it again unless you run with --force";

export class Job {
  readonly id: string;
  readonly provider: ProviderName;
  state: JournalState;
  status: RenderState;
  error: RenderErrorInfo | null = null;
  /** Set once the render is settled for this run. */
  finalStatus: FinalStatus | undefined;
  holdsSlot = false;
  /** The manifest's lane on a command's schedule (its own concurrency limit), 0 when alone. */
  lane = 0;
  /** The render's deadline (ms since epoch), set when it is submitted or resumed. */
  deadlineAt = Infinity;
  /** Status reads that failed in a row. */
  statusFailures = 0;
  /** A submit that was certainly not created waits until then before it is sent again. */
  notBefore = 0;
  warnedUnknown = false;
  providerStatus: string | undefined;
  /** When its submit was answered in this run (clock ms); undefined for a resumed job. */
  acceptedAt: number | undefined;
  /** Ms after `acceptedAt` of the last answer that saw the job not done (0: the submit's own). */
  pendingSeenMs = 0;

  constructor(
    readonly order: number,
    readonly prepared: PreparedRender,
    readonly adapter: ProviderAdapter,
    readonly action: StartAction,
    private readonly takes: TakeStore,
  ) {
    this.id = prepared.spec.id;
    this.provider = prepared.spec.provider;
    const fresh = emptyState(this.id, prepared.requestSha256, prepared.spec.seed);
    switch (action.kind) {
      case 'skip':
        this.state = action.state ?? fresh;
        this.status = 'succeeded';
        this.finalStatus = 'skipped';
        break;
      case 'restore': {
        const t = action.take;
        this.state = {
          ...fresh,
          phase: 'downloaded',
          seed: t.seed,
          job_id: t.job_id,
          downloaded_at: t.downloaded_at,
          file: prepared.spec.id + '.mp4',
          sha256: t.sha256,
          bytes: t.bytes,
          video: t.video,
        };
        this.status = 'succeeded';
        this.finalStatus = 'skipped';
        break;
      }
      case 'resume':
        this.state = { ...action.state };
        this.status = action.state.started_at ? 'running' : 'queued';
        break;
      case 'indeterminate':
        this.state = { ...action.state };
        this.status = 'indeterminate';
        this.finalStatus = 'indeterminate';
        this.error = { message: `${action.state.error?.message ?? 'submit not confirmed'}; ${INDETERMINATE_HINT}`, code: 'E_INDETERMINATE' };
        break;
      default:
        this.state = fresh;
        this.status = 'pending';
    }
  }

  // The record, rebuilt only after a change: a 10,000-render manifest is rewritten often, and
  // rebuilding every record each time would churn hundreds of MB. Its JSON is not kept: held for
  // every render it made the heap (and the garbage V8 lets pile up above it) much larger than
  // writing each line anew does.
  private cached: RenderRecord | undefined;

  /** Call after changing state, status or error. */
  touch(): void {
    this.cached = undefined;
  }

  get record(): RenderRecord {
    const current = this.status === 'succeeded' ? this.state.sha256 : null;
    this.cached ??= buildRecord(this.prepared, this.state, this.status, this.error, this.takes.earlierTakes(this.id, current));
    return this.cached;
  }

  /** Submitted, and neither finished nor given up on in this run. */
  get isAtProvider(): boolean {
    return this.state.job_id !== null && this.finalStatus === undefined;
  }
}
