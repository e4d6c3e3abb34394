import type { Migration } from '..';

/**
 * 0007: the fixed till QR. Each till of an account
 * has one reusable location at the bank (`POST /loc`, once) whose printed QR always carries that till's current
 * charge; `charge_till_locs` records which charge was bound to which location and when it was unlinked
 * (`DELETE /loc/{id}/txid`), so a crash between payment and unlink is finished on the next charge of the till.
 */
export const m0007TillLocations: Migration = {
  version: 7,
  name: '0007-till-locations',
  up(db) {
    db.exec(`
      CREATE TABLE till_locations (
        account_id TEXT NOT NULL REFERENCES accounts(id),
        till TEXT NOT NULL,
        loc_id INTEGER NOT NULL,
        location TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (account_id, till)
      );
      CREATE TABLE charge_till_locs (
        charge_id TEXT PRIMARY KEY REFERENCES charges(id),
        account_id TEXT NOT NULL,
        till TEXT NOT NULL,
        loc_id INTEGER NOT NULL,
        bound_at TEXT NOT NULL,
        unlinked_at TEXT
      );
      CREATE INDEX charge_till_locs_open ON charge_till_locs (account_id, loc_id) WHERE unlinked_at IS NULL;
    `);
  },
};
