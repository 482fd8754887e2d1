/**
 * An internal error prints one line, never a stack, and leaves its stack in a report file that
 * holds no key, from the environment or from .env.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, reportError } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { tempDir } from '../manifest/helpers.js';

vi.mock('../../src/cli/commands/validate.js', () => ({
  command: async () => {
    const settings = undefined as unknown as { concurrency: number };
    return settings.concurrency; // a TypeError, as a bug would throw
  },
}));

const AIML_KEY = 'sk-aiml-0123456789abcdef';
const KREA_TOKEN = 'krea-token-from-dotenv-42';
const reports: string[] = [];
afterEach(() => {
  for (const r of reports.splice(0)) rmSync(r, { force: true });
});

function capture(cwd: string, env: CliIO['env'] = {}): { io: CliIO; stderr: () => string; stdout: () => string } {
  let stderr = '';
  let stdout = '';
  const io: CliIO = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd };
  return { io, stderr: () => stderr, stdout: () => stdout };
}

function reportPath(stderr: string): string {
  const m = /^render: internal error: .*; full report in (\S+)\n$/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  const path = m?.[1] ?? '';
  reports.push(path);
  return path;
}

describe('an internal error', () => {
  it('thrown by a command prints one line and writes the stack to a report file', async () => {
    const dir = tempDir();
    const c = capture(dir, { AIMLAPI_API_KEY: AIML_KEY });
    const code = await main(['validate', 'jobs/x.yaml'], c.io);
    expect(code).toBe(1);
    expect(c.stdout()).toBe('');
    expect(c.stderr().split('\n')).toHaveLength(2);
    expect(c.stderr()).toMatch(/^render: internal error: Cannot read properties of undefined \(reading 'concurrency'\); full report in /);
    expect(c.stderr()).not.toContain('    at ');
    const report = readFileSync(reportPath(c.stderr()), 'utf8');
    expect(report).toContain("error: TypeError: Cannot read properties of undefined (reading 'concurrency')");
    expect(report).toMatch(/\n {4}at .*crash-report\.test\.ts/);
    expect(report).toContain('command: render validate jobs/x.yaml');
    expect(report).not.toContain(AIML_KEY);
  });

  it('never writes a key from the environment or .env, in the message, the stack or a cause', () => {
    const dir = tempDir();
    writeFileSync(`${dir}/.env`, `KREA_API_TOKEN="${KREA_TOKEN}"\n`);
    const c = capture(dir, { AIMLAPI_API_KEY: `  ${AIML_KEY}\n`, NOVITA_API_KEY: '' });
    const err = new Error(`request to https://x.test/?key=${AIML_KEY} failed`, { cause: new Error(`token ${KREA_TOKEN} refused`) });
    expect(reportError(err, c.io, ['run', 'm.yaml'])).toBe(1);
    expect(c.stderr()).toContain('render: internal error: request to https://x.test/?key=[redacted AIMLAPI_API_KEY] failed; full report in');
    const report = readFileSync(reportPath(c.stderr()), 'utf8');
    expect(report).toContain('caused by: Error: token [redacted KREA_API_TOKEN] refused');
    expect(report).toContain('key=[redacted AIMLAPI_API_KEY] failed');
    expect(report).not.toContain(AIML_KEY);
    expect(report).not.toContain(KREA_TOKEN);
  });

  it('still prints one line when the report cannot be written', () => {
    const c = capture(tempDir());
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/render-test';
    try {
      expect(reportError(new RangeError('off by one'), c.io)).toBe(1);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    expect(c.stderr()).toMatch(/^render: internal error: off by one; the report could not be written \(ENOENT[^\n]*\)\n$/);
  });
});
