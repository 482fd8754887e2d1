/**
 * Escaping for the contact sheet. Everything in manifest.json is untrusted text (a prompt can
 * hold anything), so every string reaches the page through one of these two functions.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for both element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Turns a manifest `file` (relative to manifest.json, `/`-separated) into a relative URL:
 * each segment percent-encoded, so `#`, `?`, `%`, spaces and a `javascript:`-like first
 * segment stay part of the path and never become a fragment, query or scheme.
 */
export function fileHref(file: string): string {
  return file
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
