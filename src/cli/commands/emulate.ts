/**
 * `render emulate [--port N] [--job-seconds S] [--state DIR]`: runs the local emulator of the
 * three provider APIs in the foreground, prints the environment that points render (or any
 * client) at it, logs one line per request to stderr, and stops cleanly on Ctrl-C. With
 * --state its jobs are kept in DIR and found again by the next emulator started on DIR.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { LoggedRequest } from '../../emulator/types.js';
import { numberFlag, parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

const DEFAULT_JOB_SECONDS = 3;

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('emulate', argv, {
    port: { type: 'string' },
    'job-seconds': { type: 'string' },
    state: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`render emulate takes no arguments, got "${positionals.join(' ')}"`);
  const port = numberFlag(values.port, '--port', { min: 0, max: 65535, integer: true });
  const jobSeconds = numberFlag(values['job-seconds'], '--job-seconds', { min: 0, max: 86_400 }) ?? DEFAULT_JOB_SECONDS;
  if (values.state === '') throw new UsageError('render emulate: --state needs a folder', { hint: 'e.g. --state output/.emulator' });
  const stateDir = typeof values.state === 'string' ? resolve(io.cwd, values.state) : undefined;

  // Loaded here so `render --help` never pays for the server and the encoder.
  const { startEmulator } = await import('../../emulator/server.js');
  let emulator;
  try {
    emulator = await startEmulator({
      ...(port === undefined ? {} : { port }),
      jobDurationMs: Math.round(jobSeconds * 1000),
      ...(stateDir === undefined ? {} : { stateDir }),
      onRequest: (r) => io.stderr.write(`${formatRequest(r)}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UsageError(`render emulate: cannot listen on 127.0.0.1:${port ?? 0} (${code})`, {
        hint: 'Pick another --port, or leave it out to use a free one.',
      });
    }
    throw err;
  }

  const e = emulator.env;
  io.stdout.write(
    `# render emulator on ${emulator.url} (AI/ML API, Krea, Novita; jobs take ${jobSeconds} s; any non-empty key works)\n` +
      `# Point render, or any client, at it:\n` +
      `export AIMLAPI_BASE_URL=${e.AIMLAPI_BASE_URL} AIMLAPI_API_KEY=${e.AIMLAPI_API_KEY}\n` +
      `export KREA_BASE_URL=${e.KREA_BASE_URL} KREA_API_TOKEN=${e.KREA_API_TOKEN}\n` +
      `export NOVITA_BASE_URL=${e.NOVITA_BASE_URL} NOVITA_API_KEY=${e.NOVITA_API_KEY}\n` +
      (stateDir === undefined ? '' : `# Jobs are kept in ${stateDir}: an emulator started with the same --state answers for them.\n`) +
      `# Requests are logged to stderr. Ctrl-C stops it.\n`,
  );

  await untilAborted(io.signal);
  await emulator.close();
  io.stderr.write('render emulate: stopped\n');
  return EXIT.ok;
}

/** `  1.234s aimlapi POST /v2/video/generations -> 200 job=…` */
export function formatRequest(r: LoggedRequest): string {
  const query = new URLSearchParams(r.query).toString();
  const status = r.status === 0 ? 'reset' : String(r.status);
  const job = r.jobId ? ` job=${r.jobId}` : '';
  return `${(r.atMs / 1000).toFixed(3).padStart(8)}s ${r.provider.padEnd(7)} ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${status}${job}`;
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  // Without a signal (an embedding with no Ctrl-C) the emulator runs until the process ends.
  if (!signal) return new Promise<void>(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
