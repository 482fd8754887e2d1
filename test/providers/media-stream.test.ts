/**
 * Local media is read in chunks into the base64 of its data: URI, and the request it makes is
 * byte for byte (and hash for hash) the JSON.stringify of the body with the file's
 * Buffer.toString('base64') inlined.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareRender, wireTextOf } from '../../src/engine/prepare.js';
import { wireBodyText } from '../../src/providers/body.js';
import { Base64Chunker, MEDIA_READ_CHUNK_BYTES, readMediaBase64 } from '../../src/providers/media-stream.js';
import { createProviderHttp } from '../../src/providers/http-client.js';
import { adapterFor } from '../../src/providers/registry.js';
import { LocalMedia } from '../../src/providers/types.js';
import { testConfig } from './mock-provider.js';
import { renderSpec } from './render-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'render-media-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Base64Chunker', () => {
  it('gives the same base64 as one Buffer.toString for pieces of any size', () => {
    for (const size of [0, 1, 2, 3, 4, 5, 299, 1000, 65_537]) {
      const bytes = randomBytes(size);
      const chunker = new Base64Chunker();
      let out = '';
      let at = 0;
      let step = 1;
      while (at < size) {
        out += chunker.push(bytes.subarray(at, at + step));
        at += step;
        step = (step * 7 + 3) % 1001 || 1;
      }
      out += chunker.end();
      expect(out, `size ${size}`).toBe(bytes.toString('base64'));
    }
  });
});

describe('readMediaBase64', () => {
  it('reads a file of several chunks into its base64 and sha256', async () => {
    const bytes = randomBytes(MEDIA_READ_CHUNK_BYTES * 3 + 2);
    const file = join(dir, 'several.mp4');
    writeFileSync(file, bytes);
    const media = await readMediaBase64(file, 'several.mp4', 10_000_000);
    expect(media.base64Parts.length).toBeGreaterThan(3);
    expect(media.base64Parts.join('')).toBe(bytes.toString('base64'));
    expect(media.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(media.bytes).toBe(bytes.length);
  });

  it('refuses a file over the limit before reading it, a device and a FIFO without blocking', async () => {
    const big = join(dir, 'big.mp4');
    writeFileSync(big, '');
    truncateSync(big, 200_000_000);
    await expect(readMediaBase64(big, 'big.mp4', 32_000_000)).rejects.toThrow('big.mp4 is 200 MB, over the 32 MB limit for inline media');
    await expect(readMediaBase64('/dev/zero', 'zero', 32_000_000)).rejects.toThrow('zero is a character device, not a regular file');
    const fifo = join(dir, 'pipe.mp4');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return;
    }
    await expect(readMediaBase64(fifo, 'pipe.mp4', 32_000_000)).rejects.toThrow('pipe.mp4 is a FIFO, not a regular file');
  });
});

describe('the request of a render with a local file', () => {
  it('is the same bytes and the same request_sha256 as the body with the whole file inlined', async () => {
    const bytes = randomBytes(MEDIA_READ_CHUNK_BYTES + 1001);
    writeFileSync(join(dir, 'ref.mp4'), bytes);
    const spec = renderSpec({
      provider: 'aimlapi', model: 'krea/krea-wan-14b/video-to-video', seed: 42,
      params: { video_url: 'refs/ref.mp4', strength: 0.5, enable_prompt_expansion: true },
      media: { video_url: join(dir, 'ref.mp4') },
    });
    const expectedText = JSON.stringify({
      model: 'krea/krea-wan-14b/video-to-video', prompt: spec.prompt, enable_prompt_expansion: true, strength: 0.5,
      video_url: `data:video/mp4;base64,${bytes.toString('base64')}`, seed: 42,
    });
    const prepared = await prepareRender(spec, adapterFor('aimlapi'));
    expect(await wireBodyText(prepared.request.body ?? {})).toBe(expectedText);
    expect(prepared.requestSha256).toBe(
      createHash('sha256').update('aimlapi POST /v2/video/generations\n').update(expectedText).digest('hex'),
    );
    expect(prepared.recorded.video_url).toEqual({
      $file: 'refs/ref.mp4', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, mime: 'video/mp4',
    });
  });

  it('is refused at submit time if the file became a FIFO since validation', async () => {
    const fifo = join(dir, 'later.mp4');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return;
    }
    await expect(wireBodyText({ video_url: new LocalMedia('later.mp4', fifo) })).rejects.toThrow('later.mp4 is a FIFO, not a regular file');
  });
});

/** A loopback server that records the one request it gets. */
async function recordingServer(): Promise<{ url: string; seen: Promise<{ headers: IncomingHttpHeaders; body: Buffer }>; close(): void }> {
  let resolveSeen: (v: { headers: IncomingHttpHeaders; body: Buffer }) => void = () => {};
  const seen = new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((r) => (resolveSeen = r));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolveSeen({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "g1", "status": "queued"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

describe('sending a render with a local file', () => {
  function v2vSpec(file: string) {
    return renderSpec({
      provider: 'aimlapi', model: 'krea/krea-wan-14b/video-to-video', seed: 1,
      params: { video_url: 'clip.mp4', strength: 0.5, enable_prompt_expansion: true }, media: { video_url: file },
    });
  }

  it('streams the pieces with their Content-Length: the server gets exactly the hashed bytes', async () => {
    const bytes = randomBytes(MEDIA_READ_CHUNK_BYTES * 2 + 7);
    const file = join(dir, 'clip.mp4');
    writeFileSync(file, bytes);
    const prepared = await prepareRender(v2vSpec(file), adapterFor('aimlapi'));
    const wire = await wireTextOf(prepared);
    expect(Array.isArray(wire)).toBe(true);
    const server = await recordingServer();
    try {
      await createProviderHttp().send(testConfig('aimlapi', server.url), 'submit', prepared.request, wire);
      const { headers, body } = await server.seen;
      expect(headers['content-length']).toBe(String(body.length));
      expect(headers['transfer-encoding']).toBeUndefined();
      expect(createHash('sha256').update('aimlapi POST /v2/video/generations\n').update(body).digest('hex')).toBe(prepared.requestSha256);
      expect((JSON.parse(body.toString('utf8')) as { video_url: string }).video_url).toBe(`data:video/mp4;base64,${bytes.toString('base64')}`);
    } finally {
      server.close();
    }
  });

  it('refuses to send a file changed since the render was planned (the journal holds the old hash)', async () => {
    const file = join(dir, 'changing.mp4');
    writeFileSync(file, randomBytes(3000));
    const prepared = await prepareRender(v2vSpec(file), adapterFor('aimlapi'));
    writeFileSync(file, randomBytes(3001));
    await expect(wireTextOf(prepared)).rejects.toThrow('video_url: clip.mp4 changed since this run planned the render; not sent, run again to send the new file');
  });
});
