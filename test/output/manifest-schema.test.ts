import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FAST_JOBS, readOutputManifest, runRender, wanManifest, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

async function validator() {
  const schema = JSON.parse(await readFile(new URL('../../schemas/render-manifest.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('manifest.json', () => {
  it('of a real run (with a local media file and a failure) matches its JSON Schema, and records no data: URI or key', async () => {
    await withEmulator({ ...FAST_JOBS, faults: { aimlapi: { failJob: { reason: 'nsfw', promptIncludes: 'bad' } } } }, async (emu) => {
      const dir = await workspace();
      const refs = await readFile(new URL('../../jobs/refs/raccoon.mp4', import.meta.url));
      await (await import('node:fs/promises')).writeFile(`${dir}/ref.mp4`, refs);
      const extra = [
        '  - id: v2v', '    provider: aimlapi', '    model: krea/krea-wan-14b/video-to-video', '    prompt: "a fairy"',
        '    params: { video_url: ref.mp4, strength: 0.5 }', '    seed: 3',
        '  - id: bad', '    provider: aimlapi', '    model: krea/krea-wan-14b/text-to-video', '    prompt: "a bad idea"',
        '    params: { num_frames: 18 }', '    seed: 4',
      ].join('\n');
      const file = await writeManifest(dir, wanManifest({ count: 1, extraShots: extra }));
      const key = 'sk-test-0123456789abcdef';
      const env = { ...emu.env, AIMLAPI_API_KEY: key };
      const r = await runRender([file, '--poll-interval', '0.05', '--no-progress'], { cwd: dir, env });
      expect(r.code).toBe(1);
      const validate = await validator();
      const m = await readOutputManifest(dir);
      expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
      const v2v = m.renders.find((x) => x.id === 'v2v.seed-3');
      expect(v2v?.request.body['video_url']).toMatchObject({ $file: 'ref.mp4', bytes: refs.length, mime: 'video/mp4' });
      const text = await readFile(`${dir}/output/batch/manifest.json`, 'utf8');
      expect(text).not.toContain('data:video');
      expect(text).not.toContain(key);
      const journal = await readFile(`${dir}/output/batch/.render/journal.jsonl`, 'utf8');
      expect(journal).not.toContain(key);
      expect(r.stdout + r.stderr).not.toContain(key);
    });
  });

  it('the schema rejects a record that inlines a data: URI or lacks its file when succeeded', async () => {
    const validate = await validator();
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, wanManifest({ count: 1 }));
      expect((await runRender([file, '--poll-interval', '0.05', '--no-progress'], { cwd: dir, env: emu.env })).code).toBe(0);
      const m = await readOutputManifest(dir);
      expect(validate(m)).toBe(true);
      const inlined = structuredClone(m);
      inlined.renders[0]!.request.body['video_url'] = 'data:video/mp4;base64,AAAA';
      expect(validate(inlined)).toBe(false);
      const noFile = structuredClone(m);
      noFile.renders[0]!.file = null;
      expect(validate(noFile)).toBe(false);
    });
  });
});
