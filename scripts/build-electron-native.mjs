// Builds a copy of better-sqlite3 for Electron's ABI into native/electron/, leaving node_modules' copy
// (built for Node: CLI, browser host, vitest) untouched. The app loads it through better-sqlite3's
// `nativeBinding` option in development; packaged apps get their own rebuild from electron-builder.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { rebuild } = require('@electron/rebuild');
const electronVersion = require('electron/package.json').version;

const work = path.join(root, 'native', 'electron-build');
const moduleSrc = path.join(root, 'node_modules', 'better-sqlite3');
const moduleDst = path.join(work, 'node_modules', 'better-sqlite3');

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.dirname(moduleDst), { recursive: true });
fs.cpSync(moduleSrc, moduleDst, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
fs.writeFileSync(
  path.join(work, 'package.json'),
  JSON.stringify({ name: 'pixdesk-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }),
);

console.log(`Compilando better-sqlite3 para o Electron ${electronVersion}…`);
await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true, buildFromSource: true });

const built = path.join(moduleDst, 'build', 'Release', 'better_sqlite3.node');
fs.mkdirSync(path.join(root, 'native', 'electron'), { recursive: true });
fs.copyFileSync(built, path.join(root, 'native', 'electron', 'better_sqlite3.node'));
console.log('native/electron/better_sqlite3.node pronto.');
