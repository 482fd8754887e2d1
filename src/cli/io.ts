/**
 * What a command may touch of the outside world. The real process supplies it in src/cli.ts;
 * tests pass their own to run commands in-process and read what a user would see.
 */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Fires on Ctrl-C / SIGTERM. Commands that run jobs listen to it to stop cleanly. */
  signal?: AbortSignal;
}

/** Exit codes, as documented in the README. */
export const EXIT = {
  ok: 0,
  /** Some render failed or timed out (the rest were finished). */
  failed: 1,
  /** Bad input or usage: nothing was submitted. */
  usage: 2,
  /** Interrupted by Ctrl-C / SIGTERM; the journal is saved and a rerun resumes. */
  interrupted: 130,
} as const;

export type Command = (argv: string[], io: CliIO) => Promise<number>;
