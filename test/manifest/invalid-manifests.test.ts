import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const HEAD = 'version: 1\n';

/**
 * [what, manifest text, line, message fragment]. Each manifest has exactly one mistake (some
 * rules report at several places; the case names the first).
 */
const CASES: [string, string, number, string][] = [
  ['wrong version', 'version: 2\nshots: [{ id: a, prompt: p, model: wan-t2v }]\n', 1, 'version must be 1'],
  ['unknown top-level key', `${HEAD}shot: []\nshots: [{ id: a, prompt: p, model: wan-t2v }]\n`, 2, 'did you mean "shots"'],
  ['no shots', `${HEAD}name: x\n`, 1, 'the manifest needs "shots"'],
  ['bad shot id', `${HEAD}shots:\n  - id: Opening\n    prompt: p\n    model: wan-t2v\n`, 3, 'lower-case letters'],
  ['shot without prompt', `${HEAD}shots:\n  - id: a\n    model: wan-t2v\n`, 3, 'needs "prompt"'],
  ['unknown shot key', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    seeed: 3\n`, 6, 'did you mean "seed"'],
  ['duplicate shot id', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n  - id: a\n    prompt: q\n    model: wan-t2v\n`, 6, 'already used on line 3'],
  ['unknown var', `${HEAD}vars: { hero: x }\nshots:\n  - id: a\n    prompt: "{{heroo}} walks"\n    model: wan-t2v\n`, 5, 'did you mean {{hero}}'],
  ['no model anywhere', `${HEAD}shots:\n  - id: a\n    prompt: p\n`, 3, 'has no model'],
  ['unknown provider', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: openai\n    model: wan-t2v\n`, 5, 'must be one of "aimlapi", "krea", "novita"'],
  ['model on the wrong provider', `${HEAD}defaults: { provider: aimlapi }\nshots:\n  - id: a\n    prompt: p\n    model: kling/kling-2.5\n`, 6, 'served by krea, not aimlapi'],
  ['unknown novita model', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: novita\n    model: wan-t2V2\n`, 6, 'did you mean "wan-t2v"'],
  ['malformed krea path', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: krea\n    model: kling\n    allow_unknown_model: true\n`, 6, 'Krea models are paths'],
  ['unknown model (a typo of a known one)', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: aimlapi\n    model: pixverse/v5/text-to-vido\n`, 6, 'unknown model "pixverse/v5/text-to-vido": did you mean "pixverse/v5/text-to-video"?'],
  ['unknown model without a provider', `${HEAD}defaults: { model: kling/kling-2.6 }\nshots:\n  - id: a\n    prompt: p\n`, 2, 'did you mean "kling/kling-2.5"?'],
  ['unknown model allowed for another model only', `${HEAD}models:\n  vendor/other: { allow_unknown_model: true }\nshots:\n  - id: a\n    prompt: p\n    provider: aimlapi\n    model: vendor/new\n`, 8, 'set allow_unknown_model: true on the shot or under models.vendor/new'],
  ['unknown novita model even when allowed', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: novita\n    model: wan-i2v\n    allow_unknown_model: true\n`, 6, 'render cannot send another'],
  ['allow_unknown_model not a boolean', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: vendor/x\n    provider: aimlapi\n    allow_unknown_model: "yes"\n`, 7, 'allow_unknown_model must be true or false'],
  ['seed and seeds', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    seed: 1\n    seeds: [2]\n`, 7, 'seed or seeds, not both'],
  ['seed on a seedless model', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: kling/kling-2.5\n    seeds: [1, 2]\n`, 6, 'use repeat: 2'],
  ['repeat on a seeded model', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: pixverse/v5/text-to-video\n    repeat: 3\n`, 6, 'use seeds: {count: 3}'],
  ['seed above the AI/ML API range', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/text-to-video\n    seed: 2147483648\n`, 6, 'from 0 to 2147483647'],
  ['negative seed in a list', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: pixverse/v5/text-to-video\n    seeds:\n      - 1\n      - -5\n`, 8, 'got -5'],
  ['seed range past the Novita max', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    seeds: { from: 9999999999, count: 2 }\n`, 6, 'ends at 10000000000'],
  ['seeds in a wrong form', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    seeds: "1,2"\n`, 6, 'must be a list of seeds'],
  ['drawn seeds on an unknown model', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: aimlapi\n    model: google/veo3\n    allow_unknown_model: true\n    seeds: { count: 2 }\n`, 8, 'cannot draw seeds'],
  ['seed in params', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params: { seed: 4 }\n`, 6, 'seed is set on the shot'],
  ['krea t2v num_frames not 12k+6', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/text-to-video\n    params: { num_frames: 80 }\n`, 6, 'num_frames must be one of 18, 30'],
  ['krea t2v prompt expansion not a boolean', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/text-to-video\n    params: { enable_prompt_expansion: "yes" }\n`, 6, 'must be true or false'],
  ['v2v without video_url', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/video-to-video\n`, 3, 'needs params.video_url'],
  ['v2v strength above 1', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/video-to-video\n    params: { video_url: "https://x.test/a.mp4", strength: 1.5 }\n`, 6, 'strength must be from 0 to 1'],
  ['v2v missing local file', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/video-to-video\n    params:\n      video_url: refs/missing.mp4\n`, 7, 'no such file "refs/missing.mp4"'],
  ['v2v unsupported URL scheme', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/video-to-video\n    params:\n      video_url: ftp://x/a.mp4\n`, 7, 'got a ftp: URL'],
  ['pixverse unknown resolution', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: pixverse/v5/text-to-video\n    params: { resolution: 1080 }\n`, 6, 'resolution must be one of "360p"'],
  ['pixverse misspelt style', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: pixverse/v5/text-to-video\n    params: { style: anima }\n`, 6, 'did you mean "anime"'],
  ['pixverse 1080p for 8 s', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: pixverse/v5/text-to-video\n    params:\n      resolution: 1080p\n      duration: 8\n`, 8, 'cannot render 8 seconds at 1080p'],
  ['pixverse 1080p for 8 s from a sweep', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: pixverse/v5/text-to-video\n    params: { resolution: 1080p }\n    sweep:\n      duration: [5, 8]\n`, 8, '720p or lower (in the sweep)'],
  ['kling width (old example page)', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: kling/kling-2.5\n    params: { width: 1280 }\n`, 6, '"width" is not a param of kling/kling-2.5'],
  ['kling 7 s', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: kling/kling-2.5\n    params: { duration: 7 }\n`, 6, 'duration must be one of 5, 10'],
  ['kling mode std', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: kling/kling-2.5\n    params: { mode: std }\n`, 6, 'mode must be "pro"'],
  ['novita size pair', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params: { width: 480 }\n`, 6, 'width 480 goes with height 832'],
  ['novita steps above 40', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params: { steps: 50 }\n`, 6, 'steps must be from 1 to 40'],
  ['novita four loras', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params:\n      loras: [{path: a, scale: 1}, {path: b, scale: 1}, {path: c, scale: 1}, {path: d, scale: 1}]\n`, 7, 'takes at most 3 items'],
  ['novita lora scale', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params:\n      loras:\n        - { path: a, scale: 5 }\n`, 8, 'loras[0].scale must be from 0 to 4'],
  ['defaults.params a model does not take', `${HEAD}defaults:\n  params: { num_frames: 30 }\nshots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n`, 3, 'move it under models:'],
  ['models.<model> param unknown', `${HEAD}models:\n  wan-t2v: { num_frames: 30 }\nshots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n`, 3, 'unknown key "num_frames" in models.wan-t2v'],
  ['sweep key not a param', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    sweep: { guidance: [1, 2] }\n`, 6, 'sweep key "guidance" is not a param of wan-t2v'],
  ['sweep value out of range', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    sweep:\n      guidance_scale: [4, 12]\n`, 7, 'guidance_scale must be from 0 to 10 (got 12)'],
  ['render ids collide', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    seeds: [5, 5]\n`, 6, 'would be made twice'],
  ['sweep too large', `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    seeds: { count: 1000 }\n    sweep: { steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }\n`, 3, 'expands to 11000 renders'],
  ['empty file', '', 1, 'the manifest is empty'],
];

describe('render validate on invalid manifests', () => {
  it.each(CASES)('%s', async (_what, text, line, fragment) => {
    const dir = tempDir({ 'm.yaml': text });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    const match = lines.find((l) => l.includes(fragment));
    expect(match, r.stderr).toBeDefined();
    expect(match).toMatch(new RegExp(`^m\\.yaml:${line}:\\d+: `));
    expect(r.stderr).toContain('nothing was submitted');
    expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });
});

describe('problems across files', () => {
  it('reports every problem of every file at once, sorted', async () => {
    const dir = tempDir({
      'b.yaml': `${HEAD}shots:\n  - id: a\n    prompt: p\n    model: wan-t2v\n    params: { steps: 0 }\n`,
      'a.yaml': `${HEAD}shots:\n  - id: a\n    prompt: "{{x}}"\n    model: wan-t2v\n    seed: -3\n`,
    });
    const r = await runCli(['validate', 'b.yaml', 'a.yaml', 'missing.yaml'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n').slice(0, -1);
    expect(lines.map((l) => l.replace(/: .*/, ''))).toEqual(['a.yaml:4:13', 'a.yaml:6:11', 'b.yaml:6:22', 'missing.yaml:1:1']);
    expect(lines[3]).toContain('no such file');
  });

  it('rejects two manifests with the same name', async () => {
    const shot = 'shots: [{ id: a, prompt: p, model: wan-t2v }]\n';
    const dir = tempDir({ 'one.yaml': `${HEAD}name: same\n${shot}`, 'two.yaml': `${HEAD}name: same\n${shot}` });
    const r = await runCli(['validate', 'one.yaml', 'two.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^two\.yaml:2:7: manifest name "same" is also used by one\.yaml/m);
  });

  it('refuses an unknown AI/ML API model, with a "did you mean" and the opt-in to name', async () => {
    const dir = tempDir({ 'm.yaml': `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: aimlapi\n    model: pixverse/v5.5/text-to-video\n` });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      'm.yaml:6:12: unknown model "pixverse/v5.5/text-to-video": did you mean "pixverse/v5/text-to-video"? To send a model render does not know, set allow_unknown_model: true on the shot or under models.pixverse/v5.5/text-to-video',
    );
  });

  it.each([
    ['on the shot', `${HEAD}shots:\n  - id: a\n    prompt: p\n    provider: aimlapi\n    model: pixverse/v5.5/text-to-video\n    allow_unknown_model: true\n    params: { anything: 1 }\n`],
    ['under models.<id>', `${HEAD}models:\n  pixverse/v5.5/text-to-video: { allow_unknown_model: true, anything: 1 }\nshots:\n  - id: a\n    prompt: p\n    provider: aimlapi\n    model: pixverse/v5.5/text-to-video\n`],
  ])('accepts an unknown AI/ML API model allowed %s, still with a warning, and does not send the opt-in', async (_where, text) => {
    const dir = tempDir({ 'm.yaml': text });
    const r = await runCli(['validate', 'm.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('m.yaml: OK, "m": 1 shot, 1 render, 1 warning');
    expect(r.stderr).toMatch(/^m\.yaml:\d+:12: warning: aimlapi model "pixverse\/v5\.5\/text-to-video" is not in render's catalog \(allow_unknown_model: true\)/);
    const plan = await runCli(['plan', 'm.yaml', '--json'], dir);
    const rendered = JSON.parse(plan.stdout) as { renders: { params: Record<string, unknown> }[] };
    expect(rendered.renders[0]?.params).toEqual({ anything: 1 });
  });
});
