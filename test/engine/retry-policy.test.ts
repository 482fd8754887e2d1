import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/types.js';
import { backoffDelayMs, decideRead, decideSubmit, isConnectionError, RETRY_POLICY } from '../../src/engine/retry-policy.js';
import { DiskError } from '../../src/engine/disk-errors.js';
import { DOWNLOAD_CODES } from '../../src/engine/download.js';
import { PROVIDER_ERROR_CODES } from '../../src/providers/http-errors.js';

function perr(init: Partial<ConstructorParameters<typeof ProviderError>[0]> & { operation: 'submit' | 'status' | 'download' }): ProviderError {
  return new ProviderError({
    code: 'E_PROVIDER_HTTP', provider: 'aimlapi', providerMessage: 'x', retryable: false, certainlyNotCreated: false, ...init,
  });
}
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });

describe('decideSubmit', () => {
  it.each([
    ['429 with Retry-After', perr({ operation: 'submit', httpStatus: 429, retryable: true, certainlyNotCreated: true, retryAfterMs: 2000 }), 1, 'retry'],
    ['503', perr({ operation: 'submit', httpStatus: 503, retryable: true, certainlyNotCreated: true }), 1, 'retry'],
    ['connection refused (classified)', perr({ operation: 'submit', retryable: true, certainlyNotCreated: true }), 2, 'retry'],
    ['429 after the last attempt', perr({ operation: 'submit', httpStatus: 429, retryable: true, certainlyNotCreated: true }), RETRY_POLICY.submitMaxAttempts, 'fail'],
    ['400 validation', perr({ operation: 'submit', httpStatus: 400 }), 1, 'fail'],
    ['402 no credits', perr({ operation: 'submit', httpStatus: 402 }), 1, 'fail'],
    ['500 (may have been created)', perr({ operation: 'submit', httpStatus: 500, retryable: true }), 1, 'indeterminate'],
    ['504', perr({ operation: 'submit', httpStatus: 504, retryable: true }), 1, 'indeterminate'],
    ['reset after sending', perr({ operation: 'submit', retryable: true, certainlyNotCreated: false }), 1, 'indeterminate'],
    ['unreadable 2xx', perr({ operation: 'submit', httpStatus: 200, code: 'E_PROVIDER_RESPONSE' }), 1, 'indeterminate'],
    ['unclassified socket error', reset, 1, 'indeterminate'],
    ['a plain bug', new Error('boom'), 1, 'fail'],
    ['answer too large (2xx)', perr({ operation: 'submit', code: PROVIDER_ERROR_CODES.tooLarge, httpStatus: 200, retryable: true }), 1, 'indeterminate'],
    ['answer too large, even with a 4xx status', perr({ operation: 'submit', code: PROVIDER_ERROR_CODES.tooLarge, httpStatus: 400, retryable: true }), 1, 'indeterminate'],
    ['no answer within the submit deadline', perr({ operation: 'submit', code: PROVIDER_ERROR_CODES.deadline, retryable: true }), 1, 'indeterminate'],
    ['connect timeout (certainly not sent)', perr({ operation: 'submit', retryable: true, certainlyNotCreated: true }), 1, 'retry'],
    ['abandoned by Ctrl-C after its grace', perr({ operation: 'submit', code: PROVIDER_ERROR_CODES.aborted }), 1, 'indeterminate'],
  ])('%s → %s', (_name, err, attempt, action) => {
    expect(decideSubmit(err, attempt, 0.5).action).toBe(action);
  });

  it('waits exactly the Retry-After the provider asked for, capped', () => {
    const d = decideSubmit(perr({ operation: 'submit', httpStatus: 429, retryable: true, certainlyNotCreated: true, retryAfterMs: 7000 }), 1, 0);
    expect(d).toEqual({ action: 'retry', delayMs: 7000, retryAfterMs: 7000 });
    const huge = decideSubmit(perr({ operation: 'submit', httpStatus: 429, retryable: true, certainlyNotCreated: true, retryAfterMs: 1e9 }), 1, 0);
    expect(huge).toEqual({ action: 'retry', delayMs: RETRY_POLICY.maxRetryAfterMs, retryAfterMs: RETRY_POLICY.maxRetryAfterMs });
  });
});

