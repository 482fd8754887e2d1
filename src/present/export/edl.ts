/**
 * CMX 3600 EDL: one event per shot on reel AX (a file, named in a comment), record times from
 * 01:00:00:00, non-drop frame. A shot with no take is a black (BL) event with a note. An EDL has
 * one frame rate: the clips' own when they share one, else 24, with durations converted.
 */
import type { Timeline } from './timeline.js';

function timecode(frames: number, fps: number): string {
  const f = Math.round(frames);
  const perSecond = Math.round(fps);
  const hh = Math.floor(f / (perSecond * 3600));
  const mm = Math.floor(f / (perSecond * 60)) % 60;
  const ss = Math.floor(f / perSecond) % 60;
  const ff = f % perSecond;
  return [hh, mm, ss, ff].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The EDL's frame rate: every clip's (rounded) when they agree, else 24. */
export function edlRate(t: Timeline): number {
  const rates = new Set(t.entries.flatMap((e) => (e.kind === 'clip' ? [Math.round(e.clip.fps)] : [])));
  return rates.size === 1 ? [...rates][0] ?? 24 : 24;
}

/** A comment line holds no line break (an EDL reader would take the rest as an event). */
function comment(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

export function timelineToEdl(t: Timeline, mediaPath: (file: string) => string): string {
  const fps = edlRate(t);
  const lines = [`TITLE: ${comment(t.name).slice(0, 70)}`, 'FCM: NON-DROP FRAME', ''];
  let record = 3600 * fps; // 01:00:00:00
  t.entries.forEach((entry, n) => {
    const event = String(n + 1).padStart(3, '0');
    const seconds = entry.kind === 'clip' ? entry.clip.durationS : entry.gap.durationS;
    const frames = Math.max(1, Math.round(seconds * fps));
    const reel = entry.kind === 'clip' ? 'AX' : 'BL';
    lines.push(`${event}  ${reel.padEnd(8)} V     C        ${timecode(0, fps)} ${timecode(frames, fps)} ${timecode(record, fps)} ${timecode(record + frames, fps)}`);
    if (entry.kind === 'clip') {
      const path = mediaPath(entry.clip.file);
      lines.push(`* FROM CLIP NAME: ${comment(path.split('/').pop() ?? path)}`);
      lines.push(`* SOURCE FILE: ${comment(path)}`);
      lines.push(`* COMMENT: shot ${comment(entry.clip.shot)}, render ${comment(entry.clip.render)} (${entry.clip.chosen})`);
    } else {
      lines.push(`* COMMENT: ${comment(entry.gap.note)}`);
    }
    lines.push('');
    record += frames;
  });
  return `${lines.join('\n')}`;
}
