import type { Migration } from '..';

/**
 * 0002: Itaú accounts, their immutable certificate versions and resumable onboarding sessions.
 * Secret columns (`*_enc`) hold vault ciphertexts bound to their table, column and row.
 */
export const m0002Accounts: Migration = {
  version: 2,
  name: '0002-accounts',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
        client_id TEXT NOT NULL,
        company TEXT NOT NULL,
        city TEXT NOT NULL,
        state TEXT NOT NULL,
        sts_url TEXT,
        pix_url TEXT,
        extra_ca_pem TEXT,
        renewal_path TEXT NOT NULL DEFAULT 'v1' CHECK (renewal_path IN ('v1', 'v2')),
        pix_keys TEXT NOT NULL DEFAULT '[]',
        is_default INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        client_secret_enc BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (client_id, environment)
      );
      CREATE TABLE certificates (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        version INTEGER NOT NULL,
        cert_pem TEXT NOT NULL,
        private_key_enc BLOB NOT NULL,
        subject TEXT NOT NULL,
        serial TEXT NOT NULL,
        fingerprint256 TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('onboarding', 'renewal')),
        created_at TEXT NOT NULL,
        UNIQUE (account_id, version)
      );
      -- A stored certificate version is never edited or removed: renewal adds a new version.
      CREATE TRIGGER certificates_immutable BEFORE UPDATE ON certificates
        BEGIN SELECT RAISE(ABORT, 'certificate versions are immutable'); END;
      CREATE TRIGGER certificates_keep BEFORE DELETE ON certificates
        BEGIN SELECT RAISE(ABORT, 'certificate versions are never deleted'); END;
      CREATE TABLE onboarding_sessions (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        token_enc BLOB NOT NULL,
        token_sha256 TEXT NOT NULL,
        token_expires_at TEXT NOT NULL,
        expiry_source TEXT NOT NULL,
        source_json TEXT NOT NULL,
        form_json TEXT,
        key_enc BLOB,
        csr_pem TEXT,
        response_enc BLOB,
        step TEXT NOT NULL CHECK (step IN ('imported', 'prepared', 'requesting', 'response_stored', 'account_created', 'done', 'failed', 'discarded')),
        account_id TEXT REFERENCES accounts(id),
        error_code TEXT,
        error_message TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX onboarding_open ON onboarding_sessions (step) WHERE step NOT IN ('done', 'discarded');
      CREATE TABLE renewal_state (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id),
        last_attempt_at TEXT,
        last_success_at TEXT,
        last_error_code TEXT,
        last_error_message TEXT
      );
    `);
  },
};
