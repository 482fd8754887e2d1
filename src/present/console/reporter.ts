/**
 * Chooses how a run shows its progress: JSON lines on stdout (--json), one bar on a terminal,
 * plain lines off one, or nothing but warnings (--no-progress).
 */
import type { EngineEvent } from '../../engine/events.js';
import { plainLine } from './plain-lines.js';
import { ProgressBar, type Stream } from './progress-bar.js';

export interface Reporter {
  handle(e: EngineEvent): void;
  /** Removes the bar before the summary is printed. */
  stop(): void;
}

/** `manifests`: how many run together (with more than one, lines name each render's manifest). */
export function createReporter(o: { stdout: Stream; stderr: Stream; json: boolean; progress: boolean; total: number; manifests?: number }): Reporter {
  const qualify = (o.manifests ?? 1) > 1;
  if (o.json) {
    return { handle: (e) => void o.stdout.write(`${JSON.stringify(e)}\n`), stop: () => undefined };
  }
  if (o.progress && o.stderr.isTTY) {
    const bar = new ProgressBar(o.stderr, o.total, qualify);
    return { handle: (e) => bar.handle(e), stop: () => bar.stop() };
  }
  return {
    handle(e) {
      // --no-progress keeps what needs attention: failures and warnings.
      if (!o.progress && e.event !== 'failed' && e.event !== 'warning') return;
      const line = plainLine(e, qualify);
      if (line) o.stderr.write(`${line}\n`);
    },
    stop: () => undefined,
  };
}
