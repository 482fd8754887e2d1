/**
 * render's entry point: picks the command and loads only that command's module, so `--help`
 * and `--version` start fast. The only place that maps errors to exit codes and messages.
 */
import { createRequire } from 'node:module';
import { reportInternalError } from './crash-report.js';
import { COMMAND_HELP, MAIN_HELP } from './help.js';
import { EXIT, type CliIO, type Command } from './io.js';
import { formatProblem, ManifestError, RenderError, UsageError } from '../core/errors.js';
import { TRANSFER_LIMITS } from '../providers/transfer-limits.js';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import('./commands/run.js'),
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  report: () => import('./commands/report.js'),
  cancel: () => import('./commands/cancel.js'),
  emulate: () => import('./commands/emulate.js'),
  export: () => import('./commands/export.js'),
  review: () => import('./commands/review.js'),
  merge: () => import('./commands/merge.js'),
};

export function renderVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

/** Runs render with `argv` (no node/script prefix) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(MAIN_HELP);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`render ${renderVersion()}\n`);
    return EXIT.ok;
  }
  // `render jobs/*.yaml` is `render run jobs/*.yaml`.
  const name = first in COMMANDS ? first : 'run';
  const args = first in COMMANDS ? rest : argv;
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(COMMAND_HELP[name] ?? MAIN_HELP);
    return EXIT.ok;
  }
  try {
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command "${name}"`);
    const { command } = await load();
    return await command(args, io);
  } catch (err) {
    return reportError(err, io, argv);
  }
}

/** Prints an error the way a user should see it: never a stack trace on the terminal. */
export function reportError(err: unknown, io: CliIO, argv: readonly string[] = []): number {
  if (err instanceof ManifestError) {
    for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
    io.stderr.write(`render: ${err.message}; nothing was submitted.\n`);
    return EXIT.usage;
  }
  if (err instanceof RenderError) {
    // Messages that already name the command ("render plan: ...") are not prefixed twice.
    io.stderr.write(err.message.startsWith('render') ? `${err.message}\n` : `render: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  ${err.hint}\n`);
    return err instanceof UsageError || err.code.startsWith('E_USAGE') || err.code === 'E_CONFIG'
      ? EXIT.usage
      : EXIT.failed;
  }
  // A bug in render, not the user's fault: one line here, the stack in a report file.
  reportInternalError(err, io, { argv, version: renderVersion() });
  return EXIT.failed;
}

function processIO(): CliIO {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    // A second Ctrl-C leaves at once; the journal is already on disk.
    if (interrupts > 1) process.exit(EXIT.interrupted);
    controller.abort();
    // Reads and downloads are abandoned at once and submits get a short grace; should anything
    // still hold the process, leave anyway: every job id learnt is already in the journal.
    setTimeout(() => {
      process.stderr.write('render: still stopping; leaving now (run the same command again to resume)\n');
      process.exit(EXIT.interrupted);
    }, TRANSFER_LIMITS.interruptExitMs).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal };
  // A bug that escapes a command (an error thrown in a callback) is reported the same way.
  const onBug = (err: unknown): void => {
    reportInternalError(err, io, { argv: process.argv.slice(2), version: renderVersion() });
    process.exit(EXIT.failed);
  };
  process.on('uncaughtException', onBug);
  process.on('unhandledRejection', onBug);
  return io;
}
