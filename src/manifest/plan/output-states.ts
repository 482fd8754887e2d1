/**
 * The state column of `render plan`: what a previous run recorded in
 * `<out>/<name>/manifest.json` (src/output/types.ts). A missing or unreadable record means
 * nothing has run yet; the plan is still printed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderState } from '../../output/types.js';
import type { StateOf } from './plan-rows.js';

const STATE_WORDS: Record<RenderState, string | undefined> = {
  pending: undefined,
  submitting: 'in flight',
  queued: 'in flight',
  running: 'in flight',
  downloading: 'in flight',
  indeterminate: 'in flight?',
  succeeded: 'done',
  failed: 'failed',
  timed_out: 'timed out',
};

export async function readOutputStates(outDir: string, manifestNames: readonly string[]): Promise<StateOf> {
  const byManifest = new Map<string, Map<string, string>>();
  await Promise.all(
    manifestNames.map(async (name) => {
      const states = new Map<string, string>();
      try {
        const record = JSON.parse(await readFile(join(outDir, name, 'manifest.json'), 'utf8')) as { renders?: unknown };
        for (const render of Array.isArray(record.renders) ? record.renders : []) {
          const { id, status } = (render ?? {}) as { id?: unknown; status?: unknown };
          const word = typeof status === 'string' ? STATE_WORDS[status as RenderState] : undefined;
          if (typeof id === 'string' && word !== undefined) states.set(id, word);
        }
      } catch {
        // Not run yet, or a record being rewritten: no states to show.
      }
      byManifest.set(name, states);
    }),
  );
  return (renderId, manifestName) => byManifest.get(manifestName)?.get(renderId);
}
