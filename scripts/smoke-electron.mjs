// `npm run smoke:electron`: the one check that needs the real Electron runtime. Builds, launches the built
// app on a temporary profile with PIXDESK_SELF_CHECK set (main/electron/self-check.ts): the page calls
// `app:info` through the real preload and IPC, main prints one PIXDESK_SELF_CHECK line and exits. Exit 0 when
// that line says ok, 1 on failure or timeout. Where the runtime is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD,
// build machines without access to Electron's downloads) it says it skipped and exits 0: nothing is
// downloaded here. Not part of `npm test`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TIMEOUT_MS = Number(process.env.PIXDESK_SMOKE_TIMEOUT_MS ?? 90_000);
const TAG = 'PIXDESK_SELF_CHECK';

/**
 * The installed Electron binary, or null. Reads electron's own path.txt instead of require('electron'),
 * which would try to download the runtime when it is missing.
 */
function installedElectron() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const rel = fs.readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist');
  const bin = path.join(distDir, rel);
  return fs.existsSync(bin) ? bin : null;
}

const electron = installedElectron();
if (!electron) {
  const why = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'ELECTRON_SKIP_BINARY_DOWNLOAD está definido' : 'node_modules/electron não tem o binário';
  console.log(`smoke:electron IGNORADO: o runtime do Electron não está instalado nesta máquina (${why}). Nada foi testado.`);
  process.exit(0);
}

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (!fs.existsSync(path.join(root, 'native/electron/better_sqlite3.node'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-electron-native.mjs')], { stdio: 'inherit' });
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-smoke-'));
const env = { ...process.env, [TAG]: profile, ELECTRON_ENABLE_LOGGING: '1' };
// Would turn the app into a plain Node process (the packaged app has this fuse off anyway).
delete env.ELECTRON_RUN_AS_NODE;

// A headless Linux (CI) has no display: run under xvfb-run when it is there.
let command = electron;
let args = [root];
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (headless && spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error === undefined) {
  command = 'xvfb-run';
  args = ['-a', electron, root];
}

const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.stderr.on('data', (chunk) => process.stderr.write(chunk));

const timer = setTimeout(() => {
  console.error(`smoke:electron FALHOU: sem resposta em ${TIMEOUT_MS / 1000} s.`);
  child.kill('SIGKILL');
}, TIMEOUT_MS);

child.on('exit', (code, signal) => {
  clearTimeout(timer);
  fs.rmSync(profile, { recursive: true, force: true });
  const line = out.split('\n').find((l) => l.startsWith(`${TAG} `));
  if (code === 0 && line?.startsWith(`${TAG} ok`)) {
    console.log(`smoke:electron ok (${line.slice(TAG.length + 4)})`);
    process.exit(0);
  }
  console.error(`smoke:electron FALHOU: ${line ?? `o app saiu com ${signal ?? code} sem dizer ${TAG}`}`);
  process.exit(1);
});
