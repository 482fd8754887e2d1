/** Writes the contact sheet beside manifest.json, atomically, so a watcher never sees half a page. */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writePieces } from '../atomic-write.js';
import type { RenderManifestFile } from '../types.js';
import { reportHtmlPieces } from './build-report-html.js';

export const REPORT_FILE = 'index.html';

/**
 * Builds the page and writes `<outDir>/index.html` through a temp file in the same folder and a
 * rename (atomic on one file system). Returns the page's path.
 */
export async function writeReport(outDir: string, manifest: RenderManifestFile): Promise<string> {
  const target = join(outDir, REPORT_FILE);
  const temp = join(outDir, `.${REPORT_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(temp, 'w');
    try {
      await writePieces(fh, reportHtmlPieces(manifest));
    } finally {
      await fh.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return target;
}
