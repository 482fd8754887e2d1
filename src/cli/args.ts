/** Argument parsing shared by the commands: node's parseArgs, with errors a user can act on. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses `argv` for `command`; unknown flags and missing values become UsageErrors (exit 2). */
export function parseCommandArgs(command: string, argv: string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(`render ${command}: ${message.replace(/^TypeError \[[A-Z_]+\]: /, '')}`, {
      hint: `See \`render ${command} --help\`.`,
    });
  }
}

/** Reads a flag as a number within [min, max]; `flag` is how the user wrote it, for messages. */
export function numberFlag(
  value: string | boolean | string[] | undefined,
  flag: string,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : NaN;
  const ok = Number.isFinite(n) && n >= range.min && n <= range.max && (!range.integer || Number.isInteger(n));
  if (!ok) {
    const kind = range.integer ? 'a whole number' : 'a number';
    throw new UsageError(`${flag} must be ${kind} from ${range.min} to ${range.max}, got "${String(value)}"`);
  }
  return n;
}
