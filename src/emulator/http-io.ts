/** Reading request bodies and writing Replies on node:http, for the emulator's server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './reply.js';

/** Large enough for a data: URI of a short input video (video-to-video). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; an empty body is `undefined` with no error (GETs). */
export function parseJson(text: string): { body: unknown; error: string | undefined } {
  if (text.trim() === '') return { body: undefined, error: undefined };
  try {
    return { body: JSON.parse(text) as unknown, error: undefined };
  } catch (err) {
    return { body: undefined, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Writes `reply`; returns the status for the log (0 when the connection was dropped on purpose). */
export function writeReply(req: IncomingMessage, res: ServerResponse, reply: Reply): number {
  if (reply.kind === 'reset') {
    req.socket.destroy();
    return 0;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...reply.headers,
  });
  res.end(text);
  return reply.status;
}

export function queryRecord(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = v;
  return out;
}

export function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
