/**
 * Every error body of providers.md A.11, §1.5, §6.6, §7.4 through the HTTP client and the
 * adapter's parseError: provider, status, message, request id, and the classification the
 * engine acts on (A.10).
 */
import { describe, expect, it } from 'vitest';
import type { ProviderName } from '../../src/core/catalog.js';
import { errorOf } from './drive.js';
import { TEST_KEY } from './mock-provider.js';

interface Expected {
  message: string;
  requestId?: string;
  retryable: boolean;
  certainlyNotCreated: boolean;
  retryAfterMs?: number;
}

type Row = [string, ProviderName, 'submit' | 'status', number, string, Record<string, string>, Expected];

const AIML_429 =
  '{"message": "Free-tier limit: You\'ve reached your free limit for the hour. …", "path": "/v1/chat/completions", ' +
  '"requestId": "798b860e-98c2-4e8e-8c50-550bcfc2eccc", "statusCode": "429", "timestamp": "2025-03-11T07:13:27.813Z"}';

const rows: Row[] = [
  // AI/ML API
  ['aimlapi general body, statusCode as a string (verbatim)', 'aimlapi', 'submit', 429, AIML_429, {},
    { message: "Free-tier limit: You've reached your free limit for the hour. …", requestId: '798b860e-98c2-4e8e-8c50-550bcfc2eccc', retryable: true, certainlyNotCreated: true }],
  ['aimlapi 429 on a status read is never "not created"', 'aimlapi', 'status', 429, AIML_429, {},
    { message: "Free-tier limit: You've reached your free limit for the hour. …", requestId: '798b860e-98c2-4e8e-8c50-550bcfc2eccc', retryable: true, certainlyNotCreated: false }],
  ['aimlapi 400, statusCode as a number', 'aimlapi', 'submit', 400,
    '{"message": "Body validation error! Invalid enum value. Expected \'16:9\', received \'2:1\'", "statusCode": 400}', {},
    { message: "Body validation error! Invalid enum value. Expected '16:9', received '2:1'", retryable: false, certainlyNotCreated: false }],
  ['aimlapi body statusCode that disagrees with HTTP is shown', 'aimlapi', 'submit', 400,
    '{"message": "Too Many Requests", "statusCode": 429}', {},
    { message: 'Too Many Requests (statusCode 429)', retryable: false, certainlyNotCreated: false }],
  ['aimlapi 401', 'aimlapi', 'submit', 401, '{"message": "This request requires a valid API key."}', {},
    { message: 'This request requires a valid API key.', retryable: false, certainlyNotCreated: false }],
  ['aimlapi 403 out of credits', 'aimlapi', 'submit', 403, '{"message": "You\'ve run out of credits. Please top up your balance"}', {},
    { message: "You've run out of credits. Please top up your balance", retryable: false, certainlyNotCreated: false }],
  ['aimlapi 404 with no body', 'aimlapi', 'status', 404, '', { 'x-inference-id': 'inf-1' },
    { message: 'Not Found', requestId: 'inf-1', retryable: false, certainlyNotCreated: false }],
  ['aimlapi {error:{name,message}}', 'aimlapi', 'submit', 500,
    '{"error": {"name": "InternalError", "message": "Something wrong with the server. Please, try again later."}}', {},
    { message: 'InternalError: Something wrong with the server. Please, try again later.', retryable: true, certainlyNotCreated: false }],
  ['aimlapi {error:{detail:[...]}}', 'aimlapi', 'submit', 422,
    '{"error": {"detail": [{"loc": ["body", "num_frames"], "msg": "must be a multiple of 12 plus 6", "type": "value_error"}]}}', {},
    { message: 'must be a multiple of 12 plus 6 (body.num_frames)', retryable: false, certainlyNotCreated: false }],
  ['aimlapi 502 non-JSON body', 'aimlapi', 'submit', 502, '<html><body>Bad Gateway</body></html>', {},
    { message: '<html><body>Bad Gateway</body></html>', retryable: true, certainlyNotCreated: false }],
  ['aimlapi 503 submit: not created', 'aimlapi', 'submit', 503, 'Service unavailable', {},
    { message: 'Service unavailable', retryable: true, certainlyNotCreated: true }],
  ['aimlapi 504 generation timeout on a submit may have created the job', 'aimlapi', 'submit', 504, '{"message": "Generation timeout"}', {},
    { message: 'Generation timeout', retryable: true, certainlyNotCreated: false }],
  ['aimlapi 429 with Retry-After seconds', 'aimlapi', 'submit', 429, '{"message": "Too Many Requests"}', { 'retry-after': '7' },
    { message: 'Too Many Requests', retryable: true, certainlyNotCreated: true, retryAfterMs: 7000 }],
  // Krea
  ['krea 400', 'krea', 'submit', 400, '{"error": "The request body is invalid."}', {},
    { message: 'The request body is invalid.', retryable: false, certainlyNotCreated: false }],
  ['krea 401', 'krea', 'submit', 401, '{"error": "You are not authenticated."}', {},
    { message: 'You are not authenticated.', retryable: false, certainlyNotCreated: false }],
  ['krea 402', 'krea', 'submit', 402, '{"error": "You have run out of credits."}', {},
    { message: 'You have run out of credits.', retryable: false, certainlyNotCreated: false }],
  ['krea 404 job', 'krea', 'status', 404, '{"error": "Job not found"}', { 'x-request-id': 'req-9' },
    { message: 'Job not found', requestId: 'req-9', retryable: false, certainlyNotCreated: false }],
  ['krea 429 concurrency limit: not created', 'krea', 'submit', 429, '{"error": "You have reached the maximum number of concurrent jobs."}', { 'retry-after': '5' },
    { message: 'You have reached the maximum number of concurrent jobs.', retryable: true, certainlyNotCreated: true, retryAfterMs: 5000 }],
  ['krea 422 with a detail list', 'krea', 'submit', 422, '{"detail": [{"loc": ["body", "start_image"], "msg": "must be a data URI"}]}', {},
    { message: 'must be a data URI (body.start_image)', retryable: false, certainlyNotCreated: false }],
  ['krea 500 HTML page', 'krea', 'submit', 500, '<html>\n  <h1>Internal Server Error</h1>\n</html>', {},
    { message: '<html> <h1>Internal Server Error</h1> </html>', retryable: true, certainlyNotCreated: false }],
  // Novita
  ['novita 400 INVALID_REQUEST_BODY', 'novita', 'submit', 400,
    '{"code": 400, "reason": "INVALID_REQUEST_BODY", "message": "Request parameter validation failed", "metadata": {}}', {},
    { message: 'INVALID_REQUEST_BODY: Request parameter validation failed', retryable: false, certainlyNotCreated: false }],
  ['novita 403 INVALID_API_KEY', 'novita', 'submit', 403, '{"code": 403, "reason": "INVALID_API_KEY", "message": "API Key validation failed", "metadata": {}}', {},
    { message: 'INVALID_API_KEY: API Key validation failed', retryable: false, certainlyNotCreated: false }],
  ['novita 404 TASK_NOT_FOUND', 'novita', 'status', 404, '{"code": 404, "reason": "TASK_NOT_FOUND", "message": "Task not found", "metadata": {}}', {},
    { message: 'TASK_NOT_FOUND: Task not found', retryable: false, certainlyNotCreated: false }],
  ['novita 429 RATE_LIMIT_EXCEEDED: not created', 'novita', 'submit', 429, '{"code": 429, "reason": "RATE_LIMIT_EXCEEDED", "message": "Rate limit exceeded", "metadata": {}}', {},
    { message: 'RATE_LIMIT_EXCEEDED: Rate limit exceeded', retryable: true, certainlyNotCreated: true }],
  ['novita 500 CREATE_TASK_FAILED may have created the task', 'novita', 'submit', 500, '{"code": 500, "reason": "CREATE_TASK_FAILED", "message": "create task failed"}', {},
    { message: 'CREATE_TASK_FAILED: create task failed', retryable: true, certainlyNotCreated: false }],
  ['novita 500 on a status read', 'novita', 'status', 500, '{"code": 500, "reason": "GET_RESULT_FAILED", "message": "GET_RESULT_FAILED"}', {},
    { message: 'GET_RESULT_FAILED', retryable: true, certainlyNotCreated: false }],
  ['novita 502 empty body', 'novita', 'submit', 502, '', {},
    { message: 'Bad Gateway', retryable: true, certainlyNotCreated: false }],
];

