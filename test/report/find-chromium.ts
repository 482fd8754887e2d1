/** Where Debian's chromium is, for the browser test; null when it is not installed. */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export function findChromium(): string | null {
  const which = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  const candidates = [which.status === 0 ? which.stdout.trim() : '', '/usr/bin/chromium'];
  for (const path of candidates) {
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not there or not runnable: try the next.
    }
  }
  return null;
}

/**
 * The flags that keep Chromium off the network on a closed machine (see the machine notes):
 * without them it tries to reach Google's services at every start.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
