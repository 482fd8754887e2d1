/**
 * The server behind `render review <out/name>`: the contact sheet with keys to pick a take per
 * shot, on 127.0.0.1 only, at a free port, under a random token (`/<token>/`). It serves the page,
 * the videos manifest.json names (current and earlier takes, with Range for seeking) and one
 * endpoint that saves a pick to picks.json (atomically), then rewrites the static index.html so
 * it shows the picks too. Anything else, or anything without the token, is a 404.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readPicks, writePicks } from '../../store/picks.js';
import type { RenderManifestFile } from '../../core/records.js';
import { buildReportHtml } from './build-report-html.js';
import { fileHref } from './escape.js';
import { readRunManifest } from './read-run-manifest.js';
import { writeReport } from './write-report.js';

/** A pick is a few hundred bytes of JSON; anything larger is not one. */
const MAX_PICK_BODY = 16 * 1024;

export interface ReviewServer {
  /** The page, token included: `http://127.0.0.1:PORT/<token>/`. */
  url: string;
  close(): Promise<void>;
}

export async function startReviewServer(dir: string, shown: string, port = 0): Promise<ReviewServer> {
  const token = randomBytes(18).toString('base64url');
  const prefix = `/${token}/`;
  // The files a page may load: the run's videos as manifest.json names them, nothing else.
  const files = (m: RenderManifestFile): Map<string, string> => {
    const map = new Map<string, string>();
    for (const r of m.renders) {
      for (const f of [r.file, ...(r.takes ?? []).map((t) => t.file)]) if (f) map.set(fileHref(f), f);
    }
    return map;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!hasToken(path, prefix)) return notFound(res);
    const rest = path.slice(prefix.length);
    const manifest = await readRunManifest(dir, shown, 'render review');
    if (rest === '' && (req.method === 'GET' || req.method === 'HEAD')) {
      const { picks } = await readPicks(dir);
      const html = buildReportHtml(manifest, { picks, review: { picksPath: `${prefix}picks` } });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    if (rest === 'picks' && req.method === 'POST') return savePick(req, res, dir, manifest);
    const file = files(manifest).get(rest);
    if (file && (req.method === 'GET' || req.method === 'HEAD')) return serveVideo(req, res, join(dir, file));
    notFound(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${prefix}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Constant-time check of the token, so it cannot be guessed a character at a time. */
function hasToken(path: string, prefix: string): boolean {
  const given = Buffer.from(path.slice(0, prefix.length));
  const wanted = Buffer.from(prefix);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PICK_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `{shot, id, sha256}`: picks that take of render `id` for its shot, if it is one of its takes. */
async function savePick(req: IncomingMessage, res: ServerResponse, dir: string, manifest: RenderManifestFile): Promise<void> {
  const refuse = (status: number, why: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(why);
  };
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(415, 'send JSON');
  const text = await readBody(req);
  if (text === undefined) return refuse(413, 'too large');
  let body: { shot?: unknown; id?: unknown; sha256?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return refuse(400, 'not JSON');
  }
  const r = manifest.renders.find((x) => x.id === body.id && x.shot === body.shot);
  if (!r || typeof body.shot !== 'string') return refuse(400, 'no such render in this shot');
  const current = r.status === 'succeeded' && r.sha256 !== null && r.sha256 === body.sha256 ? { request_sha256: r.request_sha256, sha256: r.sha256 } : undefined;
  const earlier = (r.takes ?? []).find((t) => t.sha256 === body.sha256 && t.request_sha256 !== null);
  const take = current ?? (earlier ? { request_sha256: earlier.request_sha256 ?? '', sha256: earlier.sha256 } : undefined);
  if (!take) return refuse(400, 'that take is not on record for this render');
  const picks = await readPicks(dir);
  picks.picks[body.shot] = { id: r.id, request_sha256: take.request_sha256, sha256: take.sha256, picked_at: new Date().toISOString() };
  await writePicks(dir, picks);
  await writeReport(dir, manifest);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(picks.picks[body.shot]));
}

/** A video with Range support (browsers seek with it), never a directory or anything else. */
async function serveVideo(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return notFound(res);
  const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, info.size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
    if (start > end || start >= info.size) {
      res.writeHead(416, { 'content-range': `bytes */${info.size}` });
      res.end();
      return;
    }
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${info.size}` });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(path, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': info.size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(path).pipe(res);
}
