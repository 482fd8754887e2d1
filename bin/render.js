#!/usr/bin/env node
// The committed launcher behind `npx render`. It stays tiny and always executable, so a clean
// rebuild of dist/ (which would drop an exec bit) can never break the command.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('render: the project is not built yet. Run `npm install` (or `npm ci`) first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
