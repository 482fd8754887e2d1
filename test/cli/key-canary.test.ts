/**
 * No API key leaves render, whatever a server sends back. A hostile AI/ML API echoes planted
 * canary keys (render's own and the other providers') in request ids, headers, failure
 * reasons, a long error body, a status string, the generation id and a download's error; render
 * runs against it with plain output and with --json, then `render report` rebuilds the pages.
 * No output — stdout, stderr, manifest.json, the journal, index.html, any file — may hold a
 * key or any 8 characters of one.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRequest } from '../../src/cli/commands/emulate.js';
import { startEmulator } from '../../src/emulator/server.js';
import { makeMp4, releaseMp4Encoder } from '../../src/media/make-mp4.js';
import type { RenderManifestFile } from '../../src/core/records.js';
import { canaryKey, FILLER_CHARS, SCENARIOS, startCanaryProvider, type CanaryProvider } from '../support/canary-provider.js';
import { runCli, type CliResult } from '../support/run-cli.js';

const FRAGMENT = 8;
const SEEDS = Object.keys(SCENARIOS).map(Number);

const keys = { aimlapi: canaryKey(), krea: canaryKey(), novita: canaryKey() };
let server: CanaryProvider;
let dir: string;

beforeAll(async () => {
  const video = await makeMp4({ width: 64, height: 48, fps: 6, frames: 6, seed: 1 });
  await releaseMp4Encoder();
  server = await startCanaryProvider(keys.aimlapi, [keys.krea, keys.novita], video);
  dir = await mkdtemp(join(tmpdir(), 'render-keys-'));
  await writeFile(
    join(dir, 'job.yaml'),
    [
      'version: 1',
      'name: echo',
      'shots:',
      '  - id: shot',
      '    provider: aimlapi',
      '    model: krea/krea-wan-14b/text-to-video',
      '    prompt: "a lighthouse in a storm"',
      '    params: { num_frames: 18, enable_prompt_expansion: false }',
      `    seeds: [${SEEDS.join(', ')}]`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    AIMLAPI_BASE_URL: server.url,
    AIMLAPI_API_KEY: keys.aimlapi,
    KREA_API_TOKEN: keys.krea,
    NOVITA_API_KEY: keys.novita,
    // Never used (no render goes there), but a stray request must stay on loopback.
    KREA_BASE_URL: 'http://127.0.0.1:9',
    NOVITA_BASE_URL: 'http://127.0.0.1:9',
  };
}

function run(...argv: string[]): Promise<CliResult> {
  return runCli(argv, dir, env());
}

/** Every file under `root`, as text (binary files as latin1, so bytes of a key still show). */
async function filesUnder(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path.slice(root.length + 1), (await readFile(path)).toString('latin1'));
  }
  return out;
}

/** Where a key, or any FRAGMENT characters of one, occurs in `text`: `name: …context…`. */
function leaks(name: string, text: string): string[] {
  const found: string[] = [];
  for (const key of Object.values(keys)) {
    for (let i = 0; i + FRAGMENT <= key.length; i += 1) {
      const at = text.indexOf(key.slice(i, i + FRAGMENT));
      if (at >= 0) {
        found.push(`${name}: …${text.slice(Math.max(0, at - 30), at + 40)}…`);
        break;
      }
    }
  }
  return found;
}

describe('API keys echoed by a provider', () => {
  it('appear in no output of render run (plain and --json) or render report, whole or in part', async () => {
    const plain = await run('run', 'job.yaml', '--out', 'plain', '--poll-interval', '0.05', '--timeout', '60');
    const json = await run('run', 'job.yaml', '--json', '--out', 'json', '--poll-interval', '0.05', '--timeout', '60');
    const reports = [await run('report', 'plain/echo'), await run('report', 'json/echo')];

    // The server was really asked: every render submitted in both runs, the video fetched.
    expect(server.log.filter((l) => l.startsWith('POST /v2/video/generations'))).toHaveLength(2 * SEEDS.length);
    expect(server.log.filter((l) => l.startsWith('GET /media/') && l.endsWith(' 200'))).toHaveLength(2);
    expect([plain.code, json.code]).toEqual([1, 1]);
    expect(reports.map((r) => r.code)).toEqual([0, 0]);

    const found: string[] = [];
    const outputs: Array<[string, CliResult]> = [['run', plain], ['run --json', json], ['report plain', reports[0]!], ['report json', reports[1]!]];
    for (const [name, r] of outputs) {
      found.push(...leaks(`${name} stdout`, r.stdout), ...leaks(`${name} stderr`, r.stderr));
    }
    const files = await filesUnder(dir);
    expect([...files.keys()]).toEqual(expect.arrayContaining([
      'plain/echo/manifest.json', 'plain/echo/index.html', 'plain/echo/.render/journal.jsonl', 'plain/echo/shot.seed-1.mp4',
      'json/echo/manifest.json', 'json/echo/index.html', 'json/echo/.render/journal.jsonl', 'json/echo/shot.seed-1.mp4',
    ]));
    for (const [path, text] of files) found.push(...leaks(path, text));
    expect(found).toEqual([]);

    // What the providers said is still there to read, with the keys cut out.
    const manifest = JSON.parse(await readFile(join(dir, 'plain/echo/manifest.json'), 'utf8')) as RenderManifestFile;
    const byId = new Map(manifest.renders.map((r) => [r.id, r]));
    expect(byId.get('shot.seed-1')?.status).toBe('succeeded');
    expect(byId.get('shot.seed-1')?.provider_metadata?.request_id).toBe('[redacted]');
    expect(byId.get('shot.seed-2')?.error?.message).toContain('moderation failed for [redacted] [redacted] [redacted]');
    // Redacted before it was cut to 500 characters: the marker, not the key's first characters.
    expect(byId.get('shot.seed-3')?.error?.message).toContain(`HTTP 400: ${'x'.repeat(FILLER_CHARS)}[redacted] and more text`);
    expect(byId.get('shot.seed-4')?.error).toMatchObject({ http_status: 422, request_id: '[redacted]' });
    expect(byId.get('shot.seed-7')?.error?.message).toContain('escaped [redacted]');
    expect(plain.stdout + plain.stderr).toContain('moderation failed for [redacted]');
  });

  it('are not in the request lines render emulate logs', async () => {
    const lines: string[] = [];
    const emu = await startEmulator({ jobDurationMs: { min: 10_000, max: 10_000 }, onRequest: (r) => lines.push(formatRequest(r)) });
    try {
      const post = (path: string, key: string, body: unknown): Promise<Response> =>
        fetch(`${emu.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const get = (path: string, key: string): Promise<Response> => fetch(`${emu.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      const answers = [
        await post('/v2/video/generations', keys.aimlapi, { model: 'krea/krea-wan-14b/text-to-video', prompt: 'p', seed: 1 }),
        await post('/generate/video/kling/kling-2.5', keys.krea, { prompt: 'p' }),
        await post('/v3/async/wan-t2v', keys.novita, { prompt: 'p', width: 832, height: 480, seed: 1 }),
        await get('/v2/video/generations?generation_id=nope', keys.aimlapi),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404]);
      expect(lines).toHaveLength(4);
      expect([...leaks('log lines', lines.join('\n')), ...leaks('request log', JSON.stringify(emu.log))]).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});
