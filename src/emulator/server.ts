/**
 * The emulator: one node:http server on 127.0.0.1 speaking the AI/ML API, Krea and Novita
 * protocols for the five seed models, with result URLs served by itself, fault injection and a
 * request log. Provider specifics live in aimlapi.ts, krea.ts and novita.ts; this file routes,
 * applies faults, creates jobs and writes the log.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { acquireMp4Encoder, releaseMp4Encoder } from '../media/make-mp4.js';
import type { ProviderName } from '../core/catalog.js';
import { aimlapi } from './aimlapi.js';
import { Faults, retryAfterHeader } from './faults.js';
import { BodyTooLarge, lowerHeaders, parseJson, queryRecord, readBody, writeReply } from './http-io.js';
import { JobStateFile } from './job-state-file.js';
import { JobStore, type JobTiming } from './job-store.js';
import { kreaApi } from './krea.js';
import { MediaStore } from './media-store.js';
import { novita } from './novita.js';
import type { ProviderApi } from './provider-api.js';
import { json, withJob, type IncomingCall, type Reply } from './reply.js';
import type { Emulator, EmulatorOptions, FaultConfig, ForgetFilter, LoggedRequest } from './types.js';

const DEFAULT_JOB_MS = 3000;
const DEFAULT_QUEUED_FRACTION = 0.3;
/** The key put in `env`; any non-empty key is accepted. */
const EMULATOR_KEY = 'emulator-key';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const t0 = performance.now();
  /** For the request log; jobs live on the wall clock, which goes on while no emulator runs. */
  const now = (): number => performance.now() - t0;
  const providers: ProviderApi[] = [aimlapi, kreaApi(), novita];
  const timing = {
    durationMs: options.jobDurationMs ?? DEFAULT_JOB_MS,
    queuedFraction: clamp01(options.queuedFraction ?? DEFAULT_QUEUED_FRACTION),
    durationSeed: options.durationSeed,
  };
  const { jobs, stateFile } = openJobs(timing, options.stateDir, providers, options.now ?? Date.now);
  const faults = new Faults(options.faults);
  let baseUrl = '';
  const media = new MediaStore(() => baseUrl, { frames: options.maxVideoFrames, side: options.maxVideoSide });
  const log: LoggedRequest[] = [];

  const record = (entry: LoggedRequest): void => {
    log.push(entry);
    options.onRequest?.(entry);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const atMs = Math.round(now());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const entry = (provider: LoggedRequest['provider'], status: number, extra: Partial<LoggedRequest> = {}): LoggedRequest => ({
      atMs,
      provider,
      method,
      path,
      query: queryRecord(url.searchParams),
      body: undefined,
      bodyText: undefined,
      status,
      inFlight: provider === 'media' ? jobs.inFlight() : jobs.inFlight(provider),
      ...extra,
    });

    if (path.startsWith('/media/') && (method === 'GET' || method === 'HEAD')) {
      const inFlight = jobs.inFlight();
      const served = await media.serve(req, res, path, jobs, faults);
      record({ ...entry('media', served.status), inFlight, ...(served.jobId ? { jobId: served.jobId } : {}) });
      return;
    }

    const api = providers.find((p) => p.owns(path));
    const inFlight = api ? jobs.inFlight(api.provider) : jobs.inFlight();
    let bodyText: string | undefined;
    try {
      bodyText = method === 'POST' ? await readBody(req) : undefined;
    } catch (err) {
      const status = err instanceof BodyTooLarge ? 413 : 400;
      const reply = api ? api.error(status, emptyCall(method, path, url), String((err as Error).message)) : json(status, { error: 'bad request' });
      record({ ...entry(api?.provider ?? 'media', writeReply(req, res, reply)), inFlight });
      return;
    }
    const parsed = parseJson(bodyText ?? '');
    const call: IncomingCall = { method, path, query: url.searchParams, headers: lowerHeaders(req), body: parsed.body, bodyError: parsed.error };
    const logged = { inFlight, bodyText, body: bodyText === undefined ? undefined : parsed.error === undefined ? parsed.body : bodyText };

    if (!api) {
      const status = writeReply(req, res, json(404, { error: 'Not Found', path }));
      // Paths of no provider are logged under the media "host" they share.
      record({ ...entry('media', status), ...logged });
      return;
    }
    let reply: Reply;
    try {
      reply = await dispatch(api, call);
    } catch (err) {
      reply = api.error(500, call, `emulator error: ${err instanceof Error ? err.message : String(err)}`);
    }
    const status = writeReply(req, res, reply);
    record({ ...entry(api.provider, status), ...logged, ...(reply.jobId ? { jobId: reply.jobId } : {}) });
  };

  const dispatch = async (api: ProviderApi, call: IncomingCall): Promise<Reply> => {
    const denied = api.authError(call);
    if (denied) return denied;
    const kind = api.route(call.method, call.path);
    if (kind === 'submit') return submit(api, call);
    if (kind === 'status') return status(api, call);
    if (kind === 'cancel') return cancel(api, call);
    return api.error(404, call);
  };

  const cancel = async (api: ProviderApi, call: IncomingCall): Promise<Reply> => {
    const id = api.statusId(call);
    if (!id.ok) return id.reply;
    const job = jobs.get(id.value);
    if (!job || job.provider !== api.provider || !api.cancelled || !api.cancelRefused) return api.error(404, call, 'Job not found');
    if (!jobs.cancel(job)) return withJob(api.cancelRefused(job, jobs.view(job), call), job.id);
    return withJob(api.cancelled(job, jobs.view(job), call), job.id);
  };

  const submit = async (api: ProviderApi, call: IncomingCall): Promise<Reply> => {
    const p = api.provider;
    const rate = faults.take(p, 'submit429');
    if (rate) return withHeaders(api.error(429, call), retryAfterHeader(rate.retryAfterSeconds, rate.retryAfterDate));
    const down = faults.take(p, 'submit5xx');
    if (down) return api.error(down.status, call);
    const parsed = await api.parseCreate(call);
    if (!parsed.ok) return parsed.reply;
    const cap = faults.maxConcurrentJobs(p);
    if (cap !== undefined && jobs.inFlight(p) >= cap) return api.error(429, call);
    const request = parsed.value;
    const job = jobs.create(p, api.newJobId(request), request, faults.takeJobFailure(p, request.prompt));
    if (faults.take(p, 'submitResetAfterAccept')) return { kind: 'reset', jobId: job.id };
    return withJob(api.created(job, jobs.view(job), call), job.id);
  };

  const status = async (api: ProviderApi, call: IncomingCall): Promise<Reply> => {
    const p = api.provider;
    const rate = faults.take(p, 'status429');
    if (rate) return withHeaders(api.error(429, call), retryAfterHeader(rate.retryAfterSeconds));
    const down = faults.take(p, 'status5xx');
    if (down) return api.error(down.status, call);
    const id = api.statusId(call);
    if (!id.ok) return id.reply;
    const job = jobs.get(id.value);
    if (faults.take(p, 'statusReset')) return job ? { kind: 'reset', jobId: job.id } : { kind: 'reset' };
    if (!job || job.provider !== p) return api.error(404, call, p === 'krea' ? 'Job not found' : undefined);
    const view = jobs.view(job);
    let videoUrl: string | undefined;
    if (view.state === 'succeeded') {
      videoUrl = media.urlFor(job);
      media.warm(job);
    }
    return withJob(api.status(job, view, videoUrl, call), job.id);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the emulator: answer 500 rather than leave the client hanging.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`emulator error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    stateFile?.close();
    throw err;
  });
  acquireMp4Encoder();
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url: baseUrl,
    port,
    env: {
      AIMLAPI_BASE_URL: baseUrl,
      AIMLAPI_API_KEY: EMULATOR_KEY,
      KREA_BASE_URL: baseUrl,
      KREA_API_TOKEN: EMULATOR_KEY,
      NOVITA_BASE_URL: baseUrl,
      NOVITA_API_KEY: EMULATOR_KEY,
    },
    log,
    setFaults: (provider: ProviderName, config: FaultConfig) => faults.set(provider, config),
    peakInFlight: () => jobs.peakInFlight(),
    forgetJobs: (filter?: ForgetFilter) => jobs.forget(filter),
    close() {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        stateFile?.close();
        await releaseMp4Encoder();
      })();
      return closed;
    },
  };
}

/** The job store: in memory, or kept in `stateDir` and filled with the jobs already there. */
function openJobs(timing: JobTiming, stateDir: string | undefined, providers: readonly ProviderApi[], now: () => number): { jobs: JobStore; stateFile?: JobStateFile } {
  if (stateDir === undefined) return { jobs: new JobStore(timing, now) };
  const { file, stored } = JobStateFile.open(stateDir);
  const jobs = new JobStore(timing, now, { created: (job) => file.appendJob(job), forgot: (ids) => file.appendForget(ids) });
  for (const job of stored.jobs) {
    providers.find((p) => p.provider === job.provider)?.restore?.(job);
    if (!stored.forgotten.has(job.id)) jobs.restore(job);
  }
  return { jobs, stateFile: file };
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return reply.kind === 'json' ? { ...reply, headers: { ...reply.headers, ...headers } } : reply;
}

function emptyCall(method: string, path: string, url: URL): IncomingCall {
  return { method, path, query: url.searchParams, headers: {}, body: undefined, bodyError: undefined };
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}