describe('provider error answers', () => {
  it.each(rows)('%s', async (_name, provider, operation, status, body, headers, expected) => {
    const err = await errorOf(provider, operation, status, body, headers);
    expect(err).toMatchObject({
      code: 'E_PROVIDER_HTTP',
      provider,
      operation,
      httpStatus: status,
      providerMessage: expected.message,
      requestId: expected.requestId,
      retryable: expected.retryable,
      certainlyNotCreated: expected.certainlyNotCreated,
      retryAfterMs: expected.retryAfterMs,
    });
    expect(err.message).toBe(`${provider} ${operation}: HTTP ${status}: ${expected.message}`);
    expect(err.message).not.toContain(TEST_KEY);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const before = Date.now();
    const atMs = Math.ceil(before / 1000) * 1000 + 120_000;
    const err = await errorOf('aimlapi', 'submit', 429, '{"message": "slow down", "statusCode": "429"}', {
      'retry-after': new Date(atMs).toUTCString(),
    });
    expect(err.retryAfterMs).toBeLessThanOrEqual(atMs - before);
    expect(err.retryAfterMs).toBeGreaterThan(atMs - before - 5_000);
    expect(err.certainlyNotCreated).toBe(true);
  });

  it('never lets a key echoed by the provider into a message', async () => {
    const err = await errorOf('krea', 'submit', 401, `{"error": "token ${TEST_KEY} is not valid"}`);
    expect(err.providerMessage).toBe('token [redacted] is not valid');
    expect(err.message).not.toContain(TEST_KEY);
  });
});
