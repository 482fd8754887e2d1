/** Off a terminal: one plain line per state change, for logs and CI. */
import { STATES } from '../../core/lifecycle.js';
import type { EngineEvent } from '../../engine/events.js';

function clock(at: string): string {
  return at.slice(11, 19);
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The line for an event, or undefined for events that do not get one. `qualify`: several
 * manifests run together, so a render is named with its manifest (`a/intro.seed-1`).
 */
export function plainLine(e: EngineEvent, qualify = false): string | undefined {
  const t = clock(e.at);
  const who = 'id' in e && e.id !== undefined ? (qualify ? `${e.manifest}/${e.id}` : e.id) : undefined;
  switch (e.event) {
    case 'start': {
      const parts = [`${e.to_submit} to submit`];
      if (e.to_resume > 0) parts.push(`${e.to_resume} to resume`);
      if (e.skipped > 0) parts.push(`${e.skipped} already done`);
      return `${t} ${e.manifest}: ${e.total} render${e.total === 1 ? '' : 's'} (${parts.join(', ')}) → ${e.dir}`;
    }
    case 'submitted':
      return `${t} ${who} ${e.resumed ? 'resumed' : 'submitted'} (${e.provider} job ${e.job_id})`;
    case 'status':
      if (e.state !== 'queued' && e.state !== 'running' && e.state !== 'downloading') return undefined;
      return `${t} ${who} ${e.state}${e.provider_status && e.state !== 'downloading' ? ` (${e.provider_status})` : ''}`;
    case 'retry':
      return `${t} ${who} ${e.operation} will be retried in ${(e.delay_ms / 1000).toFixed(1)} s: ${e.reason}`;
    case 'downloaded': {
      const v = e.video;
      const what = v ? `${v.width}x${v.height}, ${v.duration_s.toFixed(1)} s, ` : '';
      return `${t} ${who} done: ${e.file} (${what}${kb(e.bytes)})`;
    }
    case 'failed':
      return `${t} ${who} ${STATES[e.status].label.toUpperCase()}: ${e.error}`;
    case 'warning':
      return `${t} warning: ${who ? `${who}: ` : qualify ? `${e.manifest}: ` : ''}${e.message}`;
    default:
      return undefined;
  }
}
