/**
 * AI/ML API (providers.md §1–§5): one universal endpoint for every video model, the model id
 * in the body, the job read back by `generation_id` in the query string.
 */
import { buildSubmitBody } from '../build-body.js';
import { headerValue, httpError, unreadableResponse } from '../http-errors.js';
import { asNumber, asObject, asString, parseJson, shortText } from '../json-read.js';
import { etaHintMs } from '../status-helpers.js';
import type { ProviderAdapter, ProviderResponse } from '../types.js';
import { describeAimlError } from './error-text.js';
import { aimlMetadata, classifyAimlStatus } from './status.js';

const PATH = '/v2/video/generations';

function bodyObject(res: ProviderResponse, operation: 'submit' | 'status'): Record<string, unknown> {
  const body = asObject(parseJson(res.bodyText));
  if (!body) {
    throw unreadableResponse('aimlapi', operation, res, `answer is not a JSON object: ${shortText(res.bodyText)}`,
      headerValue(res, 'x-inference-id'));
  }
  return body;
}

export const aimlapiAdapter: ProviderAdapter = {
  provider: 'aimlapi',
  defaultPollIntervalMs: 10_000,

  submitRequest(render) {
    return { method: 'POST', path: PATH, body: buildSubmitBody(render, { model: render.model, prompt: render.prompt }) };
  },

  parseSubmit(res) {
    const body = bodyObject(res, 'submit');
    // MiniMax models answer `generation_id`; the header carries the same id (§1.2, §1.6).
    const jobId = asString(body.id) ?? asString(body.generation_id) ?? headerValue(res, 'x-inference-id');
    if (!jobId) {
      throw unreadableResponse('aimlapi', 'submit', res, `answer has no id or generation_id: ${shortText(res.bodyText)}`);
    }
    return { jobId, status: classifyAimlStatus(body, res), metadata: aimlMetadata(body, res) };
  },

  statusRequest(jobId) {
    // Ids look like `uuid:vendor/model/task`: unencoded, `/` and `:` would break the query.
    return { method: 'GET', path: `${PATH}?generation_id=${encodeURIComponent(jobId)}` };
  },

  parseStatus(res) {
    return classifyAimlStatus(bodyObject(res, 'status'), res);
  },

  parseError(res, operation) {
    const body = asObject(parseJson(res.bodyText));
    let message = body ? describeAimlError(body) : undefined;
    // `statusCode` is a string in some answers, a number in others (§1.5); say so when it
    // disagrees with the HTTP status, which is what the classification uses.
    const bodyStatus = asNumber(body?.statusCode);
    if (message && bodyStatus !== undefined && bodyStatus !== res.status) message += ` (statusCode ${bodyStatus})`;
    if (!message && !body && res.bodyText.trim() !== '') message = shortText(res.bodyText);
    return httpError({
      provider: 'aimlapi',
      operation,
      res,
      message,
      requestId: asString(body?.requestId) ?? headerValue(res, 'x-inference-id', 'x-request-id'),
    });
  },

  pollHintMs: etaHintMs,
};
