/**
 * A real run for the browser test: `render run` against the local emulator, with a seed and
 * guidance sweep, a portrait shot whose prompt is HTML, a shot the emulator fails with a reason
 * (FaultConfig.failJob), and a seedless model with takes. The emulator is started here rather
 * than with --emulate so the fault can be injected; render finds it through the env it prints.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { RenderManifestFile } from '../../src/core/records.js';

export const HTML_PROMPT = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b> & "quoted"';
export const FAIL_REASON = 'content moderation: <prompt> was rejected';
const FAIL_MARKER = 'FAIL_ME';

// Double-quoted YAML scalars are JSON strings, so JSON.stringify quotes any prompt safely.
const MANIFEST_YAML = `version: 1
name: board
shots:
  - id: city
    provider: novita
    model: wan-t2v
    prompt: a rainy city street at night, neon reflections
    seeds: [100, 200]
    sweep:
      guidance_scale: [4, 7]
  - id: html
    provider: novita
    model: wan-t2v
    prompt: ${JSON.stringify(HTML_PROMPT)}
    params: { width: 480, height: 832 }
    seed: 5
  - id: crash
    provider: novita
    model: wan-t2v
    prompt: ${FAIL_MARKER} a car crash in slow motion
    seed: 9
  - id: eagle
    provider: krea
    model: kling/kling-2.5
    prompt: an eagle over a canyon
    repeat: 2
`;

export interface EmulatorRun {
  /** The run's folder, `<out>/board`, holding manifest.json and index.html. */
  dir: string;
  manifest: RenderManifestFile;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the manifest above in `workDir`; the emulator is closed before this returns. */
export async function runOnEmulator(workDir: string): Promise<EmulatorRun> {
  const emulator = await startEmulator({
    jobDurationMs: { min: 100, max: 300 },
    // Short clips keep the encoding quick; the size is what the page test checks.
    maxVideoFrames: 16,
    faults: { novita: { failJob: { reason: FAIL_REASON, promptIncludes: FAIL_MARKER } } },
  });
  try {
    await mkdir(workDir, { recursive: true });
    const manifestPath = join(workDir, 'board.yaml');
    await writeFile(manifestPath, MANIFEST_YAML);
    let stdout = '';
    let stderr = '';
    const exitCode = await main(['run', manifestPath, '--out', join(workDir, 'out'), '--poll-interval', '0.05', '--no-progress'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: emulator.env,
      cwd: workDir,
    });
    const dir = join(workDir, 'out', 'board');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as RenderManifestFile;
    return { dir, manifest, exitCode, stdout, stderr };
  } finally {
    await emulator.close();
  }
}
