/** The contact sheet of a run: `<out>/<name>/index.html`, built from manifest.json alone. */
export { buildReportHtml } from './build-report-html.js';
export { writeReport, REPORT_FILE } from './write-report.js';
export { readRunManifest, MANIFEST_FILE } from './read-run-manifest.js';
