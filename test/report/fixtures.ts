/** Manifest records for the contact-sheet tests: complete RenderRecords with only what a test cares about changed. */
import type { RenderManifestFile, RenderRecord } from '../../src/core/records.js';

export function record(over: Partial<RenderRecord> & Pick<RenderRecord, 'id' | 'shot'>): RenderRecord {
  return {
    provider: 'novita',
    model: 'wan-2.1-t2v',
    prompt: 'a lighthouse at dusk',
    seed: 1,
    seed_origin: 'manifest',
    params: {},
    varying: {},
    request: { method: 'POST', path: '/v3/async/wan-t2v', body: {} },
    request_sha256: '0'.repeat(64),
    job_id: `job-${over.id}`,
    status: 'succeeded',
    error: null,
    file: `${over.id}.mp4`,
    sha256: 'c'.repeat(64),
    bytes: 1024,
    video: { width: 320, height: 240, duration_s: 2, codec: 'avc1.42c01e' },
    source: { file: 'jobs/test.yaml', line: 1 },
    timings: { submitted: null, started: null, completed: null, downloaded: null, queued_s: null, running_s: null },
    attempts: 1,
    provider_metadata: {},
    ...over,
  };
}

export function runManifest(renders: RenderRecord[], over: Partial<RenderManifestFile> = {}): RenderManifestFile {
  return {
    version: 1,
    name: 'storyboard',
    manifest_files: ['jobs/test.yaml'],
    runner: { name: 'render', version: '0.1.0' },
    started_at: '2026-11-01T12:00:00.000Z',
    ended_at: '2026-11-01T12:03:12.000Z',
    renders,
    ...over,
  };
}

/** A seed sweep (2 seeds × 2 guidance values), a failed shot, a shot still running and an HTML prompt. */
export function sweepRun(): RenderManifestFile {
  const sweep = [4, 7].flatMap((g) =>
    [100, 200].map((seed) =>
      record({
        id: `city.guidance_scale-${g}.seed-${seed}`,
        shot: 'city',
        seed,
        params: { guidance_scale: g, steps: 30 },
        varying: { guidance_scale: g },
        prompt: 'a city at night, rain',
      }),
    ),
  );
  return runManifest([
    ...sweep,
    record({
      id: 'evil.seed-5',
      shot: 'evil',
      seed: 5,
      prompt: '<img src=x onerror=alert(1)> "quoted" & \'single\'',
    }),
    record({
      id: 'crash.seed-9',
      shot: 'crash',
      seed: 9,
      status: 'failed',
      file: null,
      video: null,
      error: { message: 'content policy: <blocked> prompt', code: 'E_JOB_FAILED', http_status: 200 },
    }),
    record({ id: 'slow.take-1', shot: 'slow', seed: null, seed_origin: 'none', status: 'running', file: null, video: null }),
    record({ id: 'slow.take-2', shot: 'slow', seed: null, seed_origin: 'none', status: 'timed_out', file: null, video: null, error: { message: 'no result after 3600 s' } }),
  ]);
}
