/** The words the contact sheet uses for statuses, seeds, values, sizes and times. */
import { STATES } from '../../core/lifecycle.js';
import type { RenderRecord, RenderState } from '../../core/records.js';
import { takeOf } from './shot-grid.js';

/** Every status, in the order the header counts them: finished first, then work in flight. */
export const STATUS_ORDER: readonly RenderState[] = [
  'succeeded',
  'failed',
  'timed_out',
  'lost',
  'cancelled',
  'indeterminate',
  'cancelled',
  'downloading',
  'running',
  'queued',
  'submitting',
  'pending',
];

const STATUS_LABELS: Record<RenderState, string> = Object.fromEntries(
  Object.entries(STATES).map(([state, facts]) => [state, facts.label]),
) as Record<RenderState, string>;

/** What a status means for someone looking at a tile with no video. */
const STATUS_NOTES: Record<RenderState, string> = {
  pending: 'not sent yet',
  submitting: 'being submitted',
  queued: 'queued at the provider',
  running: 'rendering at the provider',
  downloading: 'downloading',
  succeeded: 'no video file recorded',
  failed: 'failed',
  timed_out: 'render stopped waiting (--timeout); the next run polls the same job again',
  lost: 'the provider no longer knows this job; the next run submits it again',
  cancelled: 'cancelled at the provider (render cancel); the next run submits it again',
  indeterminate: 'the submit may or may not have created a job; rerun with --force to resubmit',
};

export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

export function statusNote(status: string): string {
  return (STATUS_NOTES as Record<string, string>)[status] ?? status;
}

/** A CSS class name for a status; unknown statuses share one so they cannot inject classes. */
export function statusClass(status: string): string {
  return status in STATUS_LABELS ? `st-${status}` : 'st-unknown';
}

/** "seed 42", "seed 9313 (drawn)", "take 2" or "no seed". */
export function seedLabel(r: RenderRecord): string {
  if (r.seed !== null) return `seed ${r.seed}${r.seed_origin === 'drawn' ? ' (drawn)' : ''}`;
  const take = takeOf(r);
  return take !== null ? `take ${take}` : 'no seed';
}

/** A param value as a person reads it: strings bare, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '–';
  return JSON.stringify(value);
}

/** "320×240 · 5.0 s" from the probed video, or null when nothing was probed. */
export function videoLabel(video: RenderRecord['video']): string | null {
  if (!video) return null;
  return `${video.width}×${video.height} · ${video.duration_s.toFixed(1)} s`;
}

/** "2026-11-01 12:00:03 UTC" from an ISO time; anything unparsable is shown as written. */
export function formatTime(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "3 min 12 s" between two ISO times, or null when either is missing. */
export function formatSpan(fromIso: string | null, toIso: string | null): string | null {
  if (fromIso === null || toIso === null) return null;
  const s = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (!Number.isFinite(s) || s < 0) return null;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h ? `${h} h` : '', h || m ? `${m} min` : '', `${s % 60} s`];
  return parts.filter(Boolean).join(' ');
}
