// `npm start`: build, make sure better-sqlite3 has an Electron build of its own (native/electron), then
// launch Electron. On machines where the Electron runtime cannot be fetched, say so and point to the
// browser host instead of failing with a stack trace.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

/** The Electron binary if it is already installed; otherwise null (no download is attempted here). */
function installedElectron() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

let electronPath = installedElectron();
// Electron fetches its runtime on first use; machines that opted out (ELECTRON_SKIP_BINARY_DOWNLOAD) never try.
if (!electronPath && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  try {
    electronPath = require('electron');
  } catch {
    electronPath = undefined;
  }
}
if (!electronPath || !fs.existsSync(electronPath)) {
  console.error(
    'O runtime do Electron não está disponível nesta máquina (ele é baixado na primeira execução e o download não foi possível).\n' +
      'Para usar o PixDesk agora, rode "npm run start:browser" e abra o endereço impresso.',
  );
  process.exit(1);
}

if (!fs.existsSync(path.join(root, 'native/electron/better_sqlite3.node'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-electron-native.mjs')], { stdio: 'inherit' });
}

const child = spawn(electronPath, [root], { stdio: 'inherit', env: { ...process.env, ELECTRON_ENABLE_SECURITY_WARNINGS: 'true' } });
child.on('exit', (code) => process.exit(code ?? 0));
