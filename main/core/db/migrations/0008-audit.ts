import type { Migration } from '..';

/**
 * 0008 (numbered by position in appMigrations): the audit log, append-only with a hash chain.
 *
 * Each entry holds the hash of the one before it (`prev_hash`) and its own hash over a canonical serialisation of
 * (seq, at, actor, action, subject, details, prev_hash) — see core/audit/chain.ts. Triggers refuse UPDATE and
 * DELETE and any INSERT that does not continue the chain at the next seq. `audit_head` keeps the chain head
 * (last seq and hash) a second time, sealed by the vault, so cutting the tail or rewriting the whole chain is
 * caught by `pixdesk audit verify` even by someone who dropped the triggers (they cannot seal a new head).
 */
export const m0008Audit: Migration = {
  version: 8,
  name: '0008-audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      );
      CREATE INDEX audit_by_action ON audit_log (action, seq);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;
      CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log
      WHEN new.seq <> coalesce((SELECT max(seq) FROM audit_log), 0) + 1
        OR new.prev_hash <> coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}')
      BEGIN
        SELECT RAISE(ABORT, 'audit_log entries must continue the chain');
      END;

      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        -- vault.seal('audit_head', 'head_enc', '1', '<seq>:<hash>'): only the profile's key can write a head that opens.
        head_enc BLOB NOT NULL
      );
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN
        SELECT RAISE(ABORT, 'audit_head cannot be deleted');
      END;
    `);
  },
};