describe('decideRead', () => {
  it.each([
    ['status 429', perr({ operation: 'status', httpStatus: 429, retryable: true }), 'status', 1, 'retry'],
    ['status 502', perr({ operation: 'status', httpStatus: 502, retryable: true }), 'status', 50, 'retry'],
    ['status reset', perr({ operation: 'status', retryable: true }), 'status', 3, 'retry'],
    ['status 404', perr({ operation: 'status', httpStatus: 404 }), 'status', 1, 'fail'],
    ['status 401', perr({ operation: 'status', httpStatus: 401 }), 'status', 1, 'fail'],
    ['download truncated', perr({ operation: 'download', code: 'E_DOWNLOAD_TRUNCATED', retryable: true }), 'download', 1, 'retry'],
    ['download 503', perr({ operation: 'download', httpStatus: 503, retryable: true }), 'download', 2, 'retry'],
    ['download out of attempts', perr({ operation: 'download', httpStatus: 503, retryable: true }), 'download', RETRY_POLICY.downloadMaxAttempts, 'fail'],
    ['download 410', perr({ operation: 'download', httpStatus: 410 }), 'download', 1, 'fail'],
    ['raw connection refused', refused, 'download', 1, 'retry'],
    ['raw undici socket error', reset, 'status', 1, 'retry'],
    ['a plain bug', new Error('boom'), 'status', 1, 'fail'],
    ['status answer too large', perr({ operation: 'status', code: PROVIDER_ERROR_CODES.tooLarge, httpStatus: 200, retryable: true }), 'status', 1, 'retry'],
    ['status read past its deadline', perr({ operation: 'status', code: PROVIDER_ERROR_CODES.deadline, retryable: true }), 'status', 4, 'retry'],
    ['download past its deadline', perr({ operation: 'download', code: DOWNLOAD_CODES.deadline, retryable: true }), 'download', 1, 'retry'],
    ['download under the minimum speed', perr({ operation: 'download', code: DOWNLOAD_CODES.slow, retryable: true }), 'download', 2, 'retry'],
    ['slow download out of attempts', perr({ operation: 'download', code: DOWNLOAD_CODES.slow, retryable: true }), 'download', RETRY_POLICY.downloadMaxAttempts, 'fail'],
    ['video over --max-video-size', perr({ operation: 'download', code: DOWNLOAD_CODES.tooLarge, httpStatus: 200 }), 'download', 1, 'fail'],
    ['body past its Content-Length', perr({ operation: 'download', code: DOWNLOAD_CODES.overlong, httpStatus: 200 }), 'download', 1, 'fail'],
    ['disk full (ENOSPC)', new DiskError('ENOSPC', '/out/a.mp4.part'), 'download', 1, 'fail'],
    ['read-only file system (EROFS)', new DiskError('EROFS', '/out/a.mp4.part'), 'download', 1, 'fail'],
    ['permission denied (EACCES)', new DiskError('EACCES', '/out/a.mp4.part'), 'download', 1, 'fail'],
    ['disk error wrapping a reset', new DiskError('EIO', '/out/a.mp4.part', reset), 'download', 1, 'fail'],
  ] as const)('%s → %s', (_name, err, op, attempt, action) => {
    expect(decideRead(err, op, attempt, 0.5).action).toBe(action);
  });

  it('honours Retry-After on a status read', () => {
    expect(decideRead(perr({ operation: 'status', httpStatus: 429, retryable: true, retryAfterMs: 1500 }), 'status', 1, 0.9)).toEqual({
      action: 'retry', delayMs: 1500, retryAfterMs: 1500,
    });
  });
});

describe('DiskError', () => {
  it('says what the disk said, with the path, not "connection error"', () => {
    expect(new DiskError('ENOSPC', '/out/x/a.mp4.part').message).toBe('no space left on device: /out/x/a.mp4.part');
    expect(new DiskError('EDQUOT', '/out/x/a.mp4.part').message).toBe('disk quota exceeded: /out/x/a.mp4.part');
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially, is jittered, and is capped', () => {
    expect(backoffDelayMs(1, 1)).toBe(RETRY_POLICY.baseDelayMs);
    expect(backoffDelayMs(3, 1)).toBe(RETRY_POLICY.baseDelayMs * 4);
    expect(backoffDelayMs(3, 0)).toBe(RETRY_POLICY.baseDelayMs * 4 * (1 - RETRY_POLICY.jitter));
    expect(backoffDelayMs(40, 1)).toBe(RETRY_POLICY.maxDelayMs);
  });
});

describe('isConnectionError', () => {
  it.each([
    [refused, true],
    [reset, true],
    [Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), true],
    [new Error('bad json'), false],
    ['ECONNRESET', false],
    [null, false],
  ])('%# → %s', (err, expected) => {
    expect(isConnectionError(err)).toBe(expected);
  });
});
