/** Test helper: one submit or one status read through createProviderHttp + the adapter. */
import type { ProviderName } from '../../src/core/catalog.js';
import { createProviderHttp } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import { ProviderError, type JobStatus, type Operation, type SubmitAccepted } from '../../src/providers/types.js';
import { renderSpec } from './render-fixtures.js';
import { mockProvider, testConfig, type SeenRequest } from './mock-provider.js';

const MODEL: Record<ProviderName, string> = {
  aimlapi: 'krea/krea-wan-14b/text-to-video',
  krea: 'kling/kling-2.5',
  novita: 'wan-t2v',
};

export async function pollOnce(
  provider: ProviderName,
  jobId: string,
  bodyText: string,
  headers: Record<string, string> = {},
): Promise<{ status: JobStatus; seen: SeenRequest }> {
  const mock = mockProvider();
  try {
    mock.reply('GET', 200, bodyText, headers);
    const adapter = adapterFor(provider);
    const res = await createProviderHttp({ dispatcher: mock.agent }).send(
      testConfig(provider), 'status', adapter.statusRequest(jobId, MODEL[provider]));
    const seen = mock.seen[0];
    if (!seen) throw new Error('the mock saw no request');
    return { status: adapter.parseStatus(res), seen };
  } finally {
    await mock.close();
  }
}

export async function submitOnce(
  provider: ProviderName,
  bodyText: string,
  headers: Record<string, string> = {},
): Promise<SubmitAccepted> {
  const mock = mockProvider();
  try {
    mock.reply('POST', 200, bodyText, headers);
    const adapter = adapterFor(provider);
    const req = adapter.submitRequest(renderSpec({ provider, model: MODEL[provider], seed: provider === 'krea' ? null : 7 }));
    const res = await createProviderHttp({ dispatcher: mock.agent }).send(testConfig(provider), 'submit', req);
    return adapter.parseSubmit(res);
  } finally {
    await mock.close();
  }
}

/** The ProviderError thrown for an answer `status` to a submit or a status read. */
export async function errorOf(
  provider: ProviderName,
  operation: Exclude<Operation, 'download'>,
  status: number,
  bodyText: string,
  headers: Record<string, string> = {},
): Promise<ProviderError> {
  const mock = mockProvider();
  try {
    const adapter = adapterFor(provider);
    const req = operation === 'submit'
      ? adapter.submitRequest(renderSpec({ provider, model: MODEL[provider], seed: provider === 'krea' ? null : 7 }))
      : adapter.statusRequest('job-1', MODEL[provider]);
    mock.reply(req.method, status, bodyText, headers);
    await createProviderHttp({ dispatcher: mock.agent }).send(testConfig(provider), operation, req);
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  } finally {
    await mock.close();
  }
  throw new Error(`HTTP ${status} did not throw`);
}
