#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/ by `npm install` (the package's prepare script).
require('../dist/main/cli.cjs');
