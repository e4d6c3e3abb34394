import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../db';
import { appMigrations } from '../db/migrations';
import { Vault, type KeyProvider } from '../vault';
import { profileFiles } from '../profile';
import type { Handlers } from '../contract';
import { SettingsStore } from './settings';

export { SettingsStore } from './settings';

export interface CoreOptions {
  profileDir: string;
  keyProvider: KeyProvider;
  shell: 'electron' | 'browser' | 'cli';
  /** Electron's own build of better-sqlite3 (see scripts/build-electron-native.mjs). */
  nativeBinding?: string | undefined;
  acceptBackendChange?: boolean;
  now?: () => Date;
  version?: string;
}

/**
 * The services of one profile, wired together. Electron, the browser host and the CLI each build one of
 * these with their own `KeyProvider`; nothing here imports electron.
 */
export class Core {
  readonly db: Db;
  readonly vault: Vault;
  readonly settings: SettingsStore;
  readonly now: () => Date;

  constructor(readonly opts: CoreOptions) {
    this.now = opts.now ?? (() => new Date());
    // The profile holds the database and the device key: readable by this user only.
    fs.mkdirSync(opts.profileDir, { recursive: true, mode: 0o700 });
    this.db = openDatabase({
      file: path.join(opts.profileDir, profileFiles.appDb),
      migrations: appMigrations,
      nativeBinding: opts.nativeBinding,
    });
    try {
      this.vault = Vault.open(this.db, opts.keyProvider, { acceptBackendChange: opts.acceptBackendChange ?? false });
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.settings = new SettingsStore(this.db, this.now);
  }

  /** The contract's handlers for this core. */
  handlers(): Handlers {
    return {
      'app:info': () => ({
        name: 'PixDesk',
        version: this.opts.version ?? '0.0.0',
        shell: this.opts.shell === 'electron' ? 'electron' : 'browser',
        environment: 'sandbox',
        profileDir: this.opts.profileDir,
        keyBackend: `${this.opts.keyProvider.kind}/${this.opts.keyProvider.backend}`,
      }),
      'settings:get': () => this.settings.get(),
      'settings:set': (patch) => this.settings.set(patch),
    };
  }

  close(): void {
    this.db.close();
  }
}
