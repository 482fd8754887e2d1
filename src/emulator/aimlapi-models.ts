/**
 * The three AI/ML API models the emulator serves: their documented body rules (providers.md
 * §2-§4) and the video each one delivers. Unknown fields are ignored, as a zod object strips them.
 */
import { probeMp4Bytes } from '../media/probe-mp4.js';
import type { VideoSpec } from './job-store.js';
import type { FieldRule, Issue } from './validate.js';

export interface AimlModel {
  rules: Record<string, FieldRule>;
  /** Rules that span fields, stated in the docs' prose. */
  crossCheck?(body: Record<string, unknown>): Issue[];
  /** The delivered video (without seed and label); may read an input video. */
  video(body: Record<string, unknown>): Promise<Omit<VideoSpec, 'seed' | 'label'> | { fail: string }>;
  credits(body: Record<string, unknown>): number;
  /** PixVerse's examples report `succeeded`, the Krea models' `completed` (providers.md §1.4). */
  successStatus: 'completed' | 'succeeded';
}

const NUM_FRAMES = [18, 30, 42, 54, 66, 78, 90, 102, 114, 126, 138, 150, 162] as const;
const WAN_FPS = 16;
/** Example credits from the docs (315000 for a 78-frame Krea render, 2000000 for PixVerse 720p 5 s). */
const WAN_CREDITS_PER_FRAME = 315_000 / 78;

const common: Record<string, FieldRule> = {
  prompt: { type: 'string', required: true, minLength: 1 },
  enable_prompt_expansion: { type: 'boolean' },
  seed: { type: 'integer', min: 0 },
};

const PIXVERSE_RESOLUTIONS = ['360p', '540p', '720p', '1080p'] as const;
const PIXVERSE_ASPECTS = ['16:9', '4:3', '1:1', '3:4', '9:16'] as const;
const PIXVERSE_FPS = 24;
const PIXVERSE_SPEAKERS = ['Harper', 'Ava', 'Isabella', 'Sophia', 'Emily', 'Chloe', 'Julia', 'Mason', 'Jack', 'Liam', 'James', 'Oliver', 'Adrian', 'Ethan', 'Auto'];

export const AIML_MODELS: Record<string, AimlModel> = {
  'krea/krea-wan-14b/text-to-video': {
    rules: { ...common, num_frames: { type: 'integer', oneOf: NUM_FRAMES } },
    video: async (body) => ({ width: 832, height: 480, fps: WAN_FPS, frames: asNumber(body.num_frames) ?? 78 }),
    credits: (body) => Math.round((asNumber(body.num_frames) ?? 78) * WAN_CREDITS_PER_FRAME),
    successStatus: 'completed',
  },
  'krea/krea-wan-14b/video-to-video': {
    rules: {
      ...common,
      video_url: { type: 'string', required: true, uri: true },
      strength: { type: 'number', min: 0, max: 1 },
    },
    video: async (body) => {
      const frames = await inputFrames(String(body.video_url));
      return typeof frames === 'number' ? { width: 832, height: 480, fps: WAN_FPS, frames } : frames;
    },
    credits: () => Math.round(78 * WAN_CREDITS_PER_FRAME),
    successStatus: 'completed',
  },
  'pixverse/v5/text-to-video': {
    rules: {
      ...common,
      aspect_ratio: { type: 'string', enum: PIXVERSE_ASPECTS },
      resolution: { type: 'string', enum: PIXVERSE_RESOLUTIONS },
      duration: { type: 'integer', oneOf: [5, 8] },
      negative_prompt: { type: 'string' },
      style: { type: 'string', enum: ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'] },
      lip_sync_tts_content: { type: 'string' },
      lip_sync_tts_speaker: { type: 'string', enum: PIXVERSE_SPEAKERS },
    },
    crossCheck: (body) =>
      body.resolution === '1080p' && pixverseDuration(body) === 8
        ? [{ field: 'duration', code: 'one_of', expected: '5 (the 1080p quality option does not support 8-second videos)', received: '8' }]
        : [],
    video: async (body) => {
      const [width, height] = pixverseSize(String(body.resolution ?? '720p'), String(body.aspect_ratio ?? '16:9'));
      return { width, height, fps: PIXVERSE_FPS, frames: pixverseDuration(body) * PIXVERSE_FPS };
    },
    credits: (body) => {
      const base = { '360p': 900_000, '540p': 1_200_000, '720p': 2_000_000, '1080p': 4_000_000 }[String(body.resolution ?? '720p')] ?? 2_000_000;
      return pixverseDuration(body) === 8 ? base * 2 : base;
    },
    successStatus: 'succeeded',
  },
};

/** The schema's default is the string "5": accept "5"/"8" as the service does, send back numbers. */
export function normalisePixverse(body: Record<string, unknown>): void {
  if (body.duration === '5' || body.duration === '8') body.duration = Number(body.duration);
}

function pixverseDuration(body: Record<string, unknown>): number {
  return asNumber(body.duration) ?? 5;
}

/** "The short side of the video frame determines the resolution"; widths kept even. */
export function pixverseSize(resolution: string, aspect: string): [number, number] {
  const short = Number.parseInt(resolution, 10);
  const [a = 16, b = 9] = aspect.split(':').map(Number);
  const long = Math.round((short * Math.max(a, b)) / Math.min(a, b) / 2) * 2;
  return a >= b ? [long, short] : [short, long];
}

/** The input's frame count for a data: URI MP4 (capped like the text model); 78 for a remote URL. */
async function inputFrames(url: string): Promise<number | { fail: string }> {
  const m = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!m) return 78;
  try {
    const info = await probeMp4Bytes(Buffer.from(m[2] ?? '', 'base64'), 'video_url');
    return Math.max(1, Math.min(info.frames, 162));
  } catch (err) {
    return { fail: `Could not read the input video: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
