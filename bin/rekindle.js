#!/usr/bin/env node
// Launcher for `rekindle` / `npx rekindle`: runs the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci`, `npm install` and `npm pack` run through the `prepare` script). It never loads TypeScript at run time.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error(
    `rekindle: the compiled CLI is missing (${main}); build it with 'npm run build' in ${join(__dirname, '..')}`,
  );
  process.exit(1);
}
require(main);
