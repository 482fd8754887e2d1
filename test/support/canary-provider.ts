/**
 * A hostile AI/ML API on 127.0.0.1 that echoes API keys back in every place a provider's text
 * can reach render: request ids (body and headers), a failed job's reason on a 200 status
 * answer, an error body after 472 characters of filler, a status string, the generation id,
 * a JSON-escaped reason and a download's error answer. What it does for a render is chosen by
 * the render's seed (see SCENARIOS). Bounded: it answers only what a test sends and closes all
 * its connections on close().
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A key no output may contain, whole or in part. */
export function canaryKey(): string {
  return `sk-canary-${randomBytes(16).toString('hex')}`;
}

/** Seed → what the server does with that render. */
export const SCENARIOS = {
  1: 'request id headers on every answer; the video download first answers 503 with the key',
  2: 'a failed job whose reason holds every key, on a 200 status answer',
  3: 'a 400 text error body: 472 characters of filler, then the key',
  4: 'a 422 JSON error with the key as requestId, in the message and in x-request-id',
  5: 'the key as a status string, then a failure',
  6: 'the key as the generation id',
  7: 'a failed reason with the key JSON-escaped (\\u0073k-…)',
} as const;

export const FILLER_CHARS = 472;

export interface CanaryProvider {
  url: string;
  /** Requests answered, e.g. `POST /v2/video/generations 200`. */
  log: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `key` is the AI/ML API key render sends; `others` are the other providers' keys, echoed too
 * (a provider could know them). `video` is the MP4 served for the render that succeeds.
 */
export async function startCanaryProvider(key: string, others: string[], video: Buffer): Promise<CanaryProvider> {
  const all = [key, ...others].join(' ');
  const echoHeaders = { 'x-inference-id': key, 'x-request-id': key, 'x-client-request-id': all, [`x-${key}`]: key };
  const log: string[] = [];
  const polls = new Map<string, number>();
  const mediaHits = new Map<string, number>();
  let nextId = 1;
  let baseUrl = '';

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}, type = 'application/json'): number => {
    res.writeHead(status, { 'content-type': type, ...echoHeaders, ...headers });
    res.end(body);
    return status;
  };
  const json = (res: ServerResponse, status: number, body: unknown): number => send(res, status, JSON.stringify(body));

  const submit = (res: ServerResponse, seed: number): number => {
    if (seed === 3) return send(res, 400, `${'x'.repeat(FILLER_CHARS)}${key} and more text after it`, {}, 'text/plain');
    if (seed === 4) return json(res, 422, { message: `key ${key} is not allowed`, requestId: key, statusCode: 422, path: '/v2/video/generations' });
    const id = seed === 6 ? `${key}:krea/krea-wan-14b/text-to-video` : `gen-${seed}-${nextId++}`;
    return json(res, 200, { id, status: 'queued', meta: { usage: { credits_used: 1 } } });
  };

  const status = (res: ServerResponse, id: string): number => {
    const seed = Number(/^gen-(\d+)-/.exec(id)?.[1] ?? 6);
    const n = (polls.get(id) ?? 0) + 1;
    polls.set(id, n);
    if (seed === 1) return json(res, 200, { id, status: 'completed', video: { url: `${baseUrl}/media/${id}.mp4` } });
    if (seed === 2) return json(res, 200, { id, status: 'error', error: { name: 'Error', message: `moderation failed for ${all}` } });
    if (seed === 5 && n === 1) return json(res, 200, { id, status: key });
    if (seed === 5) return json(res, 200, { id, status: 'error', error: { message: `status was ${key}` } });
    if (seed === 7) {
      const text = JSON.stringify({ id, status: 'error', error: { message: `escaped ${key}` } });
      return send(res, 200, text.replace(key, `\\u0073${key.slice(1)}`));
    }
    // Seed 6: the id render asks for is whatever it kept of the key.
    return json(res, 200, { id, status: 'error', error: { message: `generation ${id} failed` } });
  };

  const media = (res: ServerResponse, path: string): number => {
    const hits = (mediaHits.get(path) ?? 0) + 1;
    mediaHits.set(path, hits);
    if (hits === 1) return send(res, 503, `busy, key ${key}`, { 'retry-after': '0' }, 'text/plain');
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length), 'x-request-id': key });
    res.end(video);
    return 200;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    let code: number;
    if (req.method === 'POST' && url.pathname === '/v2/video/generations') {
      const seed = Number((JSON.parse(body) as { seed?: unknown }).seed);
      code = submit(res, seed);
    } else if (req.method === 'GET' && url.pathname === '/v2/video/generations') {
      code = status(res, url.searchParams.get('generation_id') ?? '');
    } else if (req.method === 'GET' && url.pathname.startsWith('/media/')) {
      code = media(res, url.pathname);
    } else {
      code = json(res, 404, { message: `no route ${req.method} ${url.pathname} for ${key}` });
    }
    log.push(`${req.method} ${url.pathname} ${code}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`canary server error: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
