/**
 * The AI/ML API (providers.md §1-§4): POST /v2/video/generations with the model in the body,
 * GET /v2/video/generations?generation_id=<id>. Ids are `<uuid>:<model>` (they contain `:` and
 * `/`, so clients must URL-encode them); errors use the general body
 * `{message, path, requestId, statusCode, timestamp}`; every answer carries `x-inference-id`.
 */
import { randomUUID } from 'node:crypto';
import { AIML_MODELS, normalisePixverse } from './aimlapi-models.js';
import type { Job, JobRequest, JobView } from './job-store.js';
import { drawSeed, type Parsed, type ProviderApi } from './provider-api.js';
import { json, type IncomingCall } from './reply.js';
import { canonicalJson, checkFields, isRecord, type Issue } from './validate.js';

const PATH = '/v2/video/generations';
const INT32_MAX = 2_147_483_647;

const MESSAGES: Record<number, string> = {
  400: 'Body validation error!',
  401: 'This request requires a valid API key. Pass it as `Authorization: Bearer <key>`; keys are at https://aimlapi.com/app/keys.',
  404: 'Not Found',
  429: 'Too Many Requests: you hit a rate or concurrency limit. Add retries with backoff.',
  500: 'Something wrong with the server. Please, try again later.',
  502: 'Bad Gateway',
  503: 'Service unavailable',
  504: 'Generation timeout',
};

export const aimlapi: ProviderApi = {
  provider: 'aimlapi',

  owns: (path) => path === PATH || path.startsWith('/v2/') || path.startsWith('/v1/'),

  route(method, path) {
    if (path !== PATH) return undefined;
    if (method === 'POST') return 'submit';
    if (method === 'GET') return 'status';
    return undefined;
  },

  authError(call) {
    return bearerToken(call.headers.authorization) ? undefined : this.error(401, call);
  },

  error(status, call, message) {
    const body = {
      message: message ?? MESSAGES[status] ?? `HTTP ${status}`,
      path: call.path,
      requestId: randomUUID(),
      statusCode: status,
      timestamp: new Date().toISOString(),
    };
    return json(status, body, echoHeaders(call));
  },

  async parseCreate(call): Promise<Parsed<JobRequest>> {
    const invalid = (issues: Issue[]): Parsed<never> => ({ ok: false, reply: this.error(400, call, validationMessage(issues)) });
    if (call.bodyError !== undefined || !isRecord(call.body)) {
      return invalid([{ field: '', code: 'type', expected: 'object', received: call.bodyError ? 'invalid JSON' : typeof call.body }]);
    }
    const body: Record<string, unknown> = { ...call.body };
    const model = typeof body.model === 'string' ? AIML_MODELS[body.model] : undefined;
    if (!model) {
      const expected = Object.keys(AIML_MODELS).map((m) => `'${m}'`).join(' | ');
      return invalid([{ field: 'model', code: 'enum', expected, received: JSON.stringify(body.model ?? null) }]);
    }
    if (body.model === 'pixverse/v5/text-to-video') normalisePixverse(body);
    const issues = [...checkFields(body, model.rules)];
    if (issues.length === 0 && model.crossCheck) issues.push(...model.crossCheck(body));
    if (issues.length > 0) return invalid(issues);

    const seed = typeof body.seed === 'number' ? body.seed : drawSeed(INT32_MAX);
    const video = await model.video(body);
    const known = Object.fromEntries(Object.keys(model.rules).map((k) => [k, body[k]]));
    const label = `aimlapi|${String(body.model)}|${canonicalJson({ ...known, seed: undefined })}`;
    const base = { model: String(body.model), prompt: String(body.prompt), seed, credits: model.credits(body) };
    if ('fail' in video) {
      return { ok: true, value: { ...base, failReason: video.fail, video: { width: 832, height: 480, fps: 16, frames: 1, seed: String(seed), label } } };
    }
    return { ok: true, value: { ...base, video: { ...video, seed: String(seed), label } } };
  },

  newJobId: (request) => `${randomUUID()}:${request.model}`,

  created(job, _view, call) {
    // The docs' create answers are always `queued` with the usage already counted.
    return json(200, { id: job.id, status: 'queued', meta: { usage: { credits_used: job.credits ?? 0 } } }, headersFor(job, call));
  },

  statusId(call) {
    const id = call.query.get('generation_id');
    if (!id) {
      return { ok: false, reply: this.error(400, call, validationMessage([{ field: 'generation_id', code: 'required', expected: 'string', received: 'undefined' }])) };
    }
    return { ok: true, value: id };
  },

  status(job, view, videoUrl, call) {
    return json(200, statusBody(job, view, videoUrl), headersFor(job, call));
  },
};

function statusBody(job: Job, view: JobView, videoUrl: string | undefined): Record<string, unknown> {
  const model = AIML_MODELS[job.model];
  switch (view.state) {
    case 'queued':
      return { id: job.id, status: 'queued', video: null, error: null, meta: null };
    case 'running':
      return { id: job.id, status: 'generating', video: null, error: null, meta: null };
    case 'failed':
      return { id: job.id, status: 'error', video: null, error: { name: 'Error', message: job.failReason ?? 'Generation failed' }, meta: null };
    case 'cancelled':
      // The AI/ML API has no cancel, so no job of its gets here.
      return { id: job.id, status: 'error', video: null, error: { name: 'Error', message: 'cancelled' }, meta: null };
    case 'succeeded':
      return {
        id: job.id,
        status: model?.successStatus ?? 'completed',
        video: { url: videoUrl },
        error: null,
        meta: { usage: { credits_used: job.credits ?? 0 } },
      };
  }
}

/** zod-style wording, as the docs quote it: `Invalid enum value. Expected '…', received '…'`. */
function validationMessage(issues: Issue[]): string {
  const words = issues.map((i) => {
    const where = i.field ? ` at "${i.field}"` : '';
    switch (i.code) {
      case 'required':
        return `Required${where}`;
      case 'enum':
        return `Invalid enum value. Expected ${i.expected}, received ${i.received}${where}`;
      case 'one_of':
        return `Invalid literal value, expected one of ${i.expected}, received ${i.received}${where}`;
      case 'too_small':
      case 'too_big':
        return `Value must be ${i.expected}, received ${i.received}${where}`;
      case 'format':
        return `Invalid url${where}`;
      default:
        return `Expected ${i.expected}, received ${i.received}${where}`;
    }
  });
  return `Body validation error! ${words.join('; ')}`;
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S.*)$/i.exec(header ?? '');
  return m?.[1]?.trim() || undefined;
}

/** `x-client-request-id` is echoed when valid (1-128 of [A-Za-z0-9._:-]), dropped otherwise. */
function echoHeaders(call: IncomingCall): Record<string, string> {
  const id = call.headers['x-client-request-id'];
  return id && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? { 'x-client-request-id': id } : {};
}

function headersFor(job: Job, call: IncomingCall): Record<string, string> {
  return { 'x-inference-id': job.id, ...echoHeaders(call) };
}
