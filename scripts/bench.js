#!/usr/bin/env node
// `npm run bench`: runs every benchmark compiled to dist/bench/*.js (not its support/ folder) in turn, each in its own
// process (so one's memory peak does not colour another's), prints their reports, then every figure that has a target,
// beside its target, once more at the end. Arguments that start with -- (--quick) go to every benchmark; the others
// pick benchmarks by the start of their name (`npm run bench -- engine`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../dist/bench/', import.meta.url));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();
let failed = 0;
const targets = [];
for (const file of benches) {
  const name = file.replace(/\.js$/, '');
  console.log(`\n## ${name}`);
  const child = spawn(process.execPath, ['--expose-gc', `${dir}${file}`, ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/\(target [<>]/.test(line)) targets.push(`${name}: ${line.trim().replace(/\s+/g, ' ')}`);
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) failed += 1;
}
if (targets.length > 0) console.log(`\n## figures and targets\n${targets.join('\n')}`);
process.exit(failed === 0 ? 0 : 1);
