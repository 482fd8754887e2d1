/**
 * The commands README.md shows work as typed: in its shell blocks render is called `npx render`
 * (a bare `render` only where `npm link` has just put it on the PATH), and each such command's
 * manifest arguments load. `render --help` says the same about how to call it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAIN_HELP } from '../../src/cli/help.js';
import { runCli } from '../support/run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(new URL('README.md', `file://${root}`), 'utf8');

/** The lines of README's ```sh blocks, each with the text of its whole block. */
function shellLines(): { line: string; block: string }[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => block.split('\n').map((line) => ({ line: line.replace(/\s+#.*$/, '').trim(), block })));
}

/** `npx render plan jobs/x.yaml`, also after `npm ci &&`. */
function renderCommands(): string[][] {
  return shellLines()
    .map(({ line }) => /(?:^|&&\s*)npx render (.*)$/.exec(line)?.[1])
    .filter((args): args is string => args !== undefined)
    .map((args) => args.split(/\s+/).filter((a) => a !== ''));
}

describe('README commands', () => {
  it('call render as `npx render` in the shell blocks, or as `render` right after `npm link`', () => {
    const lines = shellLines().filter(({ line }) => /(^|&&\s*|\s)render\b/.test(line) && !/npm (un)?link/.test(line));
    expect(lines.length).toBeGreaterThan(3);
    for (const { line, block } of lines) {
      if (/(^|&&\s*)npx render /.test(line)) continue;
      expect(block, `"${line}" is not typeable as is`).toContain('npm link');
      expect(line).toMatch(/^render /);
    }
  });

  it('name manifests that load: validate and plan as written, a run checked by validate', async () => {
    const commands = renderCommands();
    expect(commands.length).toBeGreaterThan(2);
    // Commands on an output folder (report, review, export, cancel, merge, emulate) have no manifest to load.
    const ON_FOLDERS = new Set(['report', 'review', 'export', 'cancel', 'merge', 'emulate']);
    for (const args of commands.filter(([first = '']) => !ON_FOLDERS.has(first))) {
      const [first = ''] = args;
      const manifests = (first === 'plan' || first === 'validate' ? args.slice(1) : args).filter((a) => !a.startsWith('--'));
      const argv = first === 'plan' ? [...args, '--json'] : ['validate', ...manifests];
      const r = await runCli(argv, root);
      expect(r.code, `npx render ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('`render --help` says how to call it', () => {
    expect(MAIN_HELP).toContain('npx render');
    expect(MAIN_HELP).toContain('npm link');
  });
});
