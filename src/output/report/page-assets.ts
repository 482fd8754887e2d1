/**
 * The contact sheet's only style and script, and the Content-Security-Policy that admits
 * exactly these two (by hash) plus the run's local videos. A hash rather than 'unsafe-inline'
 * means that even a string that escaped escaping could not run as script.
 */
import { createHash } from 'node:crypto';

export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#f6f6f4;--fg:#1d1d1b;--muted:#6b6b66;--card:#fff;--line:#deded8;
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
.st-succeeded{--st:var(--ok)}.st-failed{--st:var(--bad)}.st-timed_out{--st:var(--warn)}.st-indeterminate{--st:var(--odd)}.st-cancelled{--st:var(--warn)}
.st-downloading,.st-running,.st-queued,.st-submitting{--st:var(--busy)}.st-pending,.st-unknown{--st:var(--idle)}
.badge[class*=st-]{background:var(--st)}
nav{margin-top:8px;color:var(--muted)}nav a{color:inherit;margin-right:10px}
section.shot{margin-top:22px}
.shot-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px}
.model{color:var(--muted)}
.prompt{margin:4px 0 8px;max-width:70em;white-space:pre-wrap;overflow-wrap:anywhere}
.grid{overflow-x:auto;padding-bottom:6px}
.row{display:flex;gap:10px;margin-top:10px;width:max-content}
.rowlabel{width:140px;flex:none;align-self:center;font-size:12px;color:var(--muted);overflow-wrap:anywhere}
.rowlabel b{color:var(--fg)}
.colhead{width:260px;flex:none;font-size:12px;font-weight:600;color:var(--muted)}
.tile,.hole{width:260px;flex:none;margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;overflow:hidden}
.hole{background:transparent;border-style:dashed}
.tile[class*=st-]{border-top:3px solid var(--st)}
.frame{background:#000;aspect-ratio:16/9;display:flex;align-items:center;justify-content:center}
.frame video{width:100%;height:100%;object-fit:contain;cursor:pointer;display:block}
.frame:has(.ph){background:#3a3a37}
.ph{color:#eee;font-size:13px;padding:8px;text-align:center}
figcaption{padding:6px 8px 8px;font-size:12px}
.top{display:flex;justify-content:space-between;gap:6px;align-items:center}
.vary,.meta,.rid{color:var(--muted);overflow-wrap:anywhere}
.rid{font-family:ui-monospace,monospace;font-size:11px}
.reason{color:var(--bad);white-space:pre-wrap;overflow-wrap:anywhere;margin-top:3px}
.live{color:var(--busy);font-weight:600}
`;

/** Plays a video while hovered; a click (or tap) keeps it playing until clicked again. */
export const PAGE_SCRIPT = `
for (const v of document.querySelectorAll('video')) {
  const play = () => { v.play().catch(() => {}); };
  v.addEventListener('mouseenter', play);
  v.addEventListener('mouseleave', () => { if (!v.dataset.pinned) v.pause(); });
  v.addEventListener('click', () => {
    if (v.dataset.pinned) { delete v.dataset.pinned; v.pause(); } else { v.dataset.pinned = '1'; play(); }
  });
}
// While the run goes on the page is rewritten as renders finish: reload it, but never while
// someone is watching a video.
if (document.body.dataset.live) {
  setInterval(() => {
    const watching = [...document.querySelectorAll('video')].some((v) => !v.paused);
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
