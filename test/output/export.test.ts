/**
 * `render export`: a real emulator run (two shots that succeed, one that fails) written as
 * OpenTimelineIO and as a CMX 3600 EDL, with and without a pick.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RenderManifestFile } from '../../src/core/records.js';
import { FAST_JOBS, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

const EXTRA = [
  '  - id: second',
  '    provider: aimlapi',
  '    model: krea/krea-wan-14b/text-to-video',
  '    prompt: "a boat at night"',
  '    params: { num_frames: 30, enable_prompt_expansion: false }',
  '    seed: 5',
  '  - id: broken',
  '    provider: aimlapi',
  '    model: krea/krea-wan-14b/text-to-video',
  '    prompt: "FAIL this one"',
  '    params: { num_frames: 18 }',
  '    seed: 6',
].join('\n');

let dir = '';
let run: RenderManifestFile;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await workspace();
  await withEmulator({ jobDurationMs: FAST_JOBS.jobDurationMs ?? 300, faults: { aimlapi: { failJob: { reason: 'content rejected', promptIncludes: 'FAIL' } } } }, async (emu) => {
    const file = await writeManifest(dir, wanManifest({ count: 2, extraShots: EXTRA }));
    const r = await runRender([file, '--poll-interval', '0.05', '--no-progress'], { cwd: dir, env: emu.env });
    expect(r.code).toBe(1);
  });
  run = await readOutputManifest(dir);
}, 60_000);

describe('render export --format otio', () => {
  it('writes Timeline → Stack → Track with one clip per shot in manifest order, and a gap for the failed shot', async () => {
    const r = await cli(['export', 'output/batch', '--format', 'otio']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join('output', 'batch', 'batch.otio')}: 2 clips, 1 gap\n`);
    expect(r.stderr).toContain('gap: shot broken: no succeeded take (failed)');
    const otioPath = join(dir, 'output', 'batch', 'batch.otio');
    const t = JSON.parse(await readFile(otioPath, 'utf8'));
    expect(t.OTIO_SCHEMA).toBe('Timeline.1');
    expect(t.tracks.OTIO_SCHEMA).toBe('Stack.1');
    const [track] = t.tracks.children;
    expect(track.OTIO_SCHEMA).toBe('Track.1');
    expect(track.kind).toBe('Video');
    expect(track.children.map((c: { OTIO_SCHEMA: string; name: string }) => [c.OTIO_SCHEMA, c.name])).toEqual([
      ['Clip.2', 'wan.seed-1'],
      ['Clip.2', 'second.seed-5'],
      ['Gap.1', 'broken (gap)'],
    ]);
    for (const clip of track.children.slice(0, 2)) {
      const ref = clip.media_references[clip.active_media_reference_key];
      expect(ref.OTIO_SCHEMA).toBe('ExternalReference.1');
      expect(ref.target_url).not.toMatch(/^\//);
      await access(resolve(dirname(otioPath), ref.target_url));
      const rec = run.renders.find((x) => x.id === clip.name);
      const d = clip.source_range.duration;
      expect(d.value / d.rate).toBeCloseTo(rec?.video?.duration_s ?? 0, 2);
      expect(d.value).toBe(rec?.video?.frames);
    }
  });

  it('takes the picked take, and media paths are relative to --out', async () => {
    const second = run.renders.find((x) => x.id === 'wan.seed-2');
    await writeFile(join(dir, 'output', 'batch', 'picks.json'), JSON.stringify({
      version: 1,
      picks: { wan: { id: 'wan.seed-2', request_sha256: second?.request_sha256, sha256: second?.sha256, picked_at: '2026-12-01T00:00:00Z' } },
    }));
    const r = await cli(['export', 'output/batch', '--format', 'otio', '--out', 'cut/story.otio']);
    expect(r.code).toBe(0);
    const t = JSON.parse(await readFile(join(dir, 'cut', 'story.otio'), 'utf8'));
    const first = t.tracks.children[0].children[0];
    expect(first.name).toBe('wan.seed-2');
    expect(first.metadata.render.chosen).toBe('picked');
    expect(first.media_references.DEFAULT_MEDIA.target_url).toBe('../output/batch/wan.seed-2.mp4');
  });
});

describe('render export --format edl', () => {
  it('writes one CMX 3600 event per shot with continuous record timecodes and a black event for the gap', async () => {
    const r = await cli(['export', 'output/batch', '--format', 'edl', '--out', 'cut.edl']);
    expect(r.code).toBe(0);
    const edl = await readFile(join(dir, 'cut.edl'), 'utf8');
    const events = edl.split('\n').filter((l) => /^\d{3} /.test(l));
    expect(events).toHaveLength(3);
    expect(edl.startsWith('TITLE: batch\nFCM: NON-DROP FRAME\n')).toBe(true);
    const fields = events.map((e) => e.split(/\s+/));
    expect(fields.map((f) => f[1])).toEqual(['AX', 'AX', 'BL']);
    // Record in of each event is the record out of the one before; the first starts at 01:00:00:00.
    expect(fields[0]?.[6]).toBe('01:00:00:00');
    expect(fields[1]?.[6]).toBe(fields[0]?.[7]);
    expect(fields[2]?.[6]).toBe(fields[1]?.[7]);
    expect(fields[0]?.[4]).toBe('00:00:00:00');
    expect(edl).toContain('* FROM CLIP NAME: wan.seed-2.mp4'); // the pick from the test above
    expect(edl).toContain('* SOURCE FILE: output/batch/wan.seed-2.mp4');
    expect(edl).toContain('* COMMENT: shot broken: no succeeded take (failed)');
  });

  it('refuses an unknown format and a folder without a run, with exit 2', async () => {
    expect((await cli(['export', 'output/batch', '--format', 'xml'])).stderr).toContain('--format must be otio or edl (got "xml")');
    const none = await cli(['export', 'nowhere', '--format', 'edl']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no folder at nowhere');
  });
});
