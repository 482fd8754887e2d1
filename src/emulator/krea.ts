/**
 * The Krea API (providers.md §6) for Kling 2.5: POST /generate/video/kling/kling-2.5 with the
 * current OpenAPI body (`additionalProperties: false`), GET and DELETE /jobs/<uuid>. Errors are
 * `{"error": string}`; the concurrency cap answers 429 (the server applies it).
 */
import { randomUUID } from 'node:crypto';
import type { Job, JobRequest, JobView } from './job-store.js';
import { bearerToken } from './aimlapi.js';
import type { Parsed, ProviderApi } from './provider-api.js';
import { json } from './reply.js';
import { canonicalJson, checkFields, isRecord, type FieldRule, type Issue } from './validate.js';

const KLING_PATH = '/generate/video/kling/kling-2.5';
/** A Kling job's picture label, before the canonical request body. */
const LABEL_PREFIX = 'krea|kling-2.5|';
const REPEAT_SEED = /^repeat-(\d+)$/;
const KLING_FPS = 24;

const RULES: Record<string, FieldRule> = {
  prompt: { type: 'string', required: true, minLength: 1 },
  start_image: { type: 'string', uri: true },
  start_video: { type: 'string', uri: true, nullable: true },
  end_image: { type: 'string', uri: true },
  aspect_ratio: { type: 'string', enum: ['16:9', '9:16', '1:1'] },
  duration: { type: 'number', oneOf: [5, 10] },
  mode: { type: 'string', enum: ['pro'] },
};

/** Kling 2.5's output sizes are undocumented on Krea: 720p-class frames per aspect ratio. */
const SIZES: Record<string, [number, number]> = { '16:9': [1280, 720], '9:16': [720, 1280], '1:1': [960, 960] };

const MESSAGES: Record<number, string> = {
  400: 'The request body is invalid.',
  401: 'You are not authenticated.',
  404: 'Not found',
  429: 'You have reached the maximum number of concurrent jobs.',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** One Krea API per emulator: it counts identical requests (Kling has no seed, see below). */
export function kreaApi(): ProviderApi {
  const repeats = new Map<string, number>();

  return {
    provider: 'krea',

    owns: (path) => path.startsWith('/generate/') || path.startsWith('/jobs'),

    route(method, path) {
      if (method === 'POST' && path === KLING_PATH) return 'submit';
      if (method === 'GET' && /^\/jobs\/[^/]+$/.test(path)) return 'status';
      if (method === 'DELETE' && /^\/jobs\/[^/]+$/.test(path)) return 'cancel';
      return undefined;
    },

    authError(call) {
      return bearerToken(call.headers.authorization) ? undefined : this.error(401, call);
    },

    error(status, _call, message) {
      return json(status, { error: message ?? MESSAGES[status] ?? `HTTP ${status}` });
    },

    async parseCreate(call): Promise<Parsed<JobRequest>> {
      if (call.bodyError !== undefined || !isRecord(call.body)) {
        return { ok: false, reply: this.error(400, call, `The request body is invalid: ${call.bodyError ?? 'expected a JSON object'}`) };
      }
      const body = call.body;
      const issues = checkFields(body, RULES, true);
      if (issues.length > 0) return { ok: false, reply: this.error(400, call, `The request body is invalid: ${issues.map(describe).join('; ')}`) };

      const aspect = typeof body.aspect_ratio === 'string' ? body.aspect_ratio : '16:9';
      const duration = typeof body.duration === 'number' ? body.duration : 5;
      const [width, height] = SIZES[aspect] ?? [1280, 720];
      const canonical = canonicalJson(body);
      // No seed: an identical request is a new draw, like the real model. Counting repeats
      // keeps the pictures distinct and still the same from one emulator run to the next.
      const nth = repeats.get(canonical) ?? 0;
      repeats.set(canonical, nth + 1);
      return {
        ok: true,
        value: {
          model: 'kling/kling-2.5',
          prompt: String(body.prompt),
          seed: null,
          credits: duration === 10 ? 401 : 200,
          video: { width, height, fps: KLING_FPS, frames: duration * KLING_FPS, seed: `repeat-${nth}`, label: `${LABEL_PREFIX}${canonical}` },
        },
      };
    },

    newJobId: () => randomUUID(),

    created(job) {
      return json(200, { job_id: job.id, status: 'queued', created_at: job.createdAt.toISOString(), completed_at: null, result: null });
    },

    statusId(call) {
      const raw = call.path.slice('/jobs/'.length);
      try {
        return { ok: true, value: decodeURIComponent(raw) };
      } catch {
        return { ok: false, reply: this.error(404, call, 'Job not found') };
      }
    },

    status(job, view, videoUrl) {
      return json(200, statusBody(job, view, videoUrl));
    },

    // §6.4: "Jobs can only be canceled while they have a status of queued or processing". The
    // answers are not documented beyond 200 and 404: a cancelled job answers with the job
    // object, a finished one with 400 and Krea's error shape.
    cancelled(job, view) {
      return json(200, statusBody(job, view, undefined));
    },

    cancelRefused(job, view, call) {
      return this.error(400, call, `Job cannot be cancelled: its status is ${String(statusBody(job, view, undefined).status)}`);
    },

    /** Jobs from an earlier emulator count as repeats too, so a new take is a new picture. */
    restore(job) {
      const nth = REPEAT_SEED.exec(job.video.seed);
      if (!nth || !job.video.label.startsWith(LABEL_PREFIX)) return;
      const canonical = job.video.label.slice(LABEL_PREFIX.length);
      repeats.set(canonical, Math.max(repeats.get(canonical) ?? 0, Number(nth[1]) + 1));
    },
  };
}

function statusBody(job: Job, view: JobView, videoUrl: string | undefined): Record<string, unknown> {
  const head = { job_id: job.id, created_at: job.createdAt.toISOString() };
  const completedAt = view.completedAt?.toISOString() ?? null;
  switch (view.state) {
    case 'queued':
      return { ...head, status: 'queued', completed_at: null, result: null };
    case 'running':
      return { ...head, status: 'processing', completed_at: null, result: null };
    case 'failed':
      return { ...head, status: 'failed', completed_at: completedAt, result: { error: job.failReason ?? 'Generation failed' } };
    case 'succeeded':
      return { ...head, status: 'completed', completed_at: completedAt, result: { urls: [videoUrl] } };
    case 'cancelled':
      return { ...head, status: 'cancelled', completed_at: completedAt, result: null };
  }
}

function describe(issue: Issue): string {
  const field = `"${issue.field}"`;
  switch (issue.code) {
    case 'unknown_key':
      return `${field} is not allowed (additional properties are not accepted)`;
    case 'required':
      return `${field} is required`;
    case 'enum':
      return `${field} must be one of ${issue.expected}, got ${issue.received}`;
    case 'one_of':
      return `${field} must be one of ${issue.expected}, got ${issue.received}`;
    case 'format':
      return `${field} must be ${issue.expected}`;
    default:
      return `${field} must be ${issue.expected}, got ${issue.received}`;
  }
}
