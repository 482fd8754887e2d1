/**
 * `<out>/<name>/picks.json`: the take chosen for each shot, by render id and request hash, so a
 * later rerun keeps a pick wherever the take is unchanged. Written atomically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

export const PICKS_FILE = 'picks.json';

export interface Pick {
  /** The render whose take is picked. */
  id: string;
  /** The request of the picked take (the render's current one, or one of its earlier takes). */
  request_sha256: string;
  /** The picked take's video sha256, so a pick never silently moves to other bytes. */
  sha256: string;
  picked_at: string;
}

export interface PicksFile {
  version: 1;
  /** One pick per shot id. */
  picks: Record<string, Pick>;
}

/** Reads the picks of a run folder; none (or an unreadable file) is an empty set of picks. */
export async function readPicks(dir: string): Promise<PicksFile> {
  try {
    const value = JSON.parse(await readFile(join(dir, PICKS_FILE), 'utf8')) as Partial<PicksFile> | null;
    const picks: Record<string, Pick> = {};
    if (value && typeof value.picks === 'object' && value.picks !== null) {
      for (const [shot, p] of Object.entries(value.picks)) {
        if (p && typeof p.id === 'string' && typeof p.request_sha256 === 'string' && typeof p.sha256 === 'string') {
          picks[shot] = { id: p.id, request_sha256: p.request_sha256, sha256: p.sha256, picked_at: String(p.picked_at ?? '') };
        }
      }
    }
    return { version: 1, picks };
  } catch {
    return { version: 1, picks: {} };
  }
}

export async function writePicks(dir: string, picks: PicksFile): Promise<void> {
  await writeFileAtomic(join(dir, PICKS_FILE), `${JSON.stringify(picks, null, 2)}\n`);
}
