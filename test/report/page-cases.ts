/**
 * The page a run wrote, opened from disk (file://) in Chromium, checked for what a person would
 * see. Registered by in-browser.test.ts, which starts the run and the browser (browser-suite.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReportHtml, writeReport } from '../../src/present/report/index.js';
import type { RenderManifestFile } from '../../src/core/records.js';
import { browserSuite, executablePath, needChromium } from './browser-suite.js';
import { FAIL_REASON, HTML_PROMPT, type EmulatorRun } from './emulator-run.js';
import { buildSelfRun } from './self-built-run.js';

/**
 * The little of the DOM the page-side callbacks use. The project compiles without the DOM
 * library (it is a Node tool), so the callbacks that run in the page are typed by hand.
 */
interface VideoInPage {
  readyState: number;
  error: { message: string } | null;
  paused: boolean;
  currentTime: number;
}
declare const document: {
  querySelectorAll(selector: 'video'): Iterable<VideoInPage>;
  querySelectorAll(selector: string): Iterable<{ querySelector(s: string): unknown }>;
};

const SCREENSHOT = new URL('../../test-artifacts/report.png', import.meta.url).pathname;

interface OpenedPage {
  page: Page;
  /** Everything the page asked for, and every console message (CSP violations show there). */
  requests: string[];
  consoleMessages: string[];
}

let workDir: string;
let browser: Browser | undefined;
let run: EmulatorRun;
let runPage: OpenedPage;
let selfManifest: RenderManifestFile;
let selfPage: OpenedPage;

async function openFromDisk(htmlPath: string): Promise<OpenedPage> {
  if (!browser) throw new Error('no browser');
  // Tall enough that every tile is near the viewport, so the page makes every video.
  const page = await browser.newPage({ viewport: { width: 1280, height: 4000 } });
  const opened: OpenedPage = { page, requests: [], consoleMessages: [] };
  page.on('request', (r) => opened.requests.push(r.url()));
  page.on('console', (m) => opened.consoleMessages.push(m.text()));
  await page.goto(pathToFileURL(htmlPath).href);
  // Metadata loads asynchronously; an error counts as settled so a broken video fails below.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.frame[data-src]')].every((f) => f.querySelector('video') !== null) &&
      [...document.querySelectorAll('.tile video')].every((v) => (v as unknown as VideoInPage).readyState >= 1 || (v as unknown as VideoInPage).error !== null),
    undefined,
    { timeout: 20_000 },
  );
  return opened;
}

/** Each tile's render id and, where it has one, its video's intrinsic size as the browser decoded it. */
async function tilesOf(page: Page): Promise<Array<{ id: string; video: { width: number; height: number; error: string | null } | null }>> {
  return page.$$eval('figure.tile', (figures) =>
    figures.map((f) => {
      const v = f.querySelector('video');
      return { id: f.querySelector('.rid')?.textContent ?? '', video: v && { width: v.videoWidth, height: v.videoHeight, error: v.error?.message ?? null } };
    }),
  );
}

const expectedTiles = (m: RenderManifestFile) =>
  m.renders.map((r) => ({ id: r.id, video: r.video && { width: r.video.width, height: r.video.height, error: null } }));

