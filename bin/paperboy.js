#!/usr/bin/env node
// The `paperboy` command. Runs the compiled sources in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('paperboy: dist/ is missing; run `npm install` (or `npm run build`) first.');
  process.exit(1);
}
const { runFromProcess } = await import(entry.href);
await runFromProcess();
