/**
 * The reproducibility manifest, `<out>/<name>/manifest.json`: one record per render, enough to
 * send the same request again and to check the file on disk. Its JSON Schema is
 * schemas/render-manifest.schema.json; keep the two in step.
 */
import type { RenderState } from './lifecycle.js';
import type { ProviderName } from './catalog.js';

/** Where a shot was written: the manifest file as the user gave it and the shot's line. */
export interface SourceRef {
  file: string;
  line: number;
}

/** How a render's seed came to be. */
export type SeedOrigin =
  /** Written in the manifest (`seed`, `seeds: [..]`, `seeds: {from, count}`). */
  | 'manifest'
  /** Drawn by render (`seeds: {count}`, or no seed on a model that takes one). */
  | 'drawn'
  /** The model has no seed, or the model is unknown to render and the shot gave none. */
  | 'none';

/** One paid video in the take store (`.render/takes/`), as its card and manifest.json's `takes` list show it. */
export interface Take {
  request_sha256: string | null;
  seed: number | null;
  job_id: string | null;
  /** Relative to the run folder (where manifest.json is). */
  file: string;
  sha256: string;
  bytes: number;
  video: RenderRecord['video'];
  downloaded_at: string | null;
  /**
   * The credits the provider reported for this take's job, and the model and price-driving
   * params (core/prices.ts) it was priced on, so later plans can learn the price; absent where
   * none was reported.
   */
  cost?: TakeCost;
}

export interface TakeCost {
  model: string;
  params: Record<string, unknown>;
  credits_used: number;
}

export type { RenderState } from './lifecycle.js';

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
    /** US dollars, where the provider reports them (AI/ML API `x-aimlapi-usd-spent`). */
    usd_spent?: number;
    returned_seed?: number | string;
    url_ttl_s?: number;
    request_id?: string;
  };
  /**
   * Earlier takes of this render kept in the take store (`.render/takes/`): videos paid for with
   * another request (or an earlier job of the same one), oldest first.
   */
  takes?: Take[];
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
