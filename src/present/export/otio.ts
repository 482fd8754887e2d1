/**
 * OpenTimelineIO JSON (`.otio`): Timeline → Stack → one video Track → a Clip (with an external
 * media reference) or a Gap per shot. Each clip keeps its own frame rate, as OTIO allows; media
 * paths are relative to the export file. Opens in DaVinci Resolve and the OTIO tools.
 */
import type { Timeline, TimelineEntry } from './timeline.js';

interface RationalTime {
  OTIO_SCHEMA: 'RationalTime.1';
  rate: number;
  value: number;
}

function time(value: number, rate: number): RationalTime {
  return { OTIO_SCHEMA: 'RationalTime.1', rate, value };
}

function range(frames: number, rate: number): object {
  return { OTIO_SCHEMA: 'TimeRange.1', start_time: time(0, rate), duration: time(frames, rate) };
}

/** The common fields of every OTIO item. */
function item(schema: string, name: string, metadata: Record<string, unknown>): Record<string, unknown> {
  return { OTIO_SCHEMA: schema, metadata, name, source_range: null, effects: [], markers: [], enabled: true };
}

/** Frame rate gaps are written in when no clip says otherwise. */
const GAP_RATE = 24;

function child(entry: TimelineEntry, mediaPath: (file: string) => string, rate: number): Record<string, unknown> {
  if (entry.kind === 'gap') {
    const g = entry.gap;
    return { ...item('Gap.1', `${g.shot} (gap)`, { render: { shot: g.shot, note: g.note } }), source_range: range(Math.round(g.durationS * rate), rate) };
  }
  const c = entry.clip;
  const available = range(c.frames, c.fps);
  return {
    ...item('Clip.2', c.render, { render: { shot: c.shot, render: c.render, seed: c.seed, prompt: c.prompt, chosen: c.chosen } }),
    source_range: available,
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        metadata: {},
        name: c.render,
        available_range: available,
        available_image_bounds: null,
        target_url: mediaPath(c.file),
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  };
}

export function timelineToOtio(t: Timeline, mediaPath: (file: string) => string): string {
  const firstClip = t.entries.find((e) => e.kind === 'clip');
  const rate = firstClip?.kind === 'clip' ? firstClip.clip.fps : GAP_RATE;
  const track = { ...item('Track.1', 'V1', {}), kind: 'Video', children: t.entries.map((e) => child(e, mediaPath, rate)) };
  const stack = { ...item('Stack.1', 'tracks', {}), children: [track] };
  const timeline = { OTIO_SCHEMA: 'Timeline.1', metadata: { render: { name: t.name } }, name: t.name, global_start_time: null, tracks: stack };
  return `${JSON.stringify(timeline, null, 2)}\n`;
}
