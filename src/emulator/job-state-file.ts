/**
 * The emulator's jobs on disk, so they outlive the process: `<stateDir>/jobs.jsonl`, one JSON
 * line per accepted job (written before the create is answered) and one per "forget". Opening
 * replays it. Job times are epoch milliseconds, so a job keeps ageing while no emulator runs.
 * The file holds no key: requests are reduced to what a job needs to answer and render.
 */
import { closeSync, mkdirSync, openSync, readFileSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { ProviderName } from '../core/catalog.js';
import type { Job } from './job-store.js';

export const STATE_FILE_NAME = 'jobs.jsonl';
/** Bumped when a line's meaning changes; lines of another version are refused, not guessed at. */
const FORMAT_VERSION = 1;
const PROVIDERS: readonly ProviderName[] = ['aimlapi', 'krea', 'novita'];

/** What a state file holds: every job ever accepted, in order, and the ids forgotten since. */
export interface StoredJobs {
  jobs: Job[];
  forgotten: Set<string>;
}

export class JobStateFile {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
  ) {}

  /**
   * Creates the folder and file when missing and reads what is there. A last line cut off by a
   * crash mid-write is dropped (and cut from the file, so the next line starts clean); any other
   * damage is reported, naming the file and line.
   */
  static open(dir: string): { file: JobStateFile; stored: StoredJobs } {
    const path = join(dir, STATE_FILE_NAME);
    let fd: number;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw stateError(`cannot create the emulator's state folder ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, dir, { cause: err });
    }
    try {
      fd = openSync(path, 'a+');
    } catch (err) {
      throw stateError(`cannot use the emulator's state file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, dir, { cause: err });
    }
    try {
      const text = readFileSync(fd, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      const stored = parse(text.slice(0, end), path, dir);
      if (end < text.length) ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
      return { file: new JobStateFile(path, fd), stored };
    } catch (err) {
      closeSync(fd);
      if (err instanceof UsageError) throw err;
      throw stateError(`cannot use the emulator's state file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, dir, { cause: err });
    }
  }

  /** Appends a job. Synchronous, so the job is in the file before its create is answered. */
  appendJob(job: Job): void {
    this.write({ v: FORMAT_VERSION, job: toRecord(job) });
  }

  appendForget(ids: readonly string[]): void {
    if (ids.length > 0) this.write({ v: FORMAT_VERSION, forget: ids });
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private write(line: unknown): void {
    if (this.fd === undefined) throw new Error(`the emulator's state file ${this.path} is closed`);
    // A line in the kernel's hands survives the process being killed; fsync would only add
    // safety against the machine losing power, for jobs that cost nothing.
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }
}

/** A job as stored: what it was asked, when, for how long, and the token of its result URL. */
type JobRecord = Omit<Job, 'createdAt' | 'urlVersion' | 'urlExpired'>;

function toRecord(job: Job): JobRecord {
  const { createdAt: _created, urlVersion: _version, urlExpired: _expired, ...rest } = job;
  return rest;
}

function parse(text: string, path: string, dir: string): StoredJobs {
  const stored: StoredJobs = { jobs: [], forgotten: new Set() };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const bad = (what: string): UsageError => stateError(`${path}:${i + 1}: ${what}`, dir);
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      throw bad('not a JSON line of the emulator state');
    }
    if (!isObject(line)) throw bad('not an emulator state record');
    if (line.v !== FORMAT_VERSION) throw bad(`written by another version of render (format ${JSON.stringify(line.v)}, this one reads ${FORMAT_VERSION})`);
    if (Array.isArray(line.forget) && line.forget.every((id) => typeof id === 'string')) {
      for (const id of line.forget as string[]) stored.forgotten.add(id);
      continue;
    }
    const job = fromRecord(line.job);
    if (typeof job === 'string') throw bad(`not an emulator job record (${job})`);
    stored.jobs.push(job);
  }
  return stored;
}

/** The job, or what is wrong with the record. */
function fromRecord(r: unknown): Job | string {
  if (!isObject(r)) return 'no job';
  if (typeof r.provider !== 'string' || !PROVIDERS.includes(r.provider as ProviderName)) return 'provider';
  for (const key of ['id', 'model', 'prompt', 'mediaToken'] as const) if (typeof r[key] !== 'string') return key;
  for (const key of ['startMs', 'queuedMs', 'durationMs'] as const) if (!Number.isFinite(r[key])) return key;
  if (r.seed !== null && typeof r.seed !== 'number') return 'seed';
  if (r.credits !== undefined && typeof r.credits !== 'number') return 'credits';
  if (r.failReason !== undefined && typeof r.failReason !== 'string') return 'failReason';
  const v = r.video;
  if (!isObject(v)) return 'video';
  for (const key of ['width', 'height', 'fps', 'frames'] as const) if (!Number.isFinite(v[key])) return `video.${key}`;
  if (typeof v.seed !== 'string') return 'video.seed';
  if (typeof v.label !== 'string') return 'video.label';
  const job = r as unknown as JobRecord;
  return { ...job, createdAt: new Date(job.startMs), failReason: job.failReason, urlVersion: 1, urlExpired: false };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stateError(message: string, dir: string, options: { cause?: unknown } = {}): UsageError {
  return new UsageError(message, {
    ...options,
    hint: `The folder ${dir} only holds the emulator's jobs: delete it when no run is in flight (jobs it held are then unknown to the emulator).`,
  });
}
