/**
 * What the contact-sheet tests in Chromium share (in-browser.test.ts): one real run of render
 * against the emulator and one headless Chromium, started once for all of them. Without
 * Debian's chromium the tests are skipped locally, and fail under CI (which installs it), so
 * they never pass unrun there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { releaseMp4Encoder } from '../../src/media/make-mp4.js';
import { runOnEmulator, type EmulatorRun } from './emulator-run.js';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.js';

export const executablePath = findChromium();

export interface BrowserSuite {
  /** The temp folder everything is written under, removed at the end. */
  workDir: string;
  browser: Browser;
  /** The emulated run, in `<workDir>/emulated/out/board`. */
  run: EmulatorRun;
}

let suite: BrowserSuite | undefined;

export async function startBrowserSuite(): Promise<void> {
  if (!executablePath) return;
  const workDir = await mkdtemp(join(tmpdir(), 'render-report-browser-'));
  const run = await runOnEmulator(join(workDir, 'emulated'));
  // The encoder's thread is not needed while the browser works.
  await releaseMp4Encoder();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  suite = { workDir, browser, run };
}

export async function stopBrowserSuite(): Promise<void> {
  await suite?.browser.close();
  if (suite) await rm(suite.workDir, { recursive: true, force: true });
  suite = undefined;
}

export function browserSuite(): BrowserSuite {
  if (!suite) throw new Error('the browser suite was not started');
  return suite;
}

/** Skips with the reason locally; under CI a missing browser is a failure, not a skip. */
export function needChromium(ctx: { skip: (note?: string) => void }): void {
  if (executablePath) return;
  const reason = 'Debian chromium not found (`which chromium`, /usr/bin/chromium): apt-get install -y chromium';
  if (process.env.CI) throw new Error(`CI must run the browser test: ${reason}`);
  ctx.skip(reason);
}
