/**
 * The contact sheet in a real browser: Debian's chromium, driven by playwright-core. One run on
 * the emulator and one Chromium serve both groups of cases: the page a run writes, opened from
 * disk (page-cases.ts), and the sheet as a person uses it, `render review` included
 * (sheet-cases.ts, which picks a take and so runs second).
 */
import { afterAll, beforeAll } from 'vitest';
import { startBrowserSuite, stopBrowserSuite } from './browser-suite.js';
import { pageCases } from './page-cases.js';
import { sheetCases } from './sheet-cases.js';

beforeAll(startBrowserSuite, 120_000);
afterAll(stopBrowserSuite);

pageCases();
sheetCases();
