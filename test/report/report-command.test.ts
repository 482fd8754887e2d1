import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runCliIn, type CliResult } from '../support/run-cli.js';
import { writeReport } from '../../src/present/report/index.js';
import { sweepRun } from './fixtures.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'render-report-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runCli(...argv: string[]): Promise<CliResult> {
  return runCliIn(['report', ...argv], root);
}

/** A run folder under root holding `manifest` as manifest.json (verbatim when a string). */
async function runFolder(name: string, manifest?: unknown): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  if (manifest !== undefined) {
    await writeFile(join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  }
  return dir;
}

describe('render report', () => {
  it('rebuilds index.html from manifest.json and prints its path', async () => {
    const dir = await runFolder('good', sweepRun());
    const r = await runCli('good');
    expect(r).toEqual({ code: 0, stdout: 'good/index.html\n', stderr: '' });
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<h1>storyboard</h1>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  const bad = JSON.stringify({ ...sweepRun(), renders: [{ ...sweepRun().renders[0], status: 7 }] });
  it.each([
    ['a missing folder', 'nowhere', undefined, /render report: no folder at nowhere\n/],
    ['a folder with no manifest.json', 'empty', undefined, /render report: no manifest\.json in empty\n/],
    ['truncated JSON', 'truncated', '{"version": 1, "renders": [', /render report: truncated\/manifest\.json is not valid JSON \(/],
    ['JSON that is not a run manifest', 'wrong', '[1, 2]', /wrong\/manifest\.json is not a render manifest: the top level must be object/],
    ['a render with a bad field', 'badfield', bad, /badfield\/manifest\.json is not a render manifest: renders\[0\]\.status must be equal to one of the allowed values/],
  ])('exits 2 with a clear message for %s', async (_what, folder, content, message) => {
    if (folder !== 'nowhere') await runFolder(folder, content);
    const r = await runCli(folder);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('exits 2 when the folder is a file', async () => {
    await writeFile(join(root, 'plain.txt'), 'x');
    const r = await runCli('plain.txt');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('render report: plain.txt is not a folder');
  });

  it('exits 2 when manifest.json cannot be read', async () => {
    await mkdir(join(root, 'unreadable', 'manifest.json'), { recursive: true });
    const r = await runCli('unreadable');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('render report: cannot read unreadable/manifest.json (EISDIR)');
  });

  it('exits 2 when index.html cannot be written, leaving no temp file', async () => {
    const dir = await runFolder('blocked', sweepRun());
    // A folder where the page should go: the rename onto it fails, even for root.
    await mkdir(join(dir, 'index.html', 'inside'), { recursive: true });
    const r = await runCli('blocked');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^render report: cannot write blocked\/index\.html \((EISDIR|ENOTEMPTY|EEXIST)\)\n$/);
    expect((await readdir(dir)).sort()).toEqual(['index.html', 'manifest.json']);
  });

  it.each([
    [[], /give the output folder of a run/],
    [['a', 'b'], /one folder at a time, got 2/],
    [['--json', 'a'], /render report: Unknown option '--json'/],
  ])('exits 2 on usage %j', async (argv, message) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('writeReport', () => {
  it('replaces index.html whole and leaves no temp file behind', async () => {
    const dir = await runFolder('atomic');
    await writeFile(join(dir, 'index.html'), 'old');
    const path = await writeReport(dir, sweepRun());
    expect(path).toBe(join(dir, 'index.html'));
    expect(await readFile(path, 'utf8')).toMatch(/^<!doctype html>[^]*<\/html>\n$/);
    expect(await readdir(dir)).toEqual(['index.html']);
  });

  it('rejects when the folder is gone', async () => {
    await expect(writeReport(join(root, 'gone'), sweepRun())).rejects.toThrow(/ENOENT/);
  });
});
