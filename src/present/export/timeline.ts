/**
 * A storyboard as an editor's timeline: one entry per shot in manifest order, holding the
 * picked take (picks.json), else the first succeeded take of the shot, else a gap with a note.
 * Pure: the serialisers (otio.ts, edl.ts) turn it into files.
 */
import type { PicksFile } from '../../store/picks.js';
import { groupByShot } from '../report/shot-grid.js';
import type { RenderManifestFile, RenderRecord } from '../../core/records.js';

/** A shot with nothing to show still takes this long on the timeline, so the cut keeps its shape. */
export const GAP_SECONDS = 5;

export interface TimelineClip {
  shot: string;
  /** The render whose take this is. */
  render: string;
  /** The video, relative to the run folder. */
  file: string;
  durationS: number;
  /** Frames per second of the video, from the probe (frames / duration). */
  fps: number;
  frames: number;
  width: number | null;
  height: number | null;
  seed: number | null;
  prompt: string;
  /** How it was chosen. */
  chosen: 'picked' | 'first succeeded';
}

export interface TimelineGap {
  shot: string;
  durationS: number;
  note: string;
}

export type TimelineEntry = { kind: 'clip'; clip: TimelineClip } | { kind: 'gap'; gap: TimelineGap };

export interface Timeline {
  name: string;
  entries: TimelineEntry[];
  /** Picks that no longer match a take on disk, and why (said to the user, not fatal). */
  stalePicks: string[];
}

function clipOf(r: RenderRecord, take: { file: string; video: RenderRecord['video']; seed: number | null }, chosen: TimelineClip['chosen']): TimelineClip | undefined {
  const v = take.video;
  if (!v || !(v.duration_s > 0)) return undefined;
  const frames = v.frames ?? Math.round(v.duration_s * 24);
  return {
    shot: r.shot,
    render: r.id,
    file: take.file,
    durationS: v.duration_s,
    fps: Math.round((frames / v.duration_s) * 1000) / 1000,
    frames,
    width: v.width,
    height: v.height,
    seed: take.seed,
    prompt: r.prompt,
    chosen,
  };
}

/** The picked take of a shot: the render's current take, or one of its earlier takes. */
function pickedClip(renders: readonly RenderRecord[], pick: PicksFile['picks'][string]): TimelineClip | undefined {
  const r = renders.find((x) => x.id === pick.id);
  if (!r) return undefined;
  if (r.status === 'succeeded' && r.file && r.request_sha256 === pick.request_sha256 && r.sha256 === pick.sha256) {
    return clipOf(r, { file: r.file, video: r.video, seed: r.seed }, 'picked');
  }
  const earlier = (r.takes ?? []).find((t) => t.request_sha256 === pick.request_sha256 && t.sha256 === pick.sha256);
  return earlier ? clipOf(r, earlier, 'picked') : undefined;
}

export function buildTimeline(manifest: RenderManifestFile, picks: PicksFile): Timeline {
  const entries: TimelineEntry[] = [];
  const stalePicks: string[] = [];
  for (const group of groupByShot(manifest.renders)) {
    const pick = picks.picks[group.shot];
    let clip = pick ? pickedClip(group.renders, pick) : undefined;
    if (pick && !clip) stalePicks.push(`${group.shot}: the picked take of ${pick.id} is no longer on record; using the first succeeded take`);
    for (const r of group.renders) {
      if (clip) break;
      if (r.status === 'succeeded' && r.file) clip = clipOf(r, { file: r.file, video: r.video, seed: r.seed }, 'first succeeded');
    }
    if (clip) {
      entries.push({ kind: 'clip', clip });
      continue;
    }
    const states = [...new Set(group.renders.map((r) => r.status))].join(', ');
    entries.push({ kind: 'gap', gap: { shot: group.shot, durationS: GAP_SECONDS, note: `shot ${group.shot}: no succeeded take (${states})` } });
  }
  return { name: manifest.name, entries, stalePicks };
}
