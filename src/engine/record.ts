/** Builds a render's manifest.json record from what the engine knows about it. */
import type { RenderErrorInfo, RenderRecord, RenderState } from '../core/records.js';
import type { Take } from '../store/take-store.js';
import type { ProviderMetadata } from '../providers/types.js';
import type { JournalState } from '../store/journal.js';
import type { PreparedRender } from './prepare.js';

function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 10) / 100);
}

export function buildRecord(
  prepared: PreparedRender,
  state: JournalState,
  status: RenderState,
  error: RenderErrorInfo | null,
  earlierTakes: readonly Take[] = [],
): RenderRecord {
  const { spec, request } = prepared;
  const done = status === 'succeeded';
  // Time queued ends when the job is first seen running, or when it finished without being seen so.
  const queuedUntil = state.started_at ?? state.completed_at;
  return {
    id: spec.id,
    shot: spec.shot,
    provider: spec.provider,
    model: spec.model,
    prompt: spec.prompt,
    seed: spec.seed,
    seed_origin: spec.seedOrigin,
    params: spec.params,
    varying: spec.varying,
    request: { method: 'POST', path: request.path, body: prepared.recorded },
    request_sha256: prepared.requestSha256,
    job_id: state.job_id,
    status,
    error,
    file: done ? state.file : null,
    sha256: done ? state.sha256 : null,
    bytes: done ? state.bytes : null,
    video: done ? state.video : null,
    source: spec.source,
    timings: {
      submitted: state.submitted_at,
      started: state.started_at,
      completed: state.completed_at,
      downloaded: done ? state.downloaded_at : null,
      queued_s: secondsBetween(state.submitted_at, queuedUntil),
      running_s: secondsBetween(state.started_at, state.completed_at),
    },
    attempts: state.attempts,
    provider_metadata: state.provider_metadata,
    takes: [...earlierTakes],
  };
}

/** The provider's facts about a job, as manifest.json and the journal record them. */
export function metadataOf(m: ProviderMetadata): JournalState['provider_metadata'] {
  const out: JournalState['provider_metadata'] = {};
  if (m.creditsUsed !== undefined) out.credits_used = m.creditsUsed;
  if (m.usdSpent !== undefined) out.usd_spent = m.usdSpent;
  if (m.returnedSeed !== undefined) out.returned_seed = m.returnedSeed;
  if (m.urlTtlSeconds !== undefined) out.url_ttl_s = m.urlTtlSeconds;
  if (m.requestId !== undefined) out.request_id = m.requestId;
  return out;
}
