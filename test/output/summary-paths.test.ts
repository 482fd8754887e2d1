import { describe, expect, it } from 'vitest';
import { formatSummary, type RunSummary } from '../../src/present/console/summary.js';

function summaryFor(dir: string): RunSummary {
  return {
    event: 'summary',
    exit_code: 0,
    elapsed_s: 1.5,
    interrupted: false,
    still_at_providers: 0,
    manifests: [
      {
        name: 'demo',
        dir,
        manifest: `${dir}/manifest.json`,
        report: `${dir}/index.html`,
        counts: { total: 1, succeeded: 1, skipped: 0, failed: 0, timed_out: 0, lost: 0, indeterminate: 0, pending: 0 },
        still_at_providers: 0,
        failures: [],
      },
    ],
  } as RunSummary;
}

describe('the run summary names where the files are', () => {
  it.each([
    ['inside the working folder: relative', '/work/proj', '/work/proj/output/demo', 'output/demo/manifest.json'],
    ['outside it: absolute, not ../../', '/work/proj', '/tmp/out/demo', '/tmp/out/demo/manifest.json'],
  ])('%s', (_name, cwd, dir, shown) => {
    const text = formatSummary(summaryFor(dir), cwd);
    expect(text).toContain(`  manifest: ${shown}\n`);
    expect(text).not.toContain('..');
  });
});
