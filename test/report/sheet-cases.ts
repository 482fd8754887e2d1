/**
 * The contact sheet as a person uses it, in headless Chromium: pictures before anything plays,
 * a grid that fills the window, a take opened large, a 2,000-render sheet that stays quick, and
 * `render review` picking with the keyboard. Registered by in-browser.test.ts, which starts the
 * run and the browser (browser-suite.ts).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/present/report/index.js';
import { startReviewServer, type ReviewServer } from '../../src/present/report/review-server.js';
import type { RenderManifestFile, RenderRecord } from '../../src/core/records.js';
import { decodePng, regionStats } from '../support/png.js';
import { browserSuite, executablePath, needChromium } from './browser-suite.js';
import type { EmulatorRun } from './emulator-run.js';
import { record, runManifest } from './fixtures.js';

let browser: Browser | undefined;
let run: EmulatorRun;
let bigDir = '';
let big: RenderManifestFile;

/** A run folder of `count` renders sharing one real video: 8 seeds × 2 sweep values per shot. */
async function bigSheet(dir: string, sample: RenderRecord, count: number): Promise<RenderManifestFile> {
  await copyFile(join(run.dir, sample.file ?? ''), join(dir, 'sample.mp4'));
  const renders: RenderRecord[] = [];
  for (let i = 0; renders.length < count; i += 1) {
    const shot = `shot${Math.floor(i / 16)}`;
    const g = (i % 16) < 8 ? 4 : 7;
    const seed = 100 + (i % 8);
    renders.push(record({
      id: `${shot}.guidance_scale-${g}.seed-${seed}`, shot, seed, file: 'sample.mp4', sha256: sample.sha256, bytes: sample.bytes,
      video: sample.video, varying: { guidance_scale: g }, params: { guidance_scale: g, steps: 30 },
      prompt: `storyboard shot ${shot}: a lighthouse keeper climbs the stairs`,
    }));
  }
  const first = renders[0];
  if (first) first.takes = [{ request_sha256: 'ab'.repeat(32), seed: 100, job_id: 'j-old', file: 'sample.mp4', sha256: sample.sha256 ?? '', bytes: sample.bytes ?? 0, video: sample.video, downloaded_at: '2026-12-01T08:00:00.000Z' }];
  const m = runManifest(renders, { name: 'big' });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
  await writeReport(dir, m);
  return m;
}

async function open(url: string, width = 1400, height = 900): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(url);
  return page;
}

let bigPage: Promise<Page> | undefined;

/**
 * The 2,000-render sheet in a 1400×900 window, loaded once for the cases that look at it (each
 * leaves it as it found it, the large view closed): its load is what the 2 s case measures.
 */
function bigSheetPage(): Promise<Page> {
  bigPage ??= open(pathToFileURL(join(bigDir, 'index.html')).href);
  return bigPage;
}

/** Waits until every video in the viewport has a frame to show (or failed, which then fails the test). */
async function framesInView(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const vs = [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ getBoundingClientRect(): { top: number }; readyState: number; error: unknown }> } }).document.querySelectorAll('.tile video')];
    return vs.filter((v) => v.getBoundingClientRect().top < 900).every((v) => v.readyState >= 2 || v.error);
  }, undefined, { timeout: 20_000 });
}

