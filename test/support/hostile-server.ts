/**
 * A small hostile HTTP server for tests, on 127.0.0.1 only. Each request gets one behaviour:
 * trickle (1 byte a second), never answer, a huge Content-Length, an endless body, more bytes
 * than announced, a huge JSON status answer, or an honest answer. Every behaviour stops by
 * itself after `maxMs` (the socket is destroyed), and close() ends everything still open, so a
 * test that goes wrong still ends. The log says, per request, how many body bytes the server
 * managed to send before the client (render) closed the connection.
 *
 * It can also play a minimal AI/ML API (`aimlProvider`): create POSTs answer a job id, status
 * reads answer whatever the test chooses; point AIMLAPI_BASE_URL at it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  /** 200 with the body's Content-Length, one byte per `intervalMs` (default 1000). */
  | { kind: 'trickle'; body?: string; intervalMs?: number }
  /** Reads the request, never answers. */
  | { kind: 'silent' }
  /** Announces `length` bytes (e.g. 10 GB), sends zeros as fast as the client takes them. */
  | { kind: 'huge-length'; length: number; status?: number }
  /** No Content-Length (chunked); zeros (or `fill`) for ever. */
  | { kind: 'endless'; status?: number; prefix?: string; fill?: string }
  /** Announces `announced` bytes and sends `sent` (more) on the raw socket. */
  | { kind: 'overlong'; announced: number; sent: number }
  /** A JSON status answer that never ends: `{"status":"queued","pad":"xxxx…`. */
  | { kind: 'huge-json' }
  /** An honest answer. */
  | { kind: 'answer'; status?: number; body: string | Buffer; headers?: Record<string, string> };

export interface HostileRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** 0-based, in arrival order. */
  n: number;
}

export interface HostileLogEntry {
  method: string;
  path: string;
  range: string | undefined;
  behaviour: Behaviour['kind'];
  /** Body bytes written to the socket (accepted by the kernel) before it closed. */
  bytesSent: number;
  /** The client closed (or reset) the connection before the behaviour ended. */
  closedByClient: boolean;
  /** Milliseconds from the request to the socket's close (undefined: still open). */
  durationMs: number | undefined;
}

export interface HostileServer {
  readonly url: string;
  readonly log: HostileLogEntry[];
  /** Resolves once `count` requests have been received. */
  requests(count: number): Promise<void>;
  /** Resolves when every connection that received a request has closed. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x30);

export async function startHostileServer(
  choose: (req: HostileRequest) => Behaviour,
  options: { maxMs?: number } = {},
): Promise<HostileServer> {
  const maxMs = options.maxMs ?? 15_000;
  const log: HostileLogEntry[] = [];
  const sockets = new Set<Socket>();
  const closing: Promise<void>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let n = 0;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const behaviour = choose({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, n: n++ });
    const entry: HostileLogEntry = {
      method: req.method ?? 'GET', path: url.pathname, range: req.headers.range, behaviour: behaviour.kind,
      bytesSent: 0, closedByClient: false, durationMs: undefined,
    };
    log.push(entry);
    for (const w of waiters.filter((x) => x.count <= log.length)) w.resolve();
    const socket = req.socket;
    const started = Date.now();
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const end = (): void => {
      finished = true;
      for (const t of timers) clearTimeout(t);
    };
    closing.push(new Promise<void>((resolve) => socket.once('close', () => {
      if (!finished) entry.closedByClient = true;
      entry.durationMs = Date.now() - started;
      end();
      resolve();
    })));
    // Bounded in time whatever happens.
    timers.push(setTimeout(() => { end(); socket.destroy(); }, maxMs));

    /** Writes chunks as fast as the socket takes them until the client leaves or `total` is sent. */
    const pump = (total: number, chunk: Buffer = CHUNK): void => {
      const write = (): void => {
        while (!finished && !socket.destroyed && entry.bytesSent < total) {
          const piece = chunk.subarray(0, Math.min(chunk.length, total - entry.bytesSent));
          entry.bytesSent += piece.length;
          if (!res.write(piece)) return void res.once('drain', write);
        }
        if (!finished && entry.bytesSent >= total) {
          finished = true;
          res.end();
        }
      };
      write();
    };

    req.resume();
    req.on('end', () => {
      switch (behaviour.kind) {
        case 'silent':
          return;
        case 'trickle': {
          const body = Buffer.from(behaviour.body ?? '{"status":"queued"}');
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
          res.flushHeaders();
          const tick = setInterval(() => {
            if (finished || socket.destroyed) return;
            res.write(body.subarray(entry.bytesSent, entry.bytesSent + 1));
            entry.bytesSent += 1;
            if (entry.bytesSent >= body.length) {
              finished = true;
              res.end();
            }
          }, behaviour.intervalMs ?? 1000);
          timers.push(tick);
          return;
        }
        case 'huge-length':
          res.writeHead(behaviour.status ?? 200, { 'content-type': 'video/mp4', 'content-length': String(behaviour.length) });
          return pump(behaviour.length);
        case 'endless':
          res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/octet-stream' });
          if (behaviour.prefix) res.write(behaviour.prefix);
          return pump(Infinity, behaviour.fill ? Buffer.from(behaviour.fill.repeat(Math.ceil(CHUNK.length / behaviour.fill.length))) : CHUNK);
        case 'huge-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"id":"gen-1","status":"queued","pad":"');
          return pump(Infinity, Buffer.alloc(CHUNK.length, 'x'));
        case 'overlong': {
          // Past Node's own checks: the raw socket, with a lying header.
          socket.write(`HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: ${behaviour.announced}\r\n\r\n`);
          const body = Buffer.alloc(behaviour.sent, 0x31);
          socket.write(body, () => socket.end());
          entry.bytesSent = body.length;
          finished = true;
          return;
        }
        case 'answer': {
          const body = Buffer.from(behaviour.body);
          res.writeHead(behaviour.status ?? 200, { 'content-length': String(body.length), ...behaviour.headers });
          finished = true;
          res.end(body);
          entry.bytesSent = body.length;
          return;
        }
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    log,
    requests: (count) => new Promise<void>((resolve) => (log.length >= count ? resolve() : waiters.push({ count, resolve }))),
    settled: async () => void (await Promise.all(closing)),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A minimal AI/ML API: POST /v2/video/generations creates `gen-<k>` (queued) unless `submit`
 * says otherwise; a status read
 * gets `status(req, jobId)`; anything else gets `other(req)` (e.g. the video URL).
 */
export function aimlProvider(o: {
  status: (req: HostileRequest, jobId: string) => Behaviour;
  other?: (req: HostileRequest) => Behaviour;
  /** Instead of creating a job (e.g. never answer a create POST). */
  submit?: (req: HostileRequest) => Behaviour;
}): (req: HostileRequest) => Behaviour {
  let created = 0;
  return (req) => {
    if (req.path === '/v2/video/generations' && req.method === 'POST') {
      if (o.submit) return o.submit(req);
      created += 1;
      return { kind: 'answer', body: JSON.stringify({ id: `gen-${created}`, status: 'queued' }), headers: { 'content-type': 'application/json' } };
    }
    if (req.path === '/v2/video/generations') return o.status(req, req.query.get('generation_id') ?? '');
    return o.other?.(req) ?? { kind: 'answer', status: 404, body: '{"message":"not found"}' };
  };
}

/** A completed AI/ML API status answer whose video is at `videoUrl`. */
export function aimlCompleted(jobId: string, videoUrl: string): Behaviour {
  return { kind: 'answer', body: JSON.stringify({ id: jobId, status: 'completed', video: { url: videoUrl } }), headers: { 'content-type': 'application/json' } };
}
