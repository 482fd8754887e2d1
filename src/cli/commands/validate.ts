/**
 * `render validate <files...>`: one OK line per good file, every problem of the others. A file
 * with problems does not hide that the others are fine.
 */
import { ManifestError, UsageError } from '../../core/errors.js';
import { checkManifestArgs } from '../../manifest/load-manifests.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseCommandArgs('validate', argv, {});
  if (positionals.length === 0) throw new UsageError('render validate: give at least one manifest file', { hint: 'e.g. render validate jobs/*.yaml' });
  const { manifests, problems } = await checkManifestArgs(positionals, { cwd: io.cwd });
  for (const m of manifests) {
    for (const warning of m.warnings) io.stderr.write(`${warning}\n`);
    const shots = new Set(m.renders.map((r) => r.shot)).size;
    io.stdout.write(`${m.file}: OK, "${m.name}": ${shots} shot${shots === 1 ? '' : 's'}, ${m.renders.length} render${m.renders.length === 1 ? '' : 's'}${m.warnings.length > 0 ? `, ${m.warnings.length} warning${m.warnings.length === 1 ? '' : 's'}` : ''}\n`);
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return EXIT.ok;
}
