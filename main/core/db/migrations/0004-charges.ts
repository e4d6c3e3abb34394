import type { Migration } from '..';

/**
 * 0004: charges (dynamic cob and offline static codes), the Pix the bank reports as received, their refunds and
 * the reconciliation cursor of each account. Amounts are integer cents everywhere.
 *
 * The list screens page by keyset on (created_at, id) under every filter, so each filter column leads an index
 * that ends in (created_at, id). Text search over payer and description uses FTS5 tables kept in step by triggers.
 */
export const m0004Charges: Migration = {
  version: 4,
  name: '0004-charges',
  up(db) {
    db.exec(`
      CREATE TABLE charges (
        id TEXT PRIMARY KEY,
        txid TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        till TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('dynamic', 'static')),
        status TEXT NOT NULL CHECK (status IN ('creating', 'active', 'pending_confirmation', 'paid', 'expired', 'cancelled', 'failed')),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 999999999999),
        description TEXT,
        pix_key TEXT NOT NULL,
        expires_in INTEGER NOT NULL CHECK (expires_in > 0),
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        paid_at TEXT,
        paid_cents INTEGER,
        e2eid TEXT,
        payer_name TEXT,
        payer_doc_masked TEXT,
        br_code TEXT,
        location TEXT,
        bank_status TEXT,
        bank_revision INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error TEXT,
        -- A dynamic charge given up (offline fallback) that the bank may still hold: cancel it there when reachable.
        cancel_at_bank INTEGER NOT NULL DEFAULT 0,
        replaced_by TEXT REFERENCES charges(id)
      );
      CREATE INDEX charges_by_created ON charges (created_at, id);
      CREATE INDEX charges_by_status ON charges (status, created_at, id);
      CREATE INDEX charges_by_account ON charges (account_id, created_at, id);
      CREATE INDEX charges_by_account_status ON charges (account_id, status, created_at, id);
      CREATE INDEX charges_by_till ON charges (till, created_at, id);
      CREATE INDEX charges_by_amount ON charges (amount_cents, created_at, id);
      CREATE INDEX charges_by_e2eid ON charges (e2eid) WHERE e2eid IS NOT NULL;
      CREATE INDEX charges_open ON charges (status, expires_at) WHERE status IN ('creating', 'active', 'pending_confirmation');
      CREATE INDEX charges_to_cancel ON charges (cancel_at_bank) WHERE cancel_at_bank = 1;

      CREATE TABLE received_pix (
        e2eid TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        charge_id TEXT REFERENCES charges(id),
        txid TEXT,
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        pix_key TEXT,
        received_at TEXT NOT NULL,
        payer_name TEXT,
        payer_doc_masked TEXT,
        payer_message TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX received_pix_by_account ON received_pix (account_id, received_at, e2eid);
      CREATE INDEX received_pix_by_time ON received_pix (received_at, e2eid);
      CREATE INDEX received_pix_by_txid ON received_pix (txid) WHERE txid IS NOT NULL;
      CREATE INDEX received_pix_by_charge ON received_pix (charge_id) WHERE charge_id IS NOT NULL;
      CREATE INDEX received_pix_by_amount ON received_pix (amount_cents);

      CREATE TABLE refunds (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 35),
        e2eid TEXT NOT NULL REFERENCES received_pix(e2eid),
        charge_id TEXT REFERENCES charges(id),
        account_id TEXT NOT NULL REFERENCES accounts(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        status TEXT NOT NULL CHECK (status IN ('EM_PROCESSAMENTO', 'DEVOLVIDO', 'NAO_REALIZADO')),
        -- 0 until the bank acknowledged the PUT (the request may have been lost: it is resent with the same id).
        bank_confirmed INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        bank_reason TEXT,
        rtr_id TEXT,
        requested_at TEXT NOT NULL,
        settled_at TEXT,
        updated_at TEXT NOT NULL,
        last_error TEXT
      );
      CREATE INDEX refunds_by_e2eid ON refunds (e2eid);
      CREATE INDEX refunds_by_charge ON refunds (charge_id) WHERE charge_id IS NOT NULL;
      CREATE INDEX refunds_open ON refunds (status) WHERE status = 'EM_PROCESSAMENTO';

      CREATE TABLE reconciliation_cursor (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id),
        -- Every Pix up to this instant has been read from GET /pix (the next window starts a little before it).
        confirmed_until TEXT NOT NULL,
        -- Whether this bank writes Brasília wall-clock times with a 'Z' (1), real UTC (0), or not yet known (NULL).
        zulu_is_local INTEGER,
        last_run_at TEXT,
        last_error TEXT
      );

      CREATE VIRTUAL TABLE charges_fts USING fts5(description, payer_name, content='charges', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER charges_fts_ai AFTER INSERT ON charges BEGIN
        INSERT INTO charges_fts (rowid, description, payer_name) VALUES (new.rowid, new.description, new.payer_name);
      END;
      CREATE TRIGGER charges_fts_ad AFTER DELETE ON charges BEGIN
        INSERT INTO charges_fts (charges_fts, rowid, description, payer_name) VALUES ('delete', old.rowid, old.description, old.payer_name);
      END;
      CREATE TRIGGER charges_fts_au AFTER UPDATE OF description, payer_name ON charges BEGIN
        INSERT INTO charges_fts (charges_fts, rowid, description, payer_name) VALUES ('delete', old.rowid, old.description, old.payer_name);
        INSERT INTO charges_fts (rowid, description, payer_name) VALUES (new.rowid, new.description, new.payer_name);
      END;

      CREATE VIRTUAL TABLE received_pix_fts USING fts5(payer_name, payer_message, content='received_pix', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER received_pix_fts_ai AFTER INSERT ON received_pix BEGIN
        INSERT INTO received_pix_fts (rowid, payer_name, payer_message) VALUES (new.rowid, new.payer_name, new.payer_message);
      END;
      CREATE TRIGGER received_pix_fts_ad AFTER DELETE ON received_pix BEGIN
        INSERT INTO received_pix_fts (received_pix_fts, rowid, payer_name, payer_message) VALUES ('delete', old.rowid, old.payer_name, old.payer_message);
      END;
      CREATE TRIGGER received_pix_fts_au AFTER UPDATE OF payer_name, payer_message ON received_pix BEGIN
        INSERT INTO received_pix_fts (received_pix_fts, rowid, payer_name, payer_message) VALUES ('delete', old.rowid, old.payer_name, old.payer_message);
        INSERT INTO received_pix_fts (rowid, payer_name, payer_message) VALUES (new.rowid, new.payer_name, new.payer_message);
      END;
    `);
  },
};
