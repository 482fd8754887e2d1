/** Writes the contact sheet beside manifest.json (with the picks of picks.json), atomically, so a watcher never sees half a page. */
import { join } from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { readPicks } from '../../store/picks.js';
import type { RenderManifestFile } from '../../core/records.js';
import { reportHtmlPieces } from './build-report-html.js';

export const REPORT_FILE = 'index.html';

/**
 * Builds the page and writes `<outDir>/index.html` in pieces through a temp file and a rename.
 * Returns its path. The folder must exist: a report belongs beside a run's manifest.json.
 */
export async function writeReport(outDir: string, manifest: RenderManifestFile): Promise<string> {
  const target = join(outDir, REPORT_FILE);
  const { picks } = await readPicks(outDir);
  await writeFileAtomic(target, reportHtmlPieces(manifest, { picks }), { createDir: false });
  return target;
}
