import type { Migration } from '..';

/**
 * 0009 (numbered by position in appMigrations): the people who use this workstation and their role, and who
 * created each charge (a cashier sees only their own).
 *
 * `password_hash` is `scrypt$N$r$p$salt$hash` (see core/auth/password.ts): the password itself is never stored.
 * A profile with no rows here runs as before (an implicit administrator) until the first admin is created.
 */
export const m0009Users: Migration = {
  version: 9,
  name: '0009-users',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) BETWEEN 1 AND 60),
        role TEXT NOT NULL CHECK (role IN ('admin', 'finance', 'cashier')),
        password_hash TEXT NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      ALTER TABLE charges ADD COLUMN created_by TEXT REFERENCES users(id);
      CREATE INDEX charges_by_creator ON charges (created_by) WHERE created_by IS NOT NULL;
    `);
  },
};
