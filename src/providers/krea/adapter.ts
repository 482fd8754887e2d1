/**
 * Krea API (providers.md §6): the model is in the path (`/generate/video/kling/kling-2.5`),
 * the job is read at `/jobs/<job_id>`, and every error body is `{error: string}`.
 */
import { buildSubmitBody } from '../build-body.js';
import { headerValue, httpError, unreadableResponse } from '../http-errors.js';
import { asObject, asString, dig, parseJson, shortText } from '../json-read.js';
import { etaHintMs } from '../status-helpers.js';
import type { ProviderAdapter, ProviderResponse } from '../types.js';
import { classifyKreaStatus, parseEstimatedTime } from './status.js';

function bodyObject(res: ProviderResponse, operation: 'submit' | 'status' | 'cancel'): Record<string, unknown> {
  const body = asObject(parseJson(res.bodyText));
  if (!body) throw unreadableResponse('krea', operation, res, `answer is not a JSON object: ${shortText(res.bodyText)}`);
  return body;
}

/** Krea's own helper also meets 422 validation lists under `detail` or `details` (§6.6). */
function validationText(body: Record<string, unknown>): string | undefined {
  const list = Array.isArray(body.detail) ? body.detail : Array.isArray(body.details) ? body.details : undefined;
  if (!list) return asString(body.detail) ?? asString(body.message);
  const parts = list
    .map((item) => {
      const msg = asString(item) ?? asString(dig(item, 'msg')) ?? asString(dig(item, 'message'));
      const loc = dig(item, 'loc');
      return msg && Array.isArray(loc) ? `${msg} (${loc.map(String).join('.')})` : msg;
    })
    .filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

export const kreaAdapter: ProviderAdapter = {
  provider: 'krea',
  defaultPollIntervalMs: 5_000,

  submitRequest(render) {
    const modelPath = render.model.replace(/^\/+/, '');
    // No seed field unless the render has one: Kling 2.5 has none and its schema forbids extras.
    return { method: 'POST', path: `/generate/video/${modelPath}`, body: buildSubmitBody(render, { prompt: render.prompt }) };
  },

  parseSubmit(res) {
    const body = bodyObject(res, 'submit');
    const jobId = asString(body.job_id);
    if (!jobId) throw unreadableResponse('krea', 'submit', res, `answer has no job_id: ${shortText(res.bodyText)}`);
    return { jobId, status: classifyKreaStatus(body, parseEstimatedTime(body.estimated_time)), metadata: {} };
  },

  statusRequest(jobId) {
    return { method: 'GET', path: `/jobs/${encodeURIComponent(jobId)}` };
  },

  parseStatus(res) {
    const body = bodyObject(res, 'status');
    return classifyKreaStatus(body, parseEstimatedTime(body.estimated_time));
  },

  parseError(res, operation) {
    const body = asObject(parseJson(res.bodyText));
    const message = body
      ? (asString(body.error) ?? asString(dig(body, 'error', 'message')) ?? validationText(body))
      : res.bodyText.trim() !== '' ? shortText(res.bodyText) : undefined;
    return httpError({ provider: 'krea', operation, res, message, requestId: headerValue(res, 'x-request-id') });
  },

  pollHintMs: etaHintMs,

  /** `DELETE /jobs/{id}` (§6.4): only a queued or processing job can be cancelled. */
  cancelRequest(jobId) {
    return { method: 'DELETE', path: `/jobs/${encodeURIComponent(jobId)}` };
  },

  /** The 200 answer's body is undocumented: the job object when there is one, else nothing. */
  parseCancel(res) {
    if (res.bodyText.trim() === '') return { providerStatus: undefined };
    const body = bodyObject(res, 'cancel');
    return { providerStatus: asString(body.status) };
  },
};
