/**
 * `render` as a real child process against an emulator in the test's process, stopped with a
 * signal at a moment the test picks from the emulator's request log.
 */
import { spawn } from 'node:child_process';
import type { Emulator, LoggedRequest } from '../../../src/emulator/types.js';

const bin = new URL('../../../bin/render.js', import.meta.url).pathname;

export interface ChildRun {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether `when` came true and the signal was sent. */
  sent: boolean;
}

export function runChild(emu: Emulator, cwd: string, args: string[], signal: NodeJS.Signals, when: (log: readonly LoggedRequest[]) => boolean): Promise<ChildRun> {
  // Only the emulator's variables: a developer's real keys must never reach a test.
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env['PATH'], ...emu.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let sent = false;
  const timer = setInterval(() => {
    if (!sent && when(emu.log)) {
      sent = true;
      child.kill(signal);
    }
  }, 5);
  return new Promise((resolve) => {
    child.on('close', (code, sig) => {
      clearInterval(timer);
      resolve({ pid: child.pid, code, signal: sig, stdout, stderr, sent });
    });
  });
}
