/**
 * The contact sheet, `<out>/<name>/index.html`: one section per shot in manifest order, one
 * tile per render, built from manifest.json alone. Linear in the number of renders, and given
 * out in pieces because a run rewrites it every time it rewrites the manifest: a 10,000-render
 * page built as one string that often is garbage for the heap to grow on. Tiles are not cached:
 * in a 10,000-render run, keeping them alive cost more heap than rebuilding them (short-lived).
 */
import type { RenderManifestFile, RenderRecord } from '../../core/records.js';
import { escapeHtml as esc, fileHref } from './escape.js';
import {
  formatSpan,
  formatTime,
  formatValue,
  seedLabel,
  statusClass,
  statusLabel,
  statusNote,
  STATUS_ORDER,
  videoLabel,
} from './labels.js';
import type { Pick, PicksFile } from '../../store/picks.js';
import { PAGE_CSP, PAGE_SCRIPT, PAGE_STYLE, REVIEW_CSP } from './page-assets.js';
import { groupByShot, type GridRow, type ShotGroup } from './shot-grid.js';

export interface PageOptions {
  /** The take picked for each shot (picks.json), marked on its tile. */
  picks?: PicksFile['picks'];
  /** Served by `render review`: keys to pick, and picks sent to the server at this path. */
  review?: { picksPath: string };
}

export function buildReportHtml(manifest: RenderManifestFile, options: PageOptions = {}): string {
  return [...reportHtmlPieces(manifest, options)].join('');
}

/** The page in pieces, in order (joined, they are buildReportHtml's text). */
export function* reportHtmlPieces(manifest: RenderManifestFile, options: PageOptions = {}): Generator<string> {
  const groups = groupByShot(manifest.renders);
  const live = manifest.ended_at === null;
  const picks = options.picks ?? {};
  const body = [live ? ' data-live="1"' : '', options.review ? ` data-review="${esc(options.review.picksPath)}"` : ''].join('');
  yield [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // A constant of ours with no double quote in it, so it needs no escaping.
    `<meta http-equiv="Content-Security-Policy" content="${options.review ? REVIEW_CSP : PAGE_CSP}">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(manifest.name)} · render</title>`,
    `<style>${PAGE_STYLE}</style>`,
    `</head><body${body}>`,
    header(manifest, groups, live, Boolean(options.review)),
    '<main>',
  ].join('\n');
  for (const [i, g] of groups.entries()) {
    yield '\n';
    yield* shotSection(g, i, picks[g.shot]);
  }
  yield ['', '</main>', VIEWER, `<script>${PAGE_SCRIPT}</script>`, '</body></html>', ''].join('\n');
}

/** The large view a tile opens into (filled by the page's script). */
const VIEWER = [
  '<dialog id="viewer" aria-label="take">',
  '<div class="vhead"><b id="v-title"></b><span><button type="button" id="v-pick" hidden>pick this take (P)</button> <button type="button" id="v-close" aria-label="close">×</button></span></div>',
  '<video id="v-video" controls loop playsinline></video>',
  '<div id="v-takes"></div>',
  '<dl id="v-facts"></dl>',
  '</dialog>',
].join('');

function header(m: RenderManifestFile, groups: ShotGroup[], live: boolean, review: boolean): string {
  const counts = new Map<string, number>();
  for (const r of m.renders) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const known = STATUS_ORDER.filter((s) => counts.has(s));
  const unknown = [...counts.keys()].filter((s) => !(STATUS_ORDER as readonly string[]).includes(s));
  const chips = [...known, ...unknown].map(
    (s) => `<li class="badge ${statusClass(s)}">${counts.get(s) ?? 0} ${esc(statusLabel(s))}</li>`,
  );
  const span = formatSpan(m.started_at, m.ended_at);
  const facts: Array<[string, string | null]> = [
    ['renders', `${m.renders.length} in ${groups.length} shot${groups.length === 1 ? '' : 's'}`],
    ['started', formatTime(m.started_at)],
    ['ended', live ? null : `${formatTime(m.ended_at)}${span ? ` (${span})` : ''}`],
    ['from', m.manifest_files.length ? m.manifest_files.join(', ') : null],
    ['by', `${m.runner.name} ${m.runner.version}`],
  ];
  const nav = groups.length > 1
    ? `<nav>Shots: ${groups.map((g, i) => `<a href="#shot-${i}">${esc(g.shot)}</a>`).join(' ')}</nav>`
    : '';
  return [
    '<header>',
    `<h1>${esc(m.name)}</h1>`,
    '<dl class="facts">',
    ...facts.filter((f): f is [string, string] => f[1] !== null).map(([k, v]) => `<div><dt>${k}</dt><dd>${esc(v)}</dd></div>`),
    live ? '<div class="live">run not finished (in progress, or stopped): this page reloads every 10 s</div>' : '',
    review
      ? '<div class="keys">Keys: arrows move · Space plays · Enter opens · P picks this take for its shot · Esc closes</div>'
      : '<div class="keys">Click a take to open it large; picks (★) come from <code>render review</code>.</div>',
    '</dl>',
    `<ul class="counts">${chips.join('')}</ul>`,
    nav,
    '</header>',
  ].join('\n');
}

