/**
 * Novita AI (providers.md §7) for Wan 2.1: POST /v3/async/wan-t2v answers `{task_id}`,
 * GET /v3/async/task-result?task_id=<id> answers `{extra, task, images, videos, audios}` with
 * `task.status` TASK_STATUS_QUEUED → TASK_STATUS_PROCESSING → TASK_STATUS_SUCCEED and
 * `video_url_ttl` as a string. Errors are `{code, reason, message, metadata}` (§7.4).
 */
import { randomUUID } from 'node:crypto';
import type { Job, JobRequest, JobView } from './job-store.js';
import { drawSeed, type Parsed, type ProviderApi } from './provider-api.js';
import { json, type IncomingCall } from './reply.js';
import { canonicalJson, checkFields, isRecord, type FieldRule, type Issue } from './validate.js';

const CREATE_PATH = '/v3/async/wan-t2v';
const RESULT_PATH = '/v3/async/task-result';
const SEED_MAX = 9_999_999_999;
/** "By default, the API will generate a video with 5 seconds": 81 frames at Wan's 16 fps. */
const FPS = 16;
const FRAMES = 81;
const URL_TTL_SECONDS = '3600';

const SIZES = [480, 720, 832, 1280] as const;
/** The documented width → height pairs. */
const PAIRS: Record<number, number> = { 832: 480, 480: 832, 1280: 720, 720: 1280 };

const RULES: Record<string, FieldRule> = {
  model_name: { type: 'string', enum: ['wan2.1-t2v', 'wan-t2v'] },
  prompt: { type: 'string', required: true, minLength: 1, maxLength: 2000 },
  negative_prompt: { type: 'string', maxLength: 2000 },
  width: { type: 'integer', oneOf: SIZES },
  height: { type: 'integer', oneOf: SIZES },
  seed: { type: 'integer', min: -1, max: SEED_MAX },
  steps: { type: 'integer', min: 1, max: 40 },
  guidance_scale: { type: 'number', min: 0, max: 10 },
  flow_shift: { type: 'number', min: 1, max: 10 },
  loras: {
    type: 'array',
    maxItems: 3,
    items: { path: { type: 'string', required: true, minLength: 1 }, scale: { type: 'number', required: true, min: 0, max: 4 } },
  },
  enable_safety_checker: { type: 'boolean' },
  fast_mode: { type: 'boolean' },
  extra: { type: 'object' },
};

const ERRORS: Record<number, [reason: string, message: string]> = {
  400: ['INVALID_REQUEST_BODY', 'Request parameter validation failed'],
  404: ['TASK_NOT_FOUND', 'Task not found'],
  429: ['RATE_LIMIT_EXCEEDED', 'Rate limit exceeded'],
};

export const novita: ProviderApi = {
  provider: 'novita',

  owns: (path) => path.startsWith('/v3/'),

  route(method, path) {
    if (method === 'POST' && path === CREATE_PATH) return 'submit';
    if (method === 'GET' && path === RESULT_PATH) return 'status';
    return undefined;
  },

  /** The docs' form is `Bearer <key>`; the official SDK sends the bare key, which is accepted too. */
  authError(call) {
    const key = (call.headers.authorization ?? '').replace(/^Bearer\s*/i, '').trim();
    if (key) return undefined;
    return json(400, { code: 400, reason: 'MISSING_API_KEY', message: 'API Key not provided', metadata: {} });
  },

  error(status, call, message) {
    const [reason, text] =
      status === 404 && call.path !== RESULT_PATH ? ['API_NOT_FOUND', 'API not found'] : (ERRORS[status] ?? [serverReason(call), 'Internal server error']);
    return json(status, { code: status, reason, message: message ?? text, metadata: {} });
  },

  async parseCreate(call): Promise<Parsed<JobRequest>> {
    const invalid = (text: string): Parsed<never> => ({ ok: false, reply: this.error(400, call, text) });
    if (call.bodyError !== undefined || !isRecord(call.body)) return invalid(`request body is not a JSON object: ${call.bodyError ?? typeof call.body}`);
    const body = call.body;
    const issues = checkFields(body, RULES);
    if (issues.length > 0) return invalid(issues.map(describe).join('; '));
    // "If the width or height is not specified, … forced to 832 and 480."
    const hasSize = typeof body.width === 'number' && typeof body.height === 'number';
    const width = hasSize ? Number(body.width) : 832;
    const height = hasSize ? Number(body.height) : 480;
    if (PAIRS[width] !== height) return invalid(`width and height must be one of 832x480, 480x832, 1280x720, 720x1280, got ${width}x${height}`);

    const seed = typeof body.seed === 'number' && body.seed >= 0 ? body.seed : drawSeed(SEED_MAX);
    const known = Object.fromEntries(Object.keys(RULES).map((k) => [k, body[k]]));
    return {
      ok: true,
      value: {
        model: 'wan-t2v',
        prompt: String(body.prompt),
        seed,
        video: { width, height, fps: FPS, frames: FRAMES, seed: String(seed), label: `novita|wan-t2v|${canonicalJson({ ...known, seed: undefined, extra: undefined })}` },
      },
    };
  },

  newJobId: () => randomUUID(),

  created(job) {
    return json(200, { task_id: job.id });
  },

  statusId(call) {
    const id = call.query.get('task_id');
    return id ? { ok: true, value: id } : { ok: false, reply: this.error(400, call, 'task_id is required') };
  },

  status(job, view, videoUrl) {
    return json(200, statusBody(job, view, videoUrl));
  },
};

const STATUS: Record<JobView['state'], string> = {
  queued: 'TASK_STATUS_QUEUED',
  running: 'TASK_STATUS_PROCESSING',
  succeeded: 'TASK_STATUS_SUCCEED',
  failed: 'TASK_STATUS_FAILED',
  // Novita has no cancel, so no task of its gets here.
  cancelled: 'TASK_STATUS_FAILED',
};

function statusBody(job: Job, view: JobView, videoUrl: string | undefined): Record<string, unknown> {
  const progress = view.state === 'succeeded' ? 100 : view.state === 'running' ? Math.min(99, Math.floor(view.progress * 100)) : 0;
  const submitted = job.createdAt.getTime();
  return {
    extra: {
      seed: String(job.seed),
      enable_nsfw_detection: false,
      debug_info: {
        request_info: '',
        submit_time_ms: String(submitted),
        execute_time_ms: String(submitted + job.queuedMs),
        complete_time_ms: view.completedAt ? String(view.completedAt.getTime()) : '0',
      },
    },
    task: {
      task_id: job.id,
      task_type: 'WAN_TXT_TO_VIDEO',
      status: STATUS[view.state],
      reason: view.state === 'failed' ? (job.failReason ?? 'task failed') : '',
      eta: view.etaSeconds,
      progress_percent: progress,
    },
    images: [],
    videos: view.state === 'succeeded' && videoUrl ? [{ video_url: videoUrl, video_url_ttl: URL_TTL_SECONDS, video_type: 'mp4' }] : [],
    audios: [],
  };
}

function serverReason(call: IncomingCall): string {
  return call.path === RESULT_PATH ? 'GET_RESULT_FAILED' : 'CREATE_TASK_FAILED';
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'required':
      return `${issue.field} is required`;
    case 'one_of':
    case 'enum':
      return `${issue.field} must be one of ${issue.expected}, got ${issue.received}`;
    case 'type':
      return `${issue.field} must be ${issue.expected}, got ${issue.received}`;
    default:
      return `${issue.field} must be ${issue.expected}, got ${issue.received}`;
  }
}
