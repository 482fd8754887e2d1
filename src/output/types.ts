/**
 * The reproducibility manifest, `<out>/<name>/manifest.json`: one record per render, enough to
 * send the same request again and to check the file on disk. Its JSON Schema is
 * schemas/render-manifest.schema.json; keep the two in step.
 */
import type { ProviderName } from '../providers/catalog.js';
import type { SeedOrigin, SourceRef } from '../manifest/types.js';

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
  | 'timed_out'
  /** The submit may or may not have created a job (connection dropped after sending). */
  | 'indeterminate'
  /** Its job was cancelled at the provider (`render cancel`); the next run submits it again. */
  | 'cancelled';

export interface RenderErrorInfo {
  /** The provider's reason or render's own message. */
  message: string;
  code?: string;
  http_status?: number;
  request_id?: string;
}

/** A local file that was sent inline as a data: URI, recorded by reference. */
export interface MediaFileRef {
  $file: string;
  sha256: string;
  bytes: number;
  mime: string;
}

export interface RenderRecord {
  id: string;
  shot: string;
  provider: ProviderName;
  model: string;
  prompt: string;
  /** null where the model has no seed. */
  seed: number | null;
  seed_origin: SeedOrigin;
  /** Resolved params (defaults explicit). */
  params: Record<string, unknown>;
  /** The sweep values of this render. */
  varying: Record<string, unknown>;
  /** The exact request sent, without secrets; local media as MediaFileRef. */
  request: { method: 'POST'; path: string; body: Record<string, unknown> };
  /** sha256 (hex) of `${provider} ${method} ${path}\n` + the body bytes actually sent. */
  request_sha256: string;
  job_id: string | null;
  status: RenderState;
  error: RenderErrorInfo | null;
  /** The video, relative to manifest.json. */
  file: string | null;
  sha256: string | null;
  bytes: number | null;
  video: { width: number; height: number; duration_s: number; codec?: string; frames?: number } | null;
  source: SourceRef;
  timings: {
    submitted: string | null;
    started: string | null;
    completed: string | null;
    downloaded: string | null;
    /** Seconds spent queued at the provider. */
    queued_s: number | null;
    /** Seconds spent running at the provider. */
    running_s: number | null;
  };
  /** Submit attempts made for this render (retries of certainly-not-created submits count). */
  attempts: number;
  provider_metadata: {
    credits_used?: number;
    returned_seed?: number | string;
    url_ttl_s?: number;
    request_id?: string;
  };
}

export interface RenderManifestFile {
  $schema?: string;
  version: 1;
  name: string;
  /** The YAML manifest files this output came from, as given. */
  manifest_files: string[];
  runner: { name: 'render'; version: string };
  started_at: string;
  ended_at: string | null;
  renders: RenderRecord[];
}
