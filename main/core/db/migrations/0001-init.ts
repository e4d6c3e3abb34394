import type { Migration } from '..';
import { vaultMigration } from '../../vault';

/** 0001: the vault's wrapped data key and the key/value settings of the installation. */
export const m0001Init: Migration = {
  version: 1,
  name: '0001-init',
  up(db) {
    vaultMigration(db);
    db.exec(`CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
  },
};
