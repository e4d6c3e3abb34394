// Builds every target. esbuild bundles the Node side (CLI, browser host, Electron main, preload, bench);
// Vite builds the renderer. `--node-only` (used by `npm install`'s prepare step) skips the renderer.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nodeOnly = process.argv.includes('--node-only');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

await Promise.all([
  // Dependencies stay in node_modules (better-sqlite3 is native; electron-builder ships node_modules).
  build({
    ...common,
    packages: 'external',
    entryPoints: {
      'main/cli': 'main/cli.ts',
      'main/host': 'main/host/index.ts',
      'main/electron': 'main/electron/main.ts',
      'bench/run': 'bench/run.ts',
      'bench/seed-charges': 'bench/seed-charges.ts',
    },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // A sandboxed preload may only require('electron'): bundle everything else into it.
  build({
    ...common,
    external: ['electron'],
    entryPoints: { 'preload/index': 'preload/index.ts' },
    outdir: 'dist',
  }),
]);

if (!nodeOnly) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
