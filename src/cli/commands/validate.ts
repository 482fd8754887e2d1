/** `render validate <files...>`: every problem of every file, or one OK line per file. */
import { UsageError } from '../../core/errors.js';
import { loadManifests } from '../../manifest/load-manifests.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, type CliIO } from '../io.js';

export async function command(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseCommandArgs('validate', argv, {});
  if (positionals.length === 0) throw new UsageError('render validate: give at least one manifest file', { hint: 'e.g. render validate jobs/*.yaml' });
  const manifests = await loadManifests(positionals, { cwd: io.cwd });
  for (const m of manifests) {
    for (const warning of m.warnings) io.stderr.write(`${warning}\n`);
    const shots = new Set(m.renders.map((r) => r.shot)).size;
    io.stdout.write(`${m.file}: OK, "${m.name}": ${shots} shot${shots === 1 ? '' : 's'}, ${m.renders.length} render${m.renders.length === 1 ? '' : 's'}${m.warnings.length > 0 ? `, ${m.warnings.length} warning${m.warnings.length === 1 ? '' : 's'}` : ''}\n`);
  }
  return EXIT.ok;
}
