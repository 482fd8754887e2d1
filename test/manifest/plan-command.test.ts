import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/load-manifests.js';
import { idPart, renderId } from '../../src/manifest/render-id.js';
import { runCli, tempDir } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
// The example manifests are read from the repository, but never its output/ folder (a try-it
// run may have left one there): plans compare against an empty folder of their own.
const FRESH_OUT = ['--out', mkdtempSync(join(tmpdir(), 'render-plan-out-'))];
const PNG_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('render plan', () => {
  it('prints one row per render and totals per provider and model', async () => {
    const r = await runCli(['plan', 'jobs/storyboard.yaml', ...FRESH_OUT], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^city\.guidance_scale-6\.seed-101 +novita +wan-t2v +101 +unknown +guidance_scale=6$/m);
    expect(r.stdout).toMatch(/^eagle\.take-2 +krea +kling\/kling-2\.5 +— +200 compute units$/m);
    expect(r.stdout).toContain('10 renders\n  aimlapi: 4\n');
    expect(r.stdout).toContain('  novita: 4\n    wan-t2v: 4\n');
  });

  it('--json says the same, and --only / --shard select', async () => {
    const r = await runCli(['plan', 'jobs/seed-sweep.yaml', '--json', '--only', 'boat-drawn.*', '--only', 'boat.seed-100?', ...FRESH_OUT], root);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { renders: { id: string; seedText: string }[]; totals: { renders: number; drawnSeeds: number } };
    expect(plan.renders.map((x) => [x.id, x.seedText])).toEqual([
      ['boat.seed-1000', '1000'], ['boat.seed-1001', '1001'], ['boat.seed-1002', '1002'], ['boat.seed-1003', '1003'],
      ['boat-drawn.draw-1', 'drawn'], ['boat-drawn.draw-2', 'drawn'],
    ]);
    expect(plan.totals).toMatchObject({ renders: 6, drawnSeeds: 2 });
    const shards = await Promise.all(['1/2', '2/2'].map((s) => runCli(['plan', 'jobs/seed-sweep.yaml', '--json', '--shard', s, ...FRESH_OUT], root)));
    const ids = shards.flatMap((s) => (JSON.parse(s.stdout) as { renders: { id: string }[] }).renders.map((x) => x.id));
    expect(ids.sort()).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('rejects a bad --shard with exit 2', async () => {
    const r = await runCli(['plan', 'jobs/storyboard.yaml', '--shard', '3/2', ...FRESH_OUT], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard must be I/N');
  });
});

describe('expansion details', () => {
  it('passes an unknown model through: params as written, no seed drawn, takes', async () => {
    const dir = tempDir({ 'm.yaml': 'version: 1\nshots:\n  - id: a\n    prompt: p\n    provider: krea\n    model: kling/kling-3.0\n    allow_unknown_model: true\n    params: { duration: 12, start_image: ref.png }\n    repeat: 2\n', 'ref.png': PNG_HEADER });
    const [m] = await loadManifests(['m.yaml'], { cwd: dir });
    expect(m?.renders.map((r) => [r.id, r.seed, r.seedOrigin, r.take, r.knownModel, r.params, r.media])).toEqual([
      ['a.take-1', null, 'none', 1, false, { duration: 12, start_image: 'ref.png' }, { start_image: resolve(dir, 'ref.png') }],
      ['a.take-2', null, 'none', 2, false, { duration: 12, start_image: 'ref.png' }, { start_image: resolve(dir, 'ref.png') }],
    ]);
  });

  it('makes ids filesystem-safe and readable', () => {
    expect(renderId('city', [{ key: 'guidance_scale', value: 4.5 }, { key: 'negative_prompt', value: 'Blurry, Dark' }], 'seed-7')).toBe(
      'city.guidance_scale-4_5.negative_prompt-blurry__dark.seed-7',
    );
    const long = idPart('x'.repeat(100));
    expect(long).toMatch(/^x{31}_[0-9a-f]{8}$/);
    expect(idPart('y'.repeat(100))).not.toBe(long);
  });
});
