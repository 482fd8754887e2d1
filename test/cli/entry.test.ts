import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const bin = new URL('../../bin/render.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('the render launcher', () => {
  it('prints the version from package.json', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^render \d+\.\d+\.\d+\n$/);
  });

  // Each command's help in-process: the launcher passes its arguments on unchanged, as the
  // cases above and below show through a real process.
  it.each(['run', 'validate', 'plan', 'report', 'cancel', 'emulate', 'merge'])('lists the flags of `%s --help`', async (cmd) => {
    const r = await runCli([cmd, '--help'], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`render ${cmd === 'run' ? '[run]' : cmd}`);
    expect(r.stdout).toContain('--help');
  });

  it('exits 2 with the overview when given nothing', () => {
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Usage:');
  });
});
