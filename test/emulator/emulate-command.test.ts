/** `render emulate` in-process, and the in-process use `render --emulate` makes of the emulator. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, formatRequest } from '../../src/cli/commands/emulate.js';
import type { CliIO } from '../../src/cli/io.js';
import { startEmulator } from '../../src/emulator/server.js';
import { UsageError } from '../../src/core/errors.js';
import { EMULATE_DEFAULTS } from '../../src/core/defaults.js';

function fakeIO(): { io: CliIO; out: () => string; err: () => string; abort: () => void } {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const io: CliIO = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    cwd: process.cwd(),
    signal: controller.signal,
  };
  return { io, out: () => out, err: () => err, abort: () => controller.abort() };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The variables from the printed `export A=1 B=2` lines. */
function exported(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n').filter((l) => l.startsWith('export '))) {
    for (const pair of line.slice('export '.length).split(' ')) {
      const [k = '', v = ''] = pair.split('=');
      env[k] = v;
    }
  }
  return env;
}

describe('render emulate', () => {
  it('prints the env for all three providers, logs each request to stderr, and exits 0 on Ctrl-C', async () => {
    const t = fakeIO();
    const running = command(['--job-seconds', '0.2'], t.io);
    await until(() => t.out().includes('NOVITA_API_KEY'));
    const env = exported(t.out());
    expect(Object.keys(env).sort()).toEqual(['AIMLAPI_API_KEY', 'AIMLAPI_BASE_URL', 'KREA_API_TOKEN', 'KREA_BASE_URL', 'NOVITA_API_KEY', 'NOVITA_BASE_URL']);
    expect(env.AIMLAPI_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.KREA_BASE_URL).toBe(env.AIMLAPI_BASE_URL);

    const res = await fetch(`${env.KREA_BASE_URL}/generate/video/kling/kling-2.5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.KREA_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello' }),
    });
    const { job_id } = (await res.json()) as { job_id: string };
    await fetch(`${env.KREA_BASE_URL}/jobs/${job_id}`, { headers: { authorization: 'Bearer k' } });
    await until(() => t.err().split('\n').length > 2);
    expect(t.err()).toContain(`krea    POST /generate/video/kling/kling-2.5 -> 200 job=${job_id}`);
    expect(t.err()).toContain(`GET /jobs/${job_id} -> 200`);
    expect(t.err()).not.toContain('Bearer');

    t.abort();
    await expect(running).resolves.toBe(0);
    await expect(fetch(`${env.KREA_BASE_URL}/jobs/${job_id}`)).rejects.toThrow();
  });

  it('listens on the --port asked for, and refuses a port in use with a usage error', async () => {
    const busy = await startEmulator();
    try {
      await expect(command(['--port', String(busy.port)], fakeIO().io)).rejects.toThrow(UsageError);
    } finally {
      await busy.close();
    }
    const t = fakeIO();
    const running = command(['--port', String(busy.port)], t.io);
    await until(() => t.out().includes('export'));
    expect(exported(t.out()).AIMLAPI_BASE_URL).toBe(`http://127.0.0.1:${busy.port}`);
    t.abort();
    await expect(running).resolves.toBe(0);
  });

  it('--state DIR keeps the jobs: a second `render emulate --state DIR` answers for a job of the first', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'render-emulate-state-'));
    const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
    const first = fakeIO();
    const running = command(['--job-seconds', '0', '--state', dir], first.io);
    await until(() => first.out().includes('NOVITA_API_KEY'));
    expect(first.out()).toContain(`# Jobs are kept in ${dir}`);
    const base = exported(first.out()).NOVITA_BASE_URL;
    const created = await fetch(`${base}/v3/async/wan-t2v`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'kept', seed: 1 }) });
    const { task_id } = (await created.json()) as { task_id: string };
    first.abort();
    await expect(running).resolves.toBe(0);

    const second = fakeIO();
    const again = command(['--state', dir], second.io);
    await until(() => second.out().includes('NOVITA_API_KEY'));
    const read = await fetch(`${exported(second.out()).NOVITA_BASE_URL}/v3/async/task-result?task_id=${task_id}`, { headers });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { task: { status: string } }).task.status).toBe('TASK_STATUS_SUCCEED');
    second.abort();
    await expect(again).resolves.toBe(0);
  });

  it.each([
    [['--state', ''], /--state needs a folder/],
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port/],
    [['--job-seconds', '-1'], /--job-seconds/],
    [['--nope'], /Unknown option/],
    [['jobs/x.yaml'], /takes no arguments/],
  ])('rejects %j', async (argv, message) => {
    await expect(command(argv, fakeIO().io)).rejects.toThrow(message);
  });

  it('formats a reset as "reset" and shows the query', () => {
    const line = formatRequest({
      atMs: 1234,
      provider: 'novita',
      method: 'GET',
      path: '/v3/async/task-result',
      query: { task_id: 'abc' },
      body: undefined,
      bodyText: undefined,
      status: 0,
      jobId: 'abc',
      inFlight: 1,
    });
    expect(line).toBe('   1.234s novita  GET /v3/async/task-result?task_id=abc -> reset job=abc');
  });
});

describe('the in-process emulator of `render --emulate`', () => {
  it('needs no setup: env points at it and a job takes 2 to 4 seconds to a documented-size video', async () => {
    // The durations --emulate gives its emulator, on a test clock: the job is read just before
    // 2 s and at 4 s, so what is checked is the setting, not how busy the machine is.
    let clockMs = Date.now();
    const em = await startEmulator({ jobDurationMs: EMULATE_DEFAULTS.jobMs, now: () => clockMs });
    try {
      const headers = { authorization: `Bearer ${em.env.AIMLAPI_API_KEY}`, 'content-type': 'application/json' };
      const created = await fetch(`${em.env.AIMLAPI_BASE_URL}/v2/video/generations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'krea/krea-wan-14b/text-to-video', prompt: 'first run', num_frames: 18, seed: 1 }),
      });
      const { id } = (await created.json()) as { id: string };
      const read = async (): Promise<{ status: string; video?: { url: string } }> =>
        (await (await fetch(`${em.env.AIMLAPI_BASE_URL}/v2/video/generations?generation_id=${encodeURIComponent(id)}`, { headers })).json()) as { status: string; video?: { url: string } };
      clockMs += 1999;
      expect((await read()).status).not.toBe('completed');
      clockMs += 4000 - 1999;
      const body = await read();
      expect(body.status).toBe('completed');
      expect((await fetch(body.video?.url ?? '')).status).toBe(200);
    } finally {
      await em.close();
    }
  });
});