export function pageCases(): void {
  beforeAll(async () => {
    if (!executablePath) return;
    ({ workDir, browser, run } = browserSuite());
    const selfDir = join(workDir, 'self-built');
    selfManifest = await buildSelfRun(selfDir);
    runPage = await openFromDisk(join(run.dir, 'index.html'));
    selfPage = await openFromDisk(await writeReport(selfDir, selfManifest));
  }, 120_000);

  describe('the contact sheet of an emulator run, in headless Chromium from file://', () => {
    it('is the page the run wrote for its final manifest, named in its summary', async (ctx) => {
      needChromium(ctx);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('out/board/index.html');
      expect(await readFile(join(run.dir, 'index.html'), 'utf8')).toBe(buildReportHtml(run.manifest));
    });

    it('loads every video with the size the manifest probed', async (ctx) => {
      needChromium(ctx);
      const tiles = await tilesOf(runPage.page);
      expect(tiles).toEqual(expectedTiles(run.manifest));
      const sizes = tiles.flatMap((t) => (t.video ? [`${t.video.width}x${t.video.height}`] : []));
      expect(sizes).toHaveLength(7);
      expect(new Set(sizes)).toEqual(new Set(['832x480', '480x832', '1280x720']));
    });

    it('shows the failed render with the provider reason', async (ctx) => {
      needChromium(ctx);
      const { page } = runPage;
      const failed = page.locator('figure.tile.st-failed');
      await expect.poll(() => failed.count()).toBe(1);
      expect(await failed.locator('.rid').innerText()).toBe('crash.seed-9');
      expect(await failed.locator('.reason').innerText()).toContain(FAIL_REASON);
      expect(await failed.locator('.reason').isVisible()).toBe(true);
      expect(await page.locator('header .counts').innerText()).toMatch(/^7 succeeded\s*1 failed$/);
    });

    it('shows a prompt containing HTML as text, with no element injected', async (ctx) => {
      needChromium(ctx);
      const { page } = runPage;
      const prompt = page.locator('section.shot', { has: page.locator('h2', { hasText: /^html$/ }) }).locator('.prompt');
      expect(await prompt.textContent()).toBe(HTML_PROMPT);
      expect(await prompt.evaluate((p) => p.children.length)).toBe(0);
      expect(await page.locator('img, main b:text("bold")').count()).toBe(0);
      expect(await page.title()).toBe('board · render');
    });

    it('lays the sweep out as seeds across and guidance values down, and the takes by number', async (ctx) => {
      needChromium(ctx);
      const city = runPage.page.locator('#shot-0');
      expect((await city.locator('.rowlabel').allInnerTexts()).map((t) => t.trim())).toEqual(['guidance_scale 4', 'guidance_scale 7']);
      for (const row of await city.locator('.row').all()) expect(await row.locator('.top b').allInnerTexts()).toEqual(['seed 100', 'seed 200']);
      expect(await runPage.page.locator('#shot-3 .top b').allInnerTexts()).toEqual(['take 1', 'take 2']);
    });

    it('loads nothing but its own file and the local videos, and its script runs under its CSP', async (ctx) => {
      needChromium(ctx);
      const { page, requests, consoleMessages } = runPage;
      expect(requests.filter((u) => u.endsWith('.mp4')).length).toBeGreaterThanOrEqual(7);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
      expect(consoleMessages.filter((m) => /Content Security Policy|Refused/i.test(m))).toEqual([]);
      // The inline script plays a video on hover: proof that the CSP hash admits it.
      const first = page.locator('.tile video').first();
      await first.hover();
      await expect.poll(() => first.evaluate((v: VideoInPage) => !v.paused && v.currentTime > 0)).toBe(true);
      await page.mouse.move(0, 0);
      await expect.poll(() => first.evaluate((v: VideoInPage) => v.paused)).toBe(true);
    });

    it('has a CSP that refuses a stray inline script and any network load', async (ctx) => {
      needChromium(ctx);
      // What an escaping bug would let through: an inline script and an image from the network.
      const leaked = buildReportHtml(run.manifest).replace(
        '<main>',
        '<main><script>document.title = "inline ran"</script><img id="net" src="http://127.0.0.1:9/x.png">',
      );
      const probePath = join(run.dir, 'csp-probe.html');
      await writeFile(probePath, leaked);
      const probe = await browser!.newPage();
      const probeRequests: string[] = [];
      const violations: string[] = [];
      const blocked: string[] = [];
      probe.on('request', (r) => probeRequests.push(r.url()));
      probe.on('requestfailed', (r) => {
        if (/csp/i.test(r.failure()?.errorText ?? '')) blocked.push(r.url());
      });
      probe.on('console', (m) => violations.push(m.text()));
      await probe.goto(pathToFileURL(probePath).href);
      await expect.poll(() => violations.filter((m) => /Content Security Policy/.test(m)).length).toBeGreaterThanOrEqual(2);
      expect(await probe.title()).toBe('board · render');
      // Chromium reports the image request, then fails it for the CSP before it leaves the browser.
      const network = probeRequests.filter((u) => !u.startsWith('file://'));
      expect(network).toEqual(['http://127.0.0.1:9/x.png']);
      await expect.poll(() => blocked).toEqual(network);
      await probe.close();
    });

    it('saves a screenshot as a test artifact', async (ctx) => {
      needChromium(ctx);
      await mkdir(join(SCREENSHOT, '..'), { recursive: true });
      // Chromium paints no frame for a video outside the viewport: make the viewport the whole page.
      const { page } = runPage;
      const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
      await page.setViewportSize({ width: 1280, height });
      await page.waitForTimeout(300);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect((await readFile(SCREENSHOT)).subarray(1, 4).toString()).toBe('PNG');
    });
  });

  describe('the contact sheet of a run folder written by hand', () => {
    it('loads videos whose file names need percent-encoding, and shows a running render as running', async (ctx) => {
      needChromium(ctx);
      const { page } = selfPage;
      expect(selfManifest.renders.some((r) => r.file?.includes('#'))).toBe(true);
      expect(await tilesOf(page)).toEqual(expectedTiles(selfManifest));
      expect(await page.locator('figure.tile.st-running .ph').innerText()).toBe('rendering at the provider');
      expect(await page.locator('header .counts').innerText()).toMatch(/^5 succeeded\s*1 failed\s*1 running$/);
    });
  });
}
