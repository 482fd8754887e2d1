/**
 * Where a run's files live: `<out>/<name>/` holds `<render id>.mp4`, manifest.json and
 * index.html; `<out>/<name>/.render/` holds the journal that makes a run resumable;
 * `<out>/.render/timings.json` the learned times jobs take; `<out>/.emulator/` holds the jobs
 * (and the learned times) of `--emulate` runs.
 */
import { join } from 'node:path';

export interface RunLayout {
  /** `<out>/<name>`, absolute. */
  dir: string;
  manifestPath: string;
  journalPath: string;
  /** Absolute path of a render's video. */
  videoPath(renderId: string): string;
  /** The video as recorded in manifest.json: relative to it. */
  videoFile(renderId: string): string;
}

export const DEFAULT_OUT_DIR = 'output';

export function runLayout(outRoot: string, name: string): RunLayout {
  const dir = join(outRoot, name);
  return {
    dir,
    manifestPath: join(dir, 'manifest.json'),
    journalPath: join(dir, '.render', 'journal.jsonl'),
    videoPath: (id) => join(dir, `${id}.mp4`),
    videoFile: (id) => `${id}.mp4`,
  };
}

/**
 * `<out>/.render/timings.json`: how long jobs took, learned by every run under one output root
 * (store/timings-file.ts); safe to delete. `--emulate` runs learn apart, beside the emulator's
 * jobs (`<out>/.emulator/timings.json`), so its few seconds never stand for a real provider's.
 */
export function timingsPath(outRoot: string, emulated = false): string {
  return emulated ? join(emulatorStateDir(outRoot), 'timings.json') : join(outRoot, '.render', 'timings.json');
}

/**
 * `<out>/.emulator/`: the jobs of the emulator behind `render run --emulate`, one folder per
 * output root, shared by every manifest written there (a manifest name never starts with `.`).
 */
export function emulatorStateDir(outRoot: string): string {
  return join(outRoot, '.emulator');
}
