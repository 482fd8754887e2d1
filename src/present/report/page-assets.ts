/**
 * The contact sheet's only style and script, and the Content-Security-Policy that admits
 * exactly these two (by hash) plus the run's local videos. A hash rather than 'unsafe-inline'
 * means that even a string that escaped escaping could not run as script.
 */
import { createHash } from 'node:crypto';

export const PAGE_STYLE = `
:root{--tile:clamp(240px,23vw,460px);color-scheme:light dark;--bg:#f6f6f4;--fg:#1d1d1b;--muted:#6b6b66;--card:#fff;--line:#deded8;
--ok:#1f7a3a;--bad:#b3261e;--warn:#9a5b00;--odd:#6d3aa8;--busy:#1a5fb4;--idle:#6b6b66}
@media (prefers-color-scheme:dark){:root{--bg:#161615;--fg:#ececea;--muted:#a3a39d;--card:#222220;--line:#3a3a37}}
*{box-sizing:border-box}
body{margin:0;padding:16px 20px 40px;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif}
header{border-bottom:1px solid var(--line);padding-bottom:12px;margin-bottom:8px}
h1{font-size:22px;margin:0 0 6px}
h2{font-size:17px;margin:0}
.facts{display:flex;flex-wrap:wrap;gap:4px 18px;color:var(--muted);margin:0}
.facts dt{display:inline;font-weight:600}.facts dd{display:inline;margin:0 0 0 4px}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0 0;padding:0;list-style:none}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff;background:var(--idle)}
.st-succeeded{--st:var(--ok)}.st-failed{--st:var(--bad)}.st-timed_out{--st:var(--warn)}.st-indeterminate{--st:var(--odd)}.st-lost{--st:var(--odd)}.st-cancelled{--st:var(--warn)}
.st-downloading,.st-running,.st-queued,.st-submitting{--st:var(--busy)}.st-pending,.st-unknown{--st:var(--idle)}
.badge[class*=st-]{background:var(--st)}
nav{margin-top:8px;color:var(--muted)}nav a{color:inherit;margin-right:10px}
section.shot{margin-top:22px;content-visibility:auto;contain-intrinsic-size:auto 480px}
.shot-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px}
.model{color:var(--muted)}
.prompt{margin:4px 0 8px;max-width:70em;white-space:pre-wrap;overflow-wrap:anywhere}
.grid{padding-bottom:6px}
.row{display:grid;grid-template-columns:repeat(auto-fill,minmax(var(--tile),1fr));gap:10px;margin-top:10px}
.rowlabel{grid-column:1/-1;font-size:12px;color:var(--muted);overflow-wrap:break-word}
.rowlabel b{color:var(--fg)}
.tile,.hole{min-width:0;margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;overflow:hidden}
.tile{cursor:pointer}.tile:focus{outline:3px solid var(--busy);outline-offset:1px}
.hole{background:transparent;border-style:dashed;min-height:60px}
.tile[class*=st-]{border-top:3px solid var(--st)}
.tile.picked{box-shadow:0 0 0 3px var(--ok)}.tile.picked .top b::before{content:'★ ';color:var(--ok)}
.frame{background:#2a2a28;aspect-ratio:16/9;display:flex;align-items:center;justify-content:center}
.frame video{width:100%;height:100%;object-fit:contain;display:block}
.frame:has(.ph){background:#3a3a37}
.ph{color:#eee;font-size:13px;padding:8px;text-align:center}
figcaption{padding:6px 8px 8px;font-size:12px}
.top{display:flex;justify-content:space-between;gap:6px;align-items:center}
.vary,.meta,.rid{color:var(--muted);overflow-wrap:break-word}
.rid{font-family:ui-monospace,monospace;font-size:11px}
.reason{color:var(--bad);white-space:pre-wrap;overflow-wrap:anywhere;margin-top:3px}
.takes{margin-top:3px}.takes ul{margin:2px 0 0;padding-left:16px}.takes a{color:inherit}
.live{color:var(--busy);font-weight:600}
.keys{color:var(--muted);font-size:12px;margin-top:6px}
dialog{width:min(1100px,94vw);max-height:94vh;padding:12px 14px;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg)}
dialog::backdrop{background:#000a}
.vhead{display:flex;justify-content:space-between;align-items:center;margin-bottom:8px}
.vhead button{font-size:20px;background:none;border:0;color:inherit;cursor:pointer}
#v-video{width:100%;max-height:60vh;background:#000}
#v-takes{margin:6px 0;display:flex;flex-wrap:wrap;gap:6px}#v-takes button{font-size:12px}
#v-facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px;margin:8px 0 0}
#v-facts dt{color:var(--muted)}#v-facts dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
`;