export function sheetCases(): void {
  beforeAll(async () => {
    if (!executablePath) return;
    let workDir: string;
    ({ workDir, browser, run } = browserSuite());
    bigDir = join(workDir, 'big');
    await mkdir(bigDir);
    const sample = run.manifest.renders.find((r) => r.status === 'succeeded' && r.video?.width === 832);
    if (!sample) throw new Error('no sample video');
    big = await bigSheet(bigDir, sample, 2000);
  }, 120_000);

  describe('the contact sheet in Chromium', () => {
    it('shows a picture in every tile before anything plays: no black boxes', async (ctx) => {
      needChromium(ctx);
      const page = await open(pathToFileURL(join(run.dir, 'index.html')).href);
      await framesInView(page);
      // Each video has played its first frame and stopped on it (the page's "still" step).
      await page.waitForFunction(() => {
        const vs = [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ getBoundingClientRect(): { top: number }; dataset: { still?: string }; paused: boolean }> } }).document.querySelectorAll('.tile video')];
        return vs.filter((v) => v.getBoundingClientRect().top < 900).every((v) => v.dataset.still === '1' && v.paused);
      }, undefined, { timeout: 20_000 });
      await page.waitForTimeout(200); // one more paint after the last frame was shown
      const shot = decodePng(await page.screenshot());
      const boxes = await page.$$eval('.tile video', (vs) => vs.map((v) => v.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
      const inView = boxes.filter((b) => b.y + b.height <= 900 && b.height > 0);
      expect(inView.length).toBeGreaterThanOrEqual(4);
      // Every finished tile in view has its video (made by the page as the tile came near).
      const framesInViewWithout = await page.$$eval('.frame[data-src]', (fs) => fs.filter((f) => f.getBoundingClientRect().bottom <= 900 && !f.querySelector('video')).length);
      expect(framesInViewWithout).toBe(0);
      for (const b of inView) {
        const s = regionStats(shot, { x: b.x + 2, y: b.y + 2, width: b.width - 4, height: b.height - 4 });
        expect(s.black).toBeLessThan(0.5);
        expect(s.mean).toBeGreaterThan(25);
      }
      expect(await page.$$eval('.tile video', (vs) => vs.every((v) => v.paused))).toBe(true);
      await page.close();
    });

    it('fills a 1400 px window and wraps an 8-seed sweep instead of scrolling sideways', async (ctx) => {
      needChromium(ctx);
      const page = await bigSheetPage();
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      const row = await page.$$eval('#shot-0 .row:first-of-type .tile', (ts) => ts.map((t) => t.getBoundingClientRect()).map((r) => ({ top: r.top, right: r.right })));
      const firstLine = row.filter((r) => r.top === row[0]?.top);
      expect(firstLine.length).toBeGreaterThanOrEqual(4);
      expect(Math.max(...firstLine.map((r) => r.right))).toBeGreaterThan(1400 - 60);
      expect(row).toHaveLength(8);
    });

    it('opens a take large with controls, its prompt, params and file, and its earlier takes', async (ctx) => {
      needChromium(ctx);
      const page = await bigSheetPage();
      await page.locator('figure.tile').first().click();
      await expect.poll(() => page.evaluate('document.getElementById("viewer").open')).toBe(true);
      expect(await page.locator('#v-video').getAttribute('controls')).not.toBeNull();
      const facts = await page.locator('#v-facts').innerText();
      expect(facts).toContain('a lighthouse keeper climbs the stairs');
      expect(facts).toContain('"steps": 30');
      expect(facts).toContain('sample.mp4');
      await expect.poll(() => page.locator('#v-video').evaluate((v: { readyState: number }) => v.readyState)).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#v-takes button').allInnerTexts()).toEqual(['current take', 'earlier take: seed 100 · 2026-12-01 08:00:00 UTC · request abababab']);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate('document.getElementById("viewer").open')).toBe(false);
    });

    it('a sheet of 2,000 renders is interactive within 2 s and loads only the videos near the viewport', async (ctx) => {
      needChromium(ctx);
      expect(big.renders).toHaveLength(2000);
      const page = await bigSheetPage();
      const ready = Number(await page.evaluate('performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd'));
      expect(ready).toBeLessThan(2000);
      const loaded = Number(await page.evaluate('[...document.querySelectorAll(".tile video")].filter((v) => v.getAttribute("src")).length'));
      expect(loaded).toBeGreaterThan(0);
      expect(loaded).toBeLessThan(200);
      await page.locator('figure.tile').nth(3).click();
      await expect.poll(() => page.evaluate('document.getElementById("viewer").open')).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate('document.getElementById("viewer").open')).toBe(false);
    });
  });

  describe('render review', () => {
    let server: ReviewServer;
    beforeAll(async () => {
      if (!executablePath) return;
      server = await startReviewServer(run.dir, 'out/board');
    });
    afterAll(async () => server?.close());

    it('serves the page, its videos and the picks endpoint under its token, and nothing else', async (ctx) => {
      needChromium(ctx);
      const base = new URL(server.url);
      expect(base.hostname).toBe('127.0.0.1');
      const token = base.pathname.split('/')[1] ?? '';
      expect(token.length).toBeGreaterThanOrEqual(20);
      expect((await fetch(server.url)).status).toBe(200);
      expect((await fetch(new URL('/', base))).status).toBe(404);
      expect((await fetch(new URL(`/${token.slice(0, -1)}x/`, base))).status).toBe(404);
      expect((await fetch(new URL('manifest.json', server.url))).status).toBe(404);
      expect((await fetch(new URL('.render/journal.jsonl', server.url))).status).toBe(404);
      const video = run.manifest.renders.find((r) => r.status === 'succeeded');
      const part = await fetch(new URL(video?.file ?? '', server.url), { headers: { range: 'bytes=0-99' } });
      expect(part.status).toBe(206);
      expect((await part.arrayBuffer()).byteLength).toBe(100);
      const bad = await fetch(new URL('picks', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shot: 'city', id: 'crash.seed-9', sha256: 'x' }) });
      expect(bad.status).toBe(400);
    });

    it('moves with the arrows and picks with P: picks.json and index.html say so', async (ctx) => {
      needChromium(ctx);
      const page = await open(server.url);
      await page.keyboard.press('ArrowRight'); // focuses the first take
      await page.keyboard.press('ArrowRight'); // the second take of the first shot
      const focused = await page.evaluate('document.activeElement.dataset.id');
      await page.keyboard.press('p');
      await expect.poll(() => page.locator('figure.tile.picked').count()).toBe(1);
      const picks = JSON.parse(await readFile(join(run.dir, 'picks.json'), 'utf8'));
      const rec = run.manifest.renders.find((r) => r.id === focused);
      expect(picks.picks[rec?.shot ?? '']).toMatchObject({ id: focused, request_sha256: rec?.request_sha256, sha256: rec?.sha256 });
      expect(await readFile(join(run.dir, 'index.html'), 'utf8')).toContain(`class="tile st-succeeded picked" tabindex="0" data-id="${String(focused)}"`);
      await page.close();
    });
  });
}