function* shotSection(g: ShotGroup, index: number, pick: Pick | undefined): Generator<string> {
  const model = g.model !== null && g.provider !== null ? `${g.model} (${g.provider})` : null;
  const parts = [
    `<section class="shot" id="shot-${index}">`,
    '<div class="shot-head">',
    `<h2>${esc(g.shot)}</h2>`,
    model !== null ? `<span class="model">${esc(model)}</span>` : '',
    `<span class="model">${g.renders.length} render${g.renders.length === 1 ? '' : 's'}</span>`,
    '</div>',
    g.prompt !== null ? `<p class="prompt">${esc(g.prompt)}</p>` : '',
    '<div class="grid">',
  ];
  yield parts.join('\n');
  for (const row of g.rows) {
    yield '\n';
    yield* gridRow(g, row, pick);
  }
  yield '\n</div>\n</section>';
}

function* gridRow(g: ShotGroup, row: GridRow, pick: Pick | undefined): Generator<string> {
  const label = g.varyingKeys.length
    ? `<div class="rowlabel">${row.values.map(([k, v]) => `${esc(k)} <b>${esc(formatValue(v))}</b>`).join(' · ')}</div>`
    : '';
  yield `<div class="row">${label}`;
  for (const r of row.cells) yield r ? tile(g, r, pick) : '<div class="hole"></div>';
  yield '</div>';
}

/**
 * What the large view shows beyond the tile's caption, carried on the tile (the page has no other
 * source): the params and hashes, and the prompt and model only where the shot does not share them.
 */
function tileData(g: ShotGroup, r: RenderRecord): string {
  const facts: Record<string, unknown> = { params: r.params, request: r.request_sha256 };
  if (g.prompt === null) facts['prompt'] = r.prompt;
  if (g.model === null || g.provider === null) facts['model'] = `${r.model} (${r.provider})`;
  if (r.sha256) facts['sha256'] = r.sha256;
  const takes = (r.takes ?? []).map((t) => ({ file: fileHref(t.file), seed: t.seed, at: formatTime(t.downloaded_at), request: t.request_sha256, sha256: t.sha256 }));
  return [
    ` data-id="${esc(r.id)}" data-shot="${esc(r.shot)}"`,
    r.status === 'succeeded' && r.file !== null ? ` data-file="${esc(fileHref(r.file))}" data-sha="${esc(r.sha256 ?? '')}"` : '',
    ` data-facts="${esc(JSON.stringify(facts))}"`,
    takes.length ? ` data-takes="${esc(JSON.stringify(takes))}"` : '',
  ].join('');
}

function tile(g: ShotGroup, r: RenderRecord, pick: Pick | undefined): string {
  const status = statusClass(r.status);
  // The video element is made by the script only when the tile comes near the viewport, so a
  // sheet of thousands opens at once; the media fragment makes it show a frame of its own video,
  // not a black box, before anything plays.
  const done = r.file !== null && r.status === 'succeeded';
  const frame = done ? '' : `<div class="ph">${esc(statusNote(r.status))}</div>`;
  const frameAttrs = done && r.file !== null
    ? ` data-src="${esc(fileHref(r.file))}#t=0.1"${r.video ? ` data-w="${esc(String(r.video.width))}" data-h="${esc(String(r.video.height))}"` : ''}`
    : '';
  const vary = g.varyingKeys.map((k) => `${k}=${formatValue(r.varying && k in r.varying ? r.varying[k] : r.params?.[k])}`);
  const lines = [
    `<div class="top"><b>${esc(seedLabel(r))}</b><span class="badge ${status}">${esc(statusLabel(r.status))}</span></div>`,
    vary.length ? `<div class="vary">${esc(vary.join(' · '))}</div>` : '',
    g.model === null || g.provider === null ? `<div class="meta">${esc(`${r.model} (${r.provider})`)}</div>` : '',
    g.prompt === null ? `<div class="prompt">${esc(r.prompt)}</div>` : '',
    videoLabel(r.video) !== null ? `<div class="meta">${esc(videoLabel(r.video) ?? '')}</div>` : '',
    r.error ? `<div class="reason">${esc(reasonText(r.error))}</div>` : '',
    earlierTakes(r),
    `<div class="rid">${esc(r.id)}</div>`,
  ];
  // A pick holds while its take is on record: the render's current take or one of its earlier ones.
  const isPicked = pick !== undefined && pick.id === r.id && (pick.sha256 === r.sha256 || (r.takes ?? []).some((t) => t.sha256 === pick.sha256));
  return `<figure class="tile ${status}${isPicked ? ' picked' : ''}" tabindex="0"${tileData(g, r)}><div class="frame"${frameAttrs}>${frame}</div><figcaption>${lines.join('')}</figcaption></figure>`;
}

/** Earlier takes of the render (kept in the take store), each a link to its video. */
function earlierTakes(r: RenderRecord): string {
  const takes = r.takes ?? [];
  if (takes.length === 0) return '';
  const links = takes.map((t) => {
    const what = [t.seed !== null ? `seed ${t.seed}` : null, formatTime(t.downloaded_at), t.request_sha256 === null ? 'request unknown' : `request ${t.request_sha256.slice(0, 8)}`]
      .filter((x): x is string => x !== null)
      .join(' · ');
    return `<li><a href="${esc(fileHref(t.file))}">${esc(what)}</a></li>`;
  });
  return `<details class="takes"><summary>${takes.length} earlier take${takes.length === 1 ? '' : 's'}</summary><ul>${links.join('')}</ul></details>`;
}

/** The provider's reason with whatever it gave to trace it: code, HTTP status, request id. */
function reasonText(e: NonNullable<RenderRecord['error']>): string {
  const extra = [e.code, e.http_status !== undefined ? `HTTP ${e.http_status}` : undefined, e.request_id ? `request ${e.request_id}` : undefined]
    .filter((x): x is string => Boolean(x));
  return extra.length ? `${e.message} (${extra.join(', ')})` : e.message;
}
