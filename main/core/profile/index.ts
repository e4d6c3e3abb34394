import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors';

/**
 * Where a profile (SQLite files, device key, sandbox state) lives when not under Electron:
 * an explicit `--profile DIR`, else `$PIXDESK_HOME`, else the platform's data folder. Electron passes
 * its `userData` path instead.
 */
export function resolveProfileDir(explicit?: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.PIXDESK_HOME) return path.resolve(env.PIXDESK_HOME);
  return platformDataDir(env);
}

/** The platform data folder, matching what Electron's `app.getPath('userData')` gives for "PixDesk". */
export function platformDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'PixDesk');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'PixDesk');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'PixDesk');
  }
}

/** File names inside a profile folder, in one place. */
export const profileFiles = {
  appDb: 'pixdesk.sqlite',
  deviceKey: 'device.key',
  sandboxDir: 'sandbox',
} as const;

/** Owner-only modes: the profile holds the database, the device key and the sandbox's keys. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Make a profile folder private whoever created it: the folder (and its sub-folders, e.g. sandbox/) 0700,
 * every file 0600. `device.key` is left alone on purpose: if it was ever readable by others it may have been
 * copied, and the key provider refuses it with the command to run instead of hiding that (see vault).
 * No-op on Windows, where these modes mean nothing (the folder lives under the user's own AppData).
 */
export function secureProfileDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform === 'win32') return;
  restrict(dir, 0);
}

function restrict(dir: string, depth: number): void {
  chmod(dir, PRIVATE_DIR_MODE);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < 3) restrict(p, depth + 1);
    } else if (e.isFile() && !(depth === 0 && e.name === profileFiles.deviceKey)) {
      chmod(p, PRIVATE_FILE_MODE);
    }
  }
}

function chmod(p: string, mode: number): void {
  try {
    fs.chmodSync(p, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // removed meanwhile (a lock, a temp file)
    throw new AppError(
      'PROFILE_PERMISSIONS',
      `O PixDesk não conseguiu restringir as permissões de ${p} (${code ?? 'erro'}). A pasta do perfil deve pertencer ao usuário que abre o PixDesk: corrija com "chown -R $USER" nessa pasta e abra de novo.`,
    );
  }
}

/**
 * Run `fn` (which creates files) with the process umask at 077, so files appear owner-only from their first byte
 * instead of being narrowed after. Worker threads cannot change the umask; there the chmod that follows still applies.
 */
export function withPrivateUmask<T>(fn: () => T): T {
  let previous: number | null = null;
  try {
    previous = process.umask(0o077);
  } catch {
    previous = null;
  }
  try {
    return fn();
  } finally {
    if (previous !== null) process.umask(previous);
  }
}
