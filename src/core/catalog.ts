/**
 * The models render knows: which provider serves them, where their params schema is, whether
 * they take a seed and in what range, and which params carry media. Everything else about a
 * model's params (fields, ranges, defaults) lives in its JSON Schema under schemas/models/.
 * Source: ../shared/providers.md part A.
 */

export const PROVIDERS = ['aimlapi', 'krea', 'novita'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface SeedRange {
  /** Name of the body field that carries the seed. */
  param: 'seed';
  min: number;
  max: number;
}

export interface ModelInfo {
  provider: ProviderName;
  /** The model as written in manifests (AI/ML API model id, Krea path, Novita endpoint). */
  model: string;
  /** File name of the params schema under schemas/models/. */
  schemaFile: string;
  /** null: the model has no seed parameter (renders record `seed: null`; use `repeat`). */
  seed: SeedRange | null;
  /** Params that take a media URL and also accept a local path relative to the manifest. */
  mediaParams: readonly string[];
}

const INT32_MAX = 2_147_483_647;

export const MODELS: readonly ModelInfo[] = [
  {
    provider: 'aimlapi',
    model: 'krea/krea-wan-14b/text-to-video',
    schemaFile: 'aimlapi.krea-wan-14b-text-to-video.schema.json',
    seed: { param: 'seed', min: 0, max: INT32_MAX },
    mediaParams: [],
  },
  {
    provider: 'aimlapi',
    model: 'krea/krea-wan-14b/video-to-video',
    schemaFile: 'aimlapi.krea-wan-14b-video-to-video.schema.json',
    seed: { param: 'seed', min: 0, max: INT32_MAX },
    mediaParams: ['video_url'],
  },
  {
    provider: 'aimlapi',
    model: 'pixverse/v5/text-to-video',
    schemaFile: 'aimlapi.pixverse-v5-text-to-video.schema.json',
    seed: { param: 'seed', min: 0, max: INT32_MAX },
    mediaParams: [],
  },
  {
    provider: 'krea',
    model: 'kling/kling-2.5',
    schemaFile: 'krea.kling-2.5.schema.json',
    seed: null,
    mediaParams: ['start_image', 'end_image', 'start_video'],
  },
  {
    provider: 'novita',
    model: 'wan-t2v',
    schemaFile: 'novita.wan-t2v.schema.json',
    seed: { param: 'seed', min: 0, max: 9_999_999_999 },
    mediaParams: [],
  },
];

/**
 * Params that take media on any model, known or not (for unknown models passed through), and
 * the kind of media each takes (the models' params schemas describe them as such).
 */
export const MEDIA_PARAM_KINDS: Readonly<Record<string, 'video' | 'image'>> = {
  video_url: 'video',
  start_image: 'image',
  end_image: 'image',
  start_video: 'video',
};

export const MEDIA_PARAM_NAMES: readonly string[] = Object.keys(MEDIA_PARAM_KINDS);

export function findModel(provider: string, model: string): ModelInfo | undefined {
  return MODELS.find((m) => m.provider === provider && m.model === model);
}

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}
