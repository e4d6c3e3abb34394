import os from 'node:os';
import path from 'node:path';

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
