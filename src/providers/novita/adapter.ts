/**
 * Novita AI (providers.md §7): `POST /v3/async/<model>` answers only a task id; the task is
 * read at `/v3/async/task-result`. Errors are `{code, reason, message, metadata}` (§7.4).
 */
import { buildSubmitBody } from '../build-body.js';
import { headerValue, httpError, unreadableResponse } from '../http-errors.js';
import { asObject, asString, parseJson, shortText } from '../json-read.js';
import { etaHintMs } from '../status-helpers.js';
import type { ProviderAdapter, ProviderResponse } from '../types.js';
import { classifyNovitaStatus } from './status.js';

function bodyObject(res: ProviderResponse, operation: 'submit' | 'status'): Record<string, unknown> {
  const body = asObject(parseJson(res.bodyText));
  if (!body) throw unreadableResponse('novita', operation, res, `answer is not a JSON object: ${shortText(res.bodyText)}`);
  return body;
}

/** `reason` is the stable name (e.g. RATE_LIMIT_EXCEEDED), `message` the prose; show both. */
function errorText(body: Record<string, unknown>): string | undefined {
  const reason = asString(body.reason);
  const message = asString(body.message);
  if (reason && message) return message.includes(reason) ? message : `${reason}: ${message}`;
  return reason ?? message;
}

export const novitaAdapter: ProviderAdapter = {
  provider: 'novita',
  defaultPollIntervalMs: 5_000,

  submitRequest(render) {
    const model = encodeURIComponent(render.model);
    return { method: 'POST', path: `/v3/async/${model}`, body: buildSubmitBody(render, { prompt: render.prompt }) };
  },

  parseSubmit(res) {
    const body = bodyObject(res, 'submit');
    const jobId = asString(body.task_id);
    if (!jobId) {
      // The SDK's FailedResponse: a 2xx may still carry {reason, message} instead of a task.
      const detail = errorText(body) ?? shortText(res.bodyText);
      throw unreadableResponse('novita', 'submit', res, `answer has no task_id: ${detail}`, headerValue(res, 'x-request-id'));
    }
    // The create answer has no status: the task exists and has not been read yet.
    return { jobId, status: { state: 'queued', providerStatus: 'accepted' }, metadata: {} };
  },

  statusRequest(jobId) {
    return { method: 'GET', path: `/v3/async/task-result?task_id=${encodeURIComponent(jobId)}` };
  },

  parseStatus(res) {
    return classifyNovitaStatus(bodyObject(res, 'status'), res);
  },

  parseError(res, operation) {
    const body = asObject(parseJson(res.bodyText));
    const message = body ? errorText(body) : res.bodyText.trim() !== '' ? shortText(res.bodyText) : undefined;
    return httpError({ provider: 'novita', operation, res, message, requestId: headerValue(res, 'x-request-id') });
  },

  pollHintMs: etaHintMs,
};
