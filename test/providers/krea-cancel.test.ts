/** Krea cancel (providers.md §6.4): `DELETE /jobs/{id}`; the other two APIs have none. */
import { describe, expect, it } from 'vitest';
import { createProviderHttp } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import { ProviderError } from '../../src/providers/types.js';
import { mockProvider, testConfig, TEST_KEY } from './mock-provider.js';

const JOB = '550e8400-e29b-41d4-a716-446655440000';
const krea = adapterFor('krea');

async function cancelOnce(status: number, body: string): Promise<{ result: unknown; seen: ReturnType<typeof mockProvider>['seen'] }> {
  const mock = mockProvider();
  try {
    mock.reply('DELETE', status, body);
    const req = krea.cancelRequest!(JOB);
    let result: unknown;
    try {
      result = krea.parseCancel!(await createProviderHttp({ dispatcher: mock.agent }).send(testConfig('krea'), 'cancel', req));
    } catch (err) {
      result = err;
    }
    return { result, seen: mock.seen };
  } finally {
    await mock.close();
  }
}

describe('Krea cancel', () => {
  it('sends DELETE /jobs/<id> with the bearer key and no body', async () => {
    const { result, seen } = await cancelOnce(200, `{"job_id":"${JOB}","status":"cancelled","created_at":"2025-01-15T10:30:00.000Z"}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: `/jobs/${JOB}`, body: undefined });
    expect(seen[0]!.headers['authorization']).toBe(`Bearer ${TEST_KEY}`);
    expect(result).toEqual({ providerStatus: 'cancelled' });
  });

  it('accepts the undocumented empty 200 answer', async () => {
    expect((await cancelOnce(200, '')).result).toEqual({ providerStatus: undefined });
  });

  it('a 404 is a cancel error with Krea\'s message', async () => {
    const { result } = await cancelOnce(404, '{"error":"Job not found"}');
    expect(result).toBeInstanceOf(ProviderError);
    const err = result as ProviderError;
    expect([err.operation, err.httpStatus, err.providerMessage, err.retryable]).toEqual(['cancel', 404, 'Job not found', false]);
    expect(err.message).toBe('krea cancel: HTTP 404: Job not found');
  });

  it('AI/ML API and Novita have no cancel', () => {
    expect(adapterFor('aimlapi').cancelRequest).toBeUndefined();
    expect(adapterFor('novita').cancelRequest).toBeUndefined();
  });
});
