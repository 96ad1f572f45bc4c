#!/usr/bin/env node
// Launcher for `npx rekindle`: runs the TypeScript CLI through tsx's require hook.
require('tsx/cjs');
require('../cli/main.ts');
