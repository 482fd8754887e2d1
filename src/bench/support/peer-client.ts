/**
 * The pattern of the popular hosted-model clients (fal-js `subscribe`, replicate-js `run`), as a
 * baseline for render: at most `concurrency` jobs at once (p-limit); each job is submitted, then
 * reads its own status every `pollIntervalMs` (the first read one interval after the submit)
 * until it is completed, then downloads its video, reads the body to the end and frees its slot.
 * It talks to the Krea API (Kling 2.5) with the same request render sends for the bench's
 * manifest.
 */
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export interface PeerOptions {
  /** The Krea API's base URL (the emulator's KREA_BASE_URL). */
  baseUrl: string;
  /** Sent as a Bearer token. */
  token: string;
  jobs: number;
  concurrency: number;
  pollIntervalMs: number;
  /** The create request's body. */
  body: Record<string, unknown>;
}

export interface PeerResult {
  wallMs: number;
  videoBytes: number;
}

const KLING_PATH = '/generate/video/kling/kling-2.5';

async function getJson(url: string, init: { method: 'GET' | 'POST'; token: string; body?: unknown }): Promise<Record<string, unknown>> {
  const res = await request(url, {
    method: init.method,
    headers: { authorization: `Bearer ${init.token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${init.method} ${url} answered ${res.statusCode}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** One job, start to end: submit, read every interval until done, download. Returns the video's size. */
async function oneJob(o: PeerOptions): Promise<number> {
  const created = await getJson(`${o.baseUrl}${KLING_PATH}`, { method: 'POST', token: o.token, body: o.body });
  const id = String(created['job_id']);
  for (;;) {
    await sleep(o.pollIntervalMs);
    const job = await getJson(`${o.baseUrl}/jobs/${encodeURIComponent(id)}`, { method: 'GET', token: o.token });
    const status = job['status'];
    if (status === 'completed') {
      const url = (job['result'] as { urls?: string[] } | null)?.urls?.[0];
      if (url === undefined) throw new Error(`job ${id} completed without a video URL`);
      const video = await request(url);
      const bytes = await video.body.arrayBuffer();
      if (video.statusCode !== 200) throw new Error(`video of job ${id} answered ${video.statusCode}`);
      return bytes.byteLength;
    }
    if (status === 'failed' || status === 'cancelled') throw new Error(`job ${id} ${String(status)}`);
  }
}

export async function runPeer(o: PeerOptions): Promise<PeerResult> {
  const limit = pLimit(o.concurrency);
  const started = performance.now();
  const sizes = await Promise.all(Array.from({ length: o.jobs }, () => limit(() => oneJob(o))));
  return { wallMs: performance.now() - started, videoBytes: sizes.reduce((a, b) => a + b, 0) };
}
