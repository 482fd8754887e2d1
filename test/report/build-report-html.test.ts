import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildReportHtml } from '../../src/present/report/index.js';
import { fileHref } from '../../src/present/report/escape.js';
import { record, runManifest, sweepRun } from './fixtures.js';

/** The text of every `<section class="shot">`, in page order. */
const sections = (html: string): string[] => html.split('<section class="shot"').slice(1);
const shotIds = (html: string): string[] => sections(html).map((s) => /<h2>([^<]*)<\/h2>/.exec(s)?.[1] ?? '');

describe('buildReportHtml: escaping', () => {
  const html = buildReportHtml(sweepRun());

  it('shows an HTML prompt as text, never as markup', () => {
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('onerror=alert(1)>');
  });

  it('has exactly one script, the one its Content-Security-Policy admits by hash', () => {
    const scripts = [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0] ?? '').digest('base64');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('loads nothing from the network: no external URL anywhere in the page', () => {
    expect(html).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(html).not.toMatch(/<link|@import|url\(/i);
  });

  it.each([
    ['city.seed-1.mp4', 'city.seed-1.mp4'],
    ['videos/a b.mp4', 'videos/a%20b.mp4'],
    ['we"ird <a>#1?&.mp4', 'we%22ird%20%3Ca%3E%231%3F%26.mp4'],
    ['javascript:alert(1)', 'javascript%3Aalert(1)'],
    ['100%.mp4', '100%25.mp4'],
  ])('percent-encodes each path segment of %j', (file, href) => {
    expect(fileHref(file)).toBe(href);
    const page = buildReportHtml(runManifest([record({ id: 'x.seed-1', shot: 'x', file })]));
    expect(page).toContain(`<div class="frame" data-src="${href}#t=0.1"`);
    expect(page).toContain(` data-file="${href}" `);
  });

  it('escapes quotes and brackets in shot ids, ids, models, reasons and the run name', () => {
    const evil = '"><script>alert(1)</script>';
    const page = buildReportHtml(
      runManifest(
        [record({ id: `${evil}.seed-1`, shot: evil, model: evil, status: 'failed', file: null, video: null, error: { message: evil } })],
        { name: evil, manifest_files: [evil] },
      ),
    );
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('buildReportHtml: layout', () => {
  it('has one section per shot, in manifest order, each with its prompt and model', () => {
    const html = buildReportHtml(sweepRun());
    expect(shotIds(html)).toEqual(['city', 'evil', 'crash', 'slow']);
    const city = sections(html)[0] ?? '';
    expect(city).toContain('<p class="prompt">a city at night, rain</p>');
    expect(city).toContain('wan-2.1-t2v (novita)');
    expect(city.match(/<figure/g)).toHaveLength(4);
  });

  it('keeps a shot together even if its renders are not consecutive', () => {
    const html = buildReportHtml(
      runManifest([
        record({ id: 'b.seed-1', shot: 'b' }),
        record({ id: 'a.seed-1', shot: 'a' }),
        record({ id: 'b.seed-2', shot: 'b', seed: 2 }),
      ]),
    );
    expect(shotIds(html)).toEqual(['b', 'a']);
    expect(sections(html)[0]?.match(/<figure/g)).toHaveLength(2);
  });

  it('lays a sweep out as rows of sweep values, each with its seeds in order', () => {
    const city = sections(buildReportHtml(sweepRun()))[0] ?? '';
    const rows = city.split(/<div class="row">/).slice(1);
    expect(rows[0]).toContain('guidance_scale <b>4</b>');
    expect(rows[1]).toContain('guidance_scale <b>7</b>');
    const ids = (row: string | undefined) => [...(row ?? '').matchAll(/class="rid">([^<]*)</g)].map((m) => m[1]);
    expect(ids(rows[0])).toEqual(['city.guidance_scale-4.seed-100', 'city.guidance_scale-4.seed-200']);
    expect(ids(rows[1])).toEqual(['city.guidance_scale-7.seed-100', 'city.guidance_scale-7.seed-200']);
    // Each tile names its own sweep value too, and the params that do not vary are not repeated.
    expect(rows[1]).toContain('<div class="vary">guidance_scale=7</div>');
    // (The large view's facts carry every param; what the tiles show does not repeat them.)
    expect(city.replace(/ data-facts="[^"]*"/g, '')).not.toContain('steps');
  });

  it('shows a param that differs between renders even when it is not in varying', () => {
    const html = buildReportHtml(
      runManifest([
        record({ id: 's.seed-1', shot: 's', params: { fps: 16, size: '480p' } }),
        record({ id: 's.seed-2', shot: 's', seed: 2, params: { fps: 24, size: '480p' } }),
      ]),
    );
    expect(html).toContain('<div class="vary">fps=16</div>');
    expect(html).toContain('<div class="vary">fps=24</div>');
    expect(html).not.toContain('size=');
  });

  it('labels seeds, drawn seeds, takes and seedless renders, with the probed size and duration', () => {
    const html = buildReportHtml(
      runManifest([
        record({ id: 'a.seed-42', shot: 'a', seed: 42, video: { width: 832, height: 480, duration_s: 5.0625 } }),
        record({ id: 'b.draw-1', shot: 'b', seed: 913, seed_origin: 'drawn' }),
        record({ id: 'c.take-2', shot: 'c', seed: null, seed_origin: 'none' }),
        record({ id: 'd', shot: 'd', seed: null, seed_origin: 'none' }),
      ]),
    );
    expect(html).toContain('<b>seed 42</b>');
    expect(html).toContain('832×480 · 5.1 s');
    expect(html).toContain('<b>seed 913 (drawn)</b>');
    expect(html).toContain('<b>take 2</b>');
    expect(html).toContain('<b>no seed</b>');
    expect(html).toContain('<div class="frame" data-src="a.seed-42.mp4#t=0.1" data-w="832" data-h="480">');
  });
});

describe('buildReportHtml: statuses', () => {
  it('counts each status in the header and shows start and end', () => {
    const html = buildReportHtml(sweepRun());
    const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
    expect(header).toContain('<h1>storyboard</h1>');
    expect(header).toContain('>5 succeeded</li>');
    expect(header).toContain('>1 failed</li>');
    expect(header).toContain('>1 timed out</li>');
    expect(header).toContain('>1 running</li>');
    expect(header).not.toContain('pending');
    expect(header).toContain('2026-11-01 12:00:00 UTC');
    expect(header).toContain('2026-11-01 12:03:12 UTC (3 min 12 s)');
    expect(html).not.toContain('data-live');
  });

  it('shows failed and timed-out renders with the reason, and running ones as running, without a video', () => {
    const [, , crash, slow] = sections(buildReportHtml(sweepRun()));
    expect(crash).toContain('class="tile st-failed"');
    expect(crash).toContain('<div class="reason">content policy: &lt;blocked&gt; prompt (E_JOB_FAILED, HTTP 200)</div>');
    expect(crash).not.toContain('<video');
    expect(slow).toContain('<div class="ph">rendering at the provider</div>');
    expect(slow).toContain('<span class="badge st-running">running</span>');
    expect(slow).toContain('<span class="badge st-timed_out">timed out</span>');
    expect(slow).toContain('<div class="reason">no result after 3600 s</div>');
  });

  it('marks a partial run as live, with pending and indeterminate renders', () => {
    const html = buildReportHtml(
      runManifest(
        [
          record({ id: 'a.seed-1', shot: 'a', status: 'pending', file: null, video: null }),
          record({ id: 'a.seed-2', shot: 'a', seed: 2, status: 'indeterminate', file: null, video: null, error: { message: 'socket hang up' } }),
        ],
        { ended_at: null },
      ),
    );
    expect(html).toContain('<body data-live="1">');
    expect(html).toContain('run not finished');
    expect(html).not.toContain('<dt>ended</dt>');
    expect(html).toContain('>1 pending</li>');
    expect(html).toContain('>1 indeterminate</li>');
    expect(html).toContain('<div class="reason">socket hang up</div>');
    expect(html).toContain('may or may not have created a job');
  });

  it('stays cheap for thousands of renders', () => {
    const renders = Array.from({ length: 5000 }, (_, i) =>
      record({ id: `s${i % 50}.seed-${i}`, shot: `s${i % 50}`, seed: i, varying: { g: i % 5 }, params: { g: i % 5 } }),
    );
    // (How long it takes is measured by `npm run bench`; here: linear output, bounded size.)
    const html = buildReportHtml(runManifest(renders));
    expect(html.match(/<figure/g)).toHaveLength(5000);
    // About a kilobyte per render, so a long sweep stays a page a browser opens at once.
    expect(html.length / 5000).toBeLessThan(1400);
  });
});

describe('buildReportHtml: rebuilt during a run', () => {
  it('a tile shown before follows its shot when the shot no longer shares a prompt', () => {
    const a = record({ id: 'x.take-1', shot: 'x', prompt: 'a fox' });
    const b = record({ id: 'x.take-2', shot: 'x', prompt: 'a fox' });
    const before = buildReportHtml(runManifest([a, b]));
    expect(before).not.toContain('<div class="prompt">a fox</div>');
    // The same record objects again (as a run passes them), now beside one with another prompt.
    const after = buildReportHtml(runManifest([a, b, record({ id: 'x.take-3', shot: 'x', prompt: 'a hen' })]));
    expect(after).toContain('<div class="prompt">a fox</div>');
    expect(after).toContain('<div class="prompt">a hen</div>');
    expect(buildReportHtml(runManifest([a, b]))).toBe(before);
  });
});

describe('buildReportHtml: earlier takes', () => {
  it('lists a render\'s earlier takes from the take store, each linking to its own video', () => {
    const take = {
      request_sha256: 'ab'.repeat(32), seed: 7, job_id: 'job-1', file: '.render/takes/a.seed-7/x.mp4',
      sha256: 'cd'.repeat(32), bytes: 10, video: null, downloaded_at: '2026-12-01T09:00:00.000Z',
    };
    const html = buildReportHtml(runManifest([record({ id: 'a.seed-7', shot: 'a', takes: [take, { ...take, file: '.render/takes/a.seed-7/y.mp4', request_sha256: null }] })]));
    expect(html).toContain('<summary>2 earlier takes</summary>');
    expect(html).toContain('href=".render/takes/a.seed-7/x.mp4"');
    expect(html).toContain('seed 7 · 2026-12-01 09:00:00 UTC · request abababab');
    expect(html).toContain('request unknown');
    const none = buildReportHtml(runManifest([record({ id: 'b', shot: 'b' })]));
    expect(none).not.toContain('class="takes"');
    expect(none).not.toContain('data-takes=');
  });
});

describe('buildReportHtml: picks', () => {
  it('marks the picked take while its video is on record, and not once a rerun replaced it with no trace', () => {
    const r = record({ id: 'a.seed-1', shot: 'a' });
    const pick = { id: 'a.seed-1', request_sha256: r.request_sha256, sha256: r.sha256 ?? '', picked_at: '2026-12-01T00:00:00Z' };
    expect(buildReportHtml(runManifest([r]), { picks: { a: pick } })).toContain('class="tile st-succeeded picked"');
    const earlier = { request_sha256: 'ab'.repeat(32), seed: 1, job_id: 'j', file: '.render/takes/a.seed-1/x.mp4', sha256: 'e'.repeat(64), bytes: 1, video: null, downloaded_at: null };
    const rerun = record({ id: 'a.seed-1', shot: 'a', sha256: 'f'.repeat(64), takes: [earlier] });
    expect(buildReportHtml(runManifest([rerun]), { picks: { a: { ...pick, sha256: 'e'.repeat(64) } } })).toContain(' picked"');
    expect(buildReportHtml(runManifest([rerun]), { picks: { a: pick } })).not.toContain(' picked"');
  });
});
