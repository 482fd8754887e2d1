/** Plain-fetch helpers for talking to the emulator the way any client would. */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMp4, type Mp4Info } from '../../src/media/probe-mp4.js';
import type { Emulator } from '../../src/emulator/types.js';

export const KEY = 'test-key';
export const AUTH: Record<string, string> = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

export interface Answer {
  status: number;
  headers: Headers;
  // Tests read JSON bodies field by field; `any` keeps those reads short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export async function call(em: Emulator, method: 'GET' | 'POST' | 'DELETE', pathAndQuery: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<Answer> {
  const res = await fetch(`${em.url}${pathAndQuery}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export type Provider = 'aimlapi' | 'krea' | 'novita';

/** The documented create request for each of the five models' endpoints. */
export function createPath(provider: Provider): string {
  return provider === 'aimlapi' ? '/v2/video/generations' : provider === 'krea' ? '/generate/video/kling/kling-2.5' : '/v3/async/wan-t2v';
}

export function statusPath(provider: Provider, id: string): string {
  const e = encodeURIComponent(id);
  return provider === 'aimlapi' ? `/v2/video/generations?generation_id=${e}` : provider === 'krea' ? `/jobs/${e}` : `/v3/async/task-result?task_id=${e}`;
}

export function jobIdOf(provider: Provider, created: Answer): string {
  return provider === 'aimlapi' ? created.body.id : provider === 'krea' ? created.body.job_id : created.body.task_id;
}

export function statusOf(provider: Provider, answer: Answer): string {
  return provider === 'novita' ? answer.body.task.status : answer.body.status;
}

export function videoUrlOf(provider: Provider, answer: Answer): string | undefined {
  if (provider === 'aimlapi') return answer.body.video?.url;
  if (provider === 'krea') return answer.body.result?.urls?.[0];
  return answer.body.videos?.[0]?.video_url;
}

const TERMINAL = new Set(['completed', 'succeeded', 'error', 'failed', 'cancelled', 'TASK_STATUS_SUCCEED', 'TASK_STATUS_FAILED']);

/** Polls until a terminal status; returns the distinct statuses seen, in order, and the last answer. */
/**
 * Reads a job's status until it ends, noting each state seen. With `tick` (an emulator on a
 * test clock), the clock is moved between reads instead of waiting, so the states seen do not
 * depend on how busy the machine is.
 */
export async function pollToEnd(em: Emulator, provider: Provider, id: string, intervalMs = 25, limitMs = 20_000, tick?: () => void): Promise<{ states: string[]; last: Answer }> {
  const states: string[] = [];
  const deadline = Date.now() + limitMs;
  for (;;) {
    const answer = await call(em, 'GET', statusPath(provider, id));
    if (answer.status !== 200) throw new Error(`status read answered ${answer.status}: ${answer.text}`);
    const s = statusOf(provider, answer);
    if (states.at(-1) !== s) states.push(s);
    if (TERMINAL.has(s)) return { states, last: answer };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${s} after ${limitMs} ms`);
    if (tick) tick();
    else await sleep(intervalMs);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function download(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

let tmp: string | undefined;

/** Writes `bytes` to a temporary file and probes it. */
export async function probeBytes(bytes: Buffer): Promise<Mp4Info> {
  tmp ??= await mkdtemp(join(tmpdir(), 'render-emulator-'));
  const path = join(tmp, `${sha256(bytes)}.mp4`);
  await writeFile(path, bytes);
  return probeMp4(path);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
