/**
 * How long a transfer may take and how much render reads from a server, in one place (README,
 * "Deadlines and limits"). Every value is a default: the HTTP client and the downloader take
 * overrides, so tests can use small ones.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const TRANSFER_LIMITS = {
  /**
   * A create POST must be answered, body and all, within this long. Missing it makes the submit
   * indeterminate (the job may exist), never a resend, unless the connection was never made.
   */
  submitDeadlineMs: 60_000,
  /** A status read must be answered, body and all, within this long; then it is retried. */
  statusDeadlineMs: 30_000,
  /** One download attempt may take at most this long in all (a render's --timeout may cut it sooner). */
  downloadDeadlineMs: 30 * 60_000,
  /**
   * curl's --speed-limit/--speed-time: a download attempt that received less than
   * `downloadMinBytes` in the last `downloadSpeedWindowMs` (waiting for the headers included)
   * is abandoned and retried with Range.
   */
  downloadMinBytes: 16 * KiB,
  downloadSpeedWindowMs: 30_000,
  /** Status answers and error bodies larger than this are a bad answer (treated like a 5xx). */
  maxAnswerBytes: 4 * MiB,
  /** Videos larger than this are refused before a byte is written (`--max-video-size`). */
  maxVideoBytes: 4 * GiB,
  /**
   * After Ctrl-C, a submit already on the wire gets this long to hear its answer (so its job id
   * is journaled) before it is abandoned as indeterminate. Status reads and downloads stop at once.
   */
  submitGraceMs: 1_000,
  /** Ctrl-C: the process leaves after this long whatever is still on the wire. */
  interruptExitMs: 2_000,
} as const;

export type TransferLimits = { -readonly [K in keyof typeof TRANSFER_LIMITS]: number };

const UNITS: Record<string, number> = {
  b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, tb: 1000 ** 4,
  k: KiB, kib: KiB, m: MiB, mib: MiB, g: GiB, gib: GiB, t: 1024 * GiB, tib: 1024 * GiB,
};

/** `500MB`, `2GiB`, `1.5 GB`, `1048576` → bytes; undefined when it does not read as a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? '').toLowerCase() || 'b'];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** Bytes for messages: `4 GiB` for a whole binary unit, else decimal (`10.0 GB`, `1.3 kB`, `512 B`). */
export function formatSize(bytes: number): string {
  const steps: [number, string, number, string][] = [[GiB, 'GiB', 1e9, 'GB'], [MiB, 'MiB', 1e6, 'MB'], [KiB, 'KiB', 1e3, 'kB']];
  for (const [binary, binaryName, decimal, decimalName] of steps) {
    if (bytes >= binary && bytes % binary === 0) return `${bytes / binary} ${binaryName}`;
    if (bytes >= decimal) return `${(bytes / decimal).toFixed(1)} ${decimalName}`;
  }
  return `${bytes} B`;
}
