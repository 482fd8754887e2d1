/**
 * `render review <out/name> [--port N]`: serves the contact sheet on 127.0.0.1 with keys to move,
 * play and pick one take per shot; picks go to <out/name>/picks.json. Stops on Ctrl-C.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { readRunManifest } from '../../present/report/index.js';
import { numberFlag, parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('review', argv, { port: { type: 'string' } });
  const [folder, ...extra] = positionals;
  if (folder === undefined || extra.length > 0) {
    throw new UsageError(folder === undefined ? 'render review: give the output folder of a run' : `render review: one folder at a time, got ${positionals.length}`, {
      hint: 'Usage: render review <out/name>, e.g. `render review output/storyboard`.',
    });
  }
  const port = numberFlag(values['port'], '--port', { min: 0, max: 65535, integer: true });
  const dir = resolve(io.cwd, folder);
  await readRunManifest(dir, folder, 'render review'); // a folder without a run is said now, not on the first request
  const { startReviewServer } = await import('../../present/report/review-server.js');
  let server;
  try {
    server = await startReviewServer(dir, folder, port ?? 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`render review: cannot listen on 127.0.0.1:${port ?? 0} (${code ?? String(err)})`, { hint: 'Pick another --port, or leave it out to use a free one.' });
  }
  io.stdout.write(
    `render review: ${folder} at ${server.url}\n` +
      '  Open it in a browser on this machine. Keys: arrows move, Space plays, Enter opens, P picks the take for its shot.\n' +
      `  Picks are saved to ${folder.replace(/\/+$/, '')}/picks.json. Ctrl-C stops.\n`,
  );
  await new Promise<void>((done) => {
    if (!io.signal || io.signal.aborted) return done();
    io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  return EXIT.ok;
}
