/**
 * render's error types. Every error a user can cause or meet carries a stable `code` and a
 * message that says what failed, where, and what to do next. Only the CLI layer prints them.
 */

/** Base error: a stable machine-readable `code` plus a human message. */
export class RenderError extends Error {
  readonly code: string;
  /** What the user can do about it, printed under the message. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** Bad command line or bad input that is not a manifest problem. Exit code 2. */
export class UsageError extends RenderError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('E_USAGE', message, options);
  }
}

/** One problem found in a manifest, with the position of the offending key or value. */
export interface Problem {
  /** Path of the manifest file as the user gave it. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  message: string;
}

/** Every problem found in a set of manifests. Exit code 2; nothing is submitted. */
export class ManifestError extends RenderError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super('E_MANIFEST', `${problems.length} problem${problems.length === 1 ? '' : 's'} in the manifest`);
    this.problems = problems;
  }
}

/** Orders problems by file, line, column, then message, so output is stable. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}

/** `FILE:LINE:COL: message`, the format every editor and terminal understands. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}
