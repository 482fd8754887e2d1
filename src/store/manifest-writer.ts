/**
 * Keeps manifest.json (and index.html beside it) up to date while a run goes on. Writes are
 * atomic and coalesced: many renders finishing at once cause one rewrite, at most one per
 * interval (longer when the manifest is big and a write takes a while), plus a final one.
 * The journal, not this file, is what makes a run crash-safe, so coalescing loses nothing.
 */
import { writeFileAtomic } from './atomic-write.js';
import type { RunLayout } from './layout.js';
import type { RenderManifestFile } from '../core/records.js';

/**
 * Waits at least this many times as long as the last write took, so rewriting the files (which
 * grow with the run) takes at most ~5% of the run's time and makes garbage in proportion.
 */
const WRITE_TIME_FACTOR = 20;

export type ReportWriter = (dir: string, manifest: RenderManifestFile) => Promise<string>;

export interface ManifestWriterOptions {
  layout: RunLayout;
  build: () => RenderManifestFile;
  /** The file's text for `manifest`, whole or in pieces (default: JSON.stringify with 2-space indent). */
  serialize?: (manifest: RenderManifestFile) => string | Iterable<string>;
  /** Writes index.html from the manifest; called after every manifest write. */
  writeReport?: ReportWriter | undefined;
  minIntervalMs: number;
  /** A failed report write does not stop the run; it is reported once here. */
  onReportError?: (err: unknown) => void;
}

export class ManifestWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private lastWriteAt = 0;
  private lastDurationMs = 0;
  private reportFailed = false;
  reportPath: string | undefined;

  constructor(private readonly o: ManifestWriterOptions) {}

  /** Something changed: write soon. */
  markDirty(): void {
    this.dirty = true;
    if (this.timer || this.writing) return;
    const interval = Math.max(this.o.minIntervalMs, this.lastDurationMs * WRITE_TIME_FACTOR);
    const wait = Math.max(0, this.lastWriteAt + interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeNow().catch(() => undefined);
    }, wait);
  }

  /** Writes now (after any write under way) and waits for it. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing?.catch(() => undefined);
    this.dirty = true;
    await this.writeNow();
  }

  private async writeReport(manifest: RenderManifestFile): Promise<void> {
    if (!this.o.writeReport) return;
    try {
      this.reportPath = await this.o.writeReport(this.o.layout.dir, manifest);
    } catch (err) {
      if (!this.reportFailed) this.o.onReportError?.(err);
      this.reportFailed = true;
    }
  }

  private async writeNow(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = (async () => {
      while (this.dirty) {
        this.dirty = false;
        const started = Date.now();
        const manifest = this.o.build();
        const text = this.o.serialize ? this.o.serialize(manifest) : `${JSON.stringify(manifest, null, 2)}\n`;
        // The two files at once: the contact sheet is built from the same records, not from
        // manifest.json on disk. A failed manifest.json is the caller's; a failed sheet is said.
        const [written] = await Promise.allSettled([writeFileAtomic(this.o.layout.manifestPath, text), this.writeReport(manifest)]);
        if (written.status === 'rejected') throw written.reason;
        this.lastWriteAt = Date.now();
        this.lastDurationMs = this.lastWriteAt - started;
        if (this.dirty) break; // changes made during the write: let markDirty pace the next one
      }
    })();
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
      if (this.dirty) this.markDirty();
    }
  }
}
