/**
 * An unknown model is a mistake until the manifest says otherwise: a typo of a known model sends
 * nothing (it used to validate with a warning and fail at the provider with a 400); a model
 * allowed with `allow_unknown_model: true` is sent as written, without the opt-in itself.
 */
import { describe, expect, it } from 'vitest';
import { allPosts, FAST_JOBS, runRender, withEmulator, workspace, writeManifest } from '../engine/support/harness.js';

const shot = (model: string, extra = ''): string =>
  `version: 1\nname: batch\nshots:\n  - id: a\n    prompt: "a lighthouse"\n    provider: aimlapi\n    model: ${model}\n${extra}    seed: 5\n`;

describe('unknown models in a run', () => {
  it('a one-letter typo of a known model is an error before anything is sent', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const file = await writeManifest(dir, shot('krea/krea-wan-14b/text-to-vide'));
      const r = await runRender([file, '--no-progress'], { cwd: dir, env: emu.env });
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^job\.yaml:7:12: unknown model "krea\/krea-wan-14b\/text-to-vide": did you mean "krea\/krea-wan-14b\/text-to-video"\?/);
      expect(emu.log).toHaveLength(0);
    });
  });

  it('an allowed unknown model is sent as written, with its params, and without the opt-in', async () => {
    await withEmulator(FAST_JOBS, async (emu) => {
      const dir = await workspace();
      const text = `${shot('vendor/new-model', '    allow_unknown_model: true\n')}    params: { duration: 8 }\nmodels:\n  vendor/new-model: { allow_unknown_model: true, quality: high }\n`;
      const file = await writeManifest(dir, text);
      const r = await runRender([file, '--no-progress', '--poll-interval', '0.05'], { cwd: dir, env: emu.env });
      expect(r.stderr).toContain('warning: aimlapi model "vendor/new-model" is not in render\'s catalog (allow_unknown_model: true)');
      const posts = allPosts(emu.log);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.body).toEqual({ model: 'vendor/new-model', prompt: 'a lighthouse', seed: 5, duration: 8, quality: 'high' });
      // The emulator knows only the documented models: it refuses this one, as the provider would a model it lacks.
      expect(r.code).toBe(1);
    });
  });
});
