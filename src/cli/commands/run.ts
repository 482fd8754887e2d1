// Placeholder so the CLI compiles while this command is being written.
import { UsageError } from '../../errors.js';
import type { CliIO } from '../io.js';

export async function command(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('render run is not available yet');
}