/**
 * The page's behaviour: videos load only near the viewport (a sheet of thousands stays fast) and
 * show a frame of their own before playing; hover plays a tile, click or Enter opens it large
 * with its facts and earlier takes; arrows move between tiles, Space plays. Served by
 * `render review` (body data-review), P picks the focused take for its shot.
 */
export const PAGE_SCRIPT = `
const tiles = [...document.querySelectorAll('.tile')];
function videoOf(frame) {
  let v = frame.querySelector('video');
  if (v || !frame.dataset.src) return v;
  v = document.createElement('video');
  v.muted = true; v.loop = true; v.playsInline = true; v.preload = 'auto';
  if (frame.dataset.w) { v.width = Number(frame.dataset.w); v.height = Number(frame.dataset.h); }
  v.title = 'hover to play, click to open';
  // A paused video is not always painted until it has played a frame: play the first one,
  // muted, then stop on it, so the tile shows a picture of its own before anyone hovers.
  v.addEventListener('loadeddata', () => {
    if (v.dataset.still) return;
    v.dataset.still = '1';
    v.play().then(() => { if (!v.matches(':hover')) { v.pause(); v.currentTime = 0.1; } }).catch(() => {});
  }, { once: true });
  v.src = frame.dataset.src;
  v.addEventListener('mouseenter', () => v.play().catch(() => {}));
  v.addEventListener('mouseleave', () => v.pause());
  frame.append(v);
  return v;
}
const near = new IntersectionObserver((entries) => {
  for (const e of entries) if (e.isIntersecting) { videoOf(e.target); near.unobserve(e.target); }
}, { rootMargin: '600px 0px' });
for (const f of document.querySelectorAll('.frame[data-src]')) near.observe(f);
const viewer = document.getElementById('viewer');
let shown = null;
const big = document.getElementById('v-video');
const text = (el, value) => { el.textContent = value; return el; };
function openTile(t) {
  const facts = JSON.parse(t.dataset.facts || '{}');
  const takes = JSON.parse(t.dataset.takes || '[]');
  const section = t.closest('section');
  const caption = (sel) => { const el = t.querySelector(sel); return el ? el.textContent : ''; };
  text(document.getElementById('v-title'), t.dataset.id + ' · ' + caption('.top b') + ' · ' + caption('.badge'));
  const list = document.getElementById('v-facts');
  list.replaceChildren();
  const shared = (sel) => { const el = section && section.querySelector(sel); return el ? el.textContent : ''; };
  const rows = {
    shot: t.dataset.shot, model: facts.model || shared('.model'), prompt: facts.prompt || shared('p.prompt'),
    params: JSON.stringify(facts.params, null, 1), file: t.dataset.file ? decodeURIComponent(t.dataset.file) : '',
    video: caption('.meta'), request: facts.request, sha256: facts.sha256, reason: caption('.reason'),
  };
  for (const [k, v] of Object.entries(rows)) {
    if (v === null || v === undefined || v === '') continue;
    list.append(text(document.createElement('dt'), k), text(document.createElement('dd'), v));
  }
  const bar = document.getElementById('v-takes');
  bar.replaceChildren();
  const show = (src, sha) => { big.src = src; shown = { tile: t, sha }; big.play().catch(() => {}); };
  if (t.dataset.file) {
    const b = text(document.createElement('button'), 'current take');
    b.addEventListener('click', () => show(t.dataset.file, t.dataset.sha));
    bar.append(b);
  }
  for (const k of takes) {
    const b = text(document.createElement('button'), 'earlier take: ' + (k.seed !== null ? 'seed ' + k.seed + ' · ' : '') + (k.at || '') + (k.request ? ' · request ' + k.request.slice(0, 8) : ''));
    b.addEventListener('click', () => show(k.file, k.sha256));
    bar.append(b);
  }
  shown = { tile: t, sha: t.dataset.sha };
  if (t.dataset.file) big.src = t.dataset.file; else big.removeAttribute('src');
  document.getElementById('v-pick').hidden = !document.body.dataset.review || !t.dataset.file;
  viewer.showModal();
  if (t.dataset.file) big.play().catch(() => {});
}
viewer.addEventListener('close', () => { big.pause(); });
document.getElementById('v-pick').addEventListener('click', () => { if (shown) pick(shown.tile, shown.sha); });
viewer.addEventListener('keydown', (e) => { if ((e.key === 'p' || e.key === 'P') && shown) { pick(shown.tile, shown.sha); e.preventDefault(); } });
document.getElementById('v-close').addEventListener('click', () => viewer.close());
for (const t of tiles) t.addEventListener('click', () => openTile(t));
function move(from, key) {
  const i = tiles.indexOf(from);
  if (key === 'ArrowRight') return tiles[i + 1];
  if (key === 'ArrowLeft') return tiles[i - 1];
  const r = from.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  let best; let bestScore = Infinity;
  for (const t of tiles) {
    const q = t.getBoundingClientRect();
    const dy = key === 'ArrowDown' ? q.top - r.top : r.top - q.top;
    if (dy <= 1) continue;
    const score = dy * 4 + Math.abs(q.left + q.width / 2 - cx);
    if (score < bestScore) { bestScore = score; best = t; }
  }
  return best;
}
async function pick(t, sha) {
  const path = document.body.dataset.review;
  if (!path || !t.dataset.file) return;
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shot: t.dataset.shot, id: t.dataset.id, sha256: sha || t.dataset.sha }) });
  if (!res.ok) { alert('could not save the pick: ' + await res.text()); return; }
  for (const o of tiles) if (o.dataset.shot === t.dataset.shot) o.classList.remove('picked');
  t.classList.add('picked');
}
document.addEventListener('keydown', (e) => {
  if (viewer.open) return;
  const t = document.activeElement && document.activeElement.classList.contains('tile') ? document.activeElement : null;
  if (!t) { if (e.key.startsWith('Arrow') && tiles[0]) { tiles[0].focus(); e.preventDefault(); } return; }
  if (e.key.startsWith('Arrow')) {
    const next = move(t, e.key);
    if (next) { next.focus(); next.scrollIntoView({ block: 'nearest' }); }
    e.preventDefault();
  } else if (e.key === 'Enter') { openTile(t); e.preventDefault(); }
  else if (e.key === ' ') {
    const v = videoOf(t.querySelector('.frame'));
    if (v) { if (v.paused) v.play().catch(() => {}); else v.pause(); }
    e.preventDefault();
  } else if (e.key === 'p' || e.key === 'P') { pick(t); e.preventDefault(); }
});
// While the run goes on the page is rewritten as renders finish: reload it, but never while
// someone is watching a video or has one open.
if (document.body.dataset.live) {
  setInterval(() => {
    const watching = viewer.open || [...document.querySelectorAll('video')].some((v) => !v.paused);
    if (!watching && document.visibilityState === 'visible') location.reload();
  }, 10000);
}
`;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * No network at all: default-src 'none' covers fetch, fonts, frames and images; media only
 * from the page's own place ('self' is the file: scheme when opened from disk).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "media-src 'self'",
  `style-src 'sha256-${sha256(PAGE_STYLE)}'`,
  `script-src 'sha256-${sha256(PAGE_SCRIPT)}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The same page served by `render review`: it may also send picks back to its own server. */
export const REVIEW_CSP = `${PAGE_CSP}; connect-src 'self'`;
