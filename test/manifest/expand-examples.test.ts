import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/load-manifests.js';
import type { RenderSpec } from '../../src/manifest/types.js';

const root = resolve(import.meta.dirname, '../..');
const INT32_MAX = 2147483647;

/** A render with the fields most renders share; each case spells out what differs. */
function render(fields: Partial<RenderSpec> & Pick<RenderSpec, 'id' | 'shot' | 'model' | 'prompt' | 'params'>, file: string, line: number): RenderSpec {
  return {
    manifestName: file.replace(/^jobs\/|\.yaml$/g, ''),
    source: { file, line },
    provider: 'aimlapi',
    knownModel: true,
    seed: null,
    seedOrigin: 'manifest',
    drawnSeedRange: null,
    take: null,
    varying: {},
    media: {},
    ...fields,
  };
}

describe('expansion of the example manifests', () => {
  it('expands jobs/storyboard.yaml', async () => {
    const [manifest] = await loadManifests(['jobs/storyboard.yaml'], { cwd: root });
    const f = 'jobs/storyboard.yaml';
    const hero = 'a raccoon in a red scarf';
    const t2v = 'krea/krea-wan-14b/text-to-video';
    const city = (guidance: number, seed: number): RenderSpec =>
      render(
        {
          id: `city.guidance_scale-${guidance}.seed-${seed}`,
          shot: 'city',
          provider: 'novita',
          model: 'wan-t2v',
          prompt: 'a neon city street in the rain, slow dolly shot',
          seed,
          params: {
            enable_safety_checker: true,
            fast_mode: true,
            flow_shift: 5,
            guidance_scale: guidance,
            height: 480,
            model_name: 'wan2.1-t2v',
            steps: 10,
            width: 832,
          },
          varying: { guidance_scale: guidance },
        },
        f,
        38,
      );
    const eagle = (take: number): RenderSpec =>
      render(
        {
          id: `eagle.take-${take}`,
          shot: 'eagle',
          provider: 'krea',
          model: 'kling/kling-2.5',
          prompt: 'an eagle soars over snow-capped mountains at sunrise',
          seedOrigin: 'none',
          take,
          params: { aspect_ratio: '16:9', duration: 5, mode: 'pro' },
        },
        f,
        32,
      );
    expect(manifest).toEqual({
      name: 'storyboard',
      file: f,
      concurrency: 4,
      providers: { novita: { concurrency: 1 } },
      warnings: [],
      renders: [
        render({ id: 'opening.seed-11', shot: 'opening', model: t2v, prompt: `${hero} walks through a misty forest at dawn`, seed: 11, params: { enable_prompt_expansion: false, num_frames: 18 } }, f, 19),
        render({ id: 'opening.seed-12', shot: 'opening', model: t2v, prompt: `${hero} walks through a misty forest at dawn`, seed: 12, params: { enable_prompt_expansion: false, num_frames: 18 } }, f, 19),
        render(
          {
            id: 'rider.seed-42',
            shot: 'rider',
            model: 'krea/krea-wan-14b/video-to-video',
            prompt: `a small fairy rides on the back of ${hero}`,
            seed: 42,
            params: { enable_prompt_expansion: true, strength: 0.55, video_url: 'refs/raccoon.mp4' },
            media: { video_url: resolve(root, 'jobs/refs/raccoon.mp4') },
          },
          f,
          22,
        ),
        render(
          {
            id: 'poster.seed-7',
            shot: 'poster',
            model: 'pixverse/v5/text-to-video',
            prompt: `${hero} on a cinema poster, bold colours`,
            seed: 7,
            params: { aspect_ratio: '16:9', duration: 5, resolution: '360p', style: 'comic' },
          },
          f,
          27,
        ),
        eagle(1),
        eagle(2),
        city(4, 100),
        city(4, 101),
        city(6, 100),
        city(6, 101),
      ],
    });
  });

  it('expands jobs/seed-sweep.yaml', async () => {
    const [manifest] = await loadManifests(['jobs/seed-sweep.yaml'], { cwd: root });
    const f = 'jobs/seed-sweep.yaml';
    const subject = 'a paper boat drifting down a rain gutter';
    const model = 'krea/krea-wan-14b/text-to-video';
    const boat = (seed: number): RenderSpec =>
      render({ id: `boat.seed-${seed}`, shot: 'boat', model, prompt: `${subject}, close-up, soft morning light`, seed, params: { enable_prompt_expansion: false, num_frames: 18 } }, f, 17);
    const wide = (frames: number, seed: number): RenderSpec =>
      render(
        {
          id: `boat-wide.num_frames-${frames}.seed-${seed}`,
          shot: 'boat-wide',
          model,
          prompt: `${subject}, wide shot, city street behind`,
          seed,
          params: { enable_prompt_expansion: false, num_frames: frames },
          varying: { num_frames: frames },
        },
        f,
        20,
      );
    const drawn = (k: number): RenderSpec =>
      render(
        {
          id: `boat-drawn.draw-${k}`,
          shot: 'boat-drawn',
          model,
          prompt: `${subject}, top-down view`,
          seedOrigin: 'drawn',
          drawnSeedRange: { min: 0, max: INT32_MAX },
          params: { enable_prompt_expansion: false, num_frames: 18 },
        },
        f,
        24,
      );
    expect(manifest).toEqual({
      name: 'seed-sweep',
      file: f,
      concurrency: undefined,
      providers: {},
      warnings: [],
      renders: [boat(1000), boat(1001), boat(1002), boat(1003), wide(18, 7), wide(18, 77), wide(18, 777), wide(30, 7), wide(30, 77), wide(30, 777), drawn(1), drawn(2)],
    });
  });

  it('gives the same renders every time', async () => {
    const once = await loadManifests(['jobs/storyboard.yaml', 'jobs/seed-sweep.yaml'], { cwd: root });
    const again = await loadManifests(['jobs/storyboard.yaml', 'jobs/seed-sweep.yaml'], { cwd: root });
    expect(JSON.stringify(again)).toBe(JSON.stringify(once));
  });
});
