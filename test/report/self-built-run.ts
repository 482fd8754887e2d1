/**
 * A run folder made without the run engine, for what a finished emulator run cannot show: video
 * files whose names need percent-encoding (`#`, space) and a render still running. Real H.264
 * MP4s of two sizes, probed the way the engine probes its downloads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeMp4 } from '../../src/media/make-mp4.js';
import { probeMp4 } from '../../src/media/probe-mp4.js';
import type { RenderManifestFile, RenderRecord } from '../../src/core/records.js';
import { record, runManifest } from './fixtures.js';


/** Writes the folder's videos and manifest.json under `dir`; returns the manifest. */
export async function buildSelfRun(dir: string): Promise<RenderManifestFile> {
  await mkdir(join(dir, 'city'), { recursive: true });
  const video = async (file: string, width: number, height: number, seed: number): Promise<Partial<RenderRecord>> => {
    await writeFile(join(dir, file), await makeMp4({ width, height, fps: 8, frames: 16, seed, label: file }));
    const info = await probeMp4(join(dir, file));
    return { file, video: { width: info.width, height: info.height, duration_s: info.duration_s, codec: info.codec, frames: info.frames } };
  };
  const sweep: RenderRecord[] = [];
  for (const g of [4, 7]) {
    for (const seed of [100, 200]) {
      const id = `city.guidance_scale-${g}.seed-${seed}`;
      // A `#` and a space in the file name: the page must percent-encode them to load it.
      sweep.push(
        record({
          id,
          shot: 'city',
          seed,
          prompt: 'a rainy city street at night, neon reflections',
          params: { guidance_scale: g, steps: 30 },
          varying: { guidance_scale: g },
          ...(await video(`city/${id} #${g}.mp4`, 320, 240, seed + g)),
        }),
      );
    }
  }
  const manifest = runManifest([
    ...sweep,
    record({ id: 'harbour.seed-5', shot: 'harbour', seed: 5, prompt: 'a harbour at dawn', ...(await video('harbour.seed-5.mp4', 256, 144, 5)) }),
    record({
      id: 'crash.seed-9',
      shot: 'crash',
      seed: 9,
      prompt: 'a crash',
      status: 'failed',
      file: null,
      video: null,
      error: { message: 'out of credits', code: 'E_JOB_FAILED' },
    }),
    record({ id: 'late.take-1', shot: 'late', seed: null, seed_origin: 'none', status: 'running', file: null, video: null }),
  ]);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}
