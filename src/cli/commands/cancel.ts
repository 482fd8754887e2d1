/**
 * `render cancel <out/name> [--only GLOB]`: cancels the jobs of a run folder that are still
 * queued or running at a provider that can cancel (Krea), and records them as cancelled so the
 * next run submits them again. Takes the folder's run lock: a run going on there must be
 * stopped first. Exit 0 when every live job asked for was cancelled (or none was live), 1 when
 * some is still live (its cancel failed, or its API has no cancel), 2 bad usage or folder in use.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { cancelLiveJobs, liveJobs, type CancelOutcome } from '../../engine/cancel-live.js';
import { readJournal } from '../../store/journal-read.js';
import { UsageError } from '../../core/errors.js';
import { shownPath } from '../../store/folder-problem.js';
import { runLayout } from '../../store/layout.js';
import { readManifestFile } from '../../store/previous-run.js';
import { acquireRunLock } from '../../store/run-lock.js';
import { PROVIDER_DEFAULTS, readProviderConfigs, requireKeys } from '../../providers/config.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('cancel', argv, { only: { type: 'string', multiple: true } });
  const [folder, ...extra] = positionals;
  if (folder === undefined || extra.length > 0) {
    throw new UsageError(folder === undefined ? 'render cancel: give the output folder of a run' : `render cancel: one folder at a time, got ${positionals.length}`, {
      hint: 'Usage: render cancel <out/name> [--only GLOB], e.g. `render cancel output/storyboard`.',
    });
  }
  const dir = resolve(io.cwd, folder);
  const layout = runLayout(dirname(dir), basename(dir));
  const shown = shownPath(dir, io.cwd);
  const isRun = (await stat(layout.journalPath).catch(() => undefined))?.isFile() || (await stat(layout.manifestPath).catch(() => undefined))?.isFile();
  if (!isRun) {
    throw new UsageError(`render cancel: ${shown} holds no render run (no .render/journal.jsonl or manifest.json there)`, {
      hint: 'give the folder a run wrote, <out>/<manifest name>, e.g. output/storyboard',
    });
  }

  const lock = await acquireRunLock(dir, { command: ['render', 'cancel', ...argv].join(' '), cwd: io.cwd, warn: (line) => io.stderr.write(`${line}\n`) });
  let dispatcher: Dispatcher | undefined;
  try {
    const manifest = await readManifestFile(layout.manifestPath);
    const { states: journal, problems } = await readJournal(layout.journalPath);
    for (const p of problems) io.stderr.write(`${shown}/.render/journal.jsonl:${p.line}: warning: ${p.reason}; line not used\n`);
    const only = Array.isArray(values['only']) ? values['only'] : [];
    const live = liveJobs(journal, manifest, only);
    if (live.length === 0) {
      io.stdout.write(`render cancel: no job of ${shown}${only.length > 0 ? ' matching --only' : ''} is queued or running at a provider; nothing to cancel\n`);
      return EXIT.ok;
    }

    // Loaded only now: undici is not needed when there is nothing to cancel.
    const [{ createDispatcher, createProviderHttp }, { adapterFor }] = await Promise.all([
      import('../../providers/http-client.js'),
      import('../../providers/registry.js'),
    ]);
    const configs = readProviderConfigs(io.env, io.cwd);
    const sendable = live.filter((j) => j.provider !== undefined && adapterFor(j.provider).cancelRequest !== undefined);
    requireKeys(configs, sendable.map((j) => j.provider!));
    dispatcher = createDispatcher(io.env);
    const http = createProviderHttp({ dispatcher });

    const outcomes = await cancelLiveJobs(live, {
      layout,
      journal,
      manifest,
      adapterFor,
      send: (provider, req) => http.send(configs[provider], 'cancel', req),
      onOutcome: (o) => io.stdout.write(`${outcomeLine(o)}\n`),
    });
    await rewriteReport(layout.dir, manifest, io);
    const count = (r: CancelOutcome['result']): number => outcomes.filter((o) => o.result === r).length;
    const [cancelled, notCancellable, failed] = [count('cancelled'), count('not_cancellable'), count('failed')];
    io.stdout.write(
      `render cancel: ${live.length} live job${live.length === 1 ? '' : 's'}: ${cancelled} cancelled, ${notCancellable} not cancellable, ${failed} failed` +
        (cancelled > 0 ? '; the next run submits the cancelled renders again\n' : '\n'),
    );
    return notCancellable + failed === 0 ? EXIT.ok : EXIT.failed;
  } finally {
    await dispatcher?.close().catch(() => undefined);
    await lock.release();
  }
}

function outcomeLine(o: CancelOutcome): string {
  const { id, provider, jobId } = o.job;
  const where = `${provider ?? 'unknown provider'} job ${jobId}`;
  if (o.result === 'cancelled') return `cancelled        ${id} (${where})`;
  if (o.result === 'failed') return `cancel failed    ${id} (${where}): ${o.reason}`;
  if (!provider) return `not cancellable  ${id} (${where}): manifest.json does not say which provider has it`;
  return `not cancellable  ${id} (${where}): ${PROVIDER_DEFAULTS[provider].label} cannot cancel a job; stop it on its dashboard if you need to`;
}

/** The contact sheet shows the new statuses; a page that cannot be written is only a warning. */
async function rewriteReport(dir: string, manifest: Awaited<ReturnType<typeof readManifestFile>>, io: CliIO): Promise<void> {
  if (!manifest) return;
  const { writeReport } = await import('../../present/report/write-report.js');
  await writeReport(dir, manifest).catch((err: unknown) => io.stderr.write(`render cancel: warning: could not write index.html: ${(err as Error).message}\n`));
}
