import type { Migration } from '../../db';

/**
 * STS side of the sandbox: the clients Itaú would know (Client ID + hashed secret + the merchant data taken from
 * the certificate subject), the temporary tokens handed out (single use: `used_at`), and every certificate the
 * sandbox CA signed (looked up by SHA-256 fingerprint on each mTLS request). Times are epoch milliseconds.
 */
export const m0001Init: Migration = {
  version: 1,
  name: '0001-init',
  up(db) {
    db.exec(`
      CREATE TABLE clients (
        client_id     TEXT PRIMARY KEY,
        created_ms    INTEGER NOT NULL,
        secret_sha256 TEXT,
        secret_set_ms INTEGER,
        merchant_name TEXT,
        merchant_city TEXT,
        merchant_uf   TEXT
      );
      CREATE TABLE temp_tokens (
        jti        TEXT PRIMARY KEY,
        client_id  TEXT NOT NULL REFERENCES clients(client_id),
        issued_ms  INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        used_ms    INTEGER
      );
      CREATE INDEX temp_tokens_client ON temp_tokens(client_id);
      CREATE TABLE certificates (
        serial         TEXT PRIMARY KEY,
        fingerprint256 TEXT NOT NULL UNIQUE,
        client_id      TEXT NOT NULL REFERENCES clients(client_id),
        subject        TEXT NOT NULL,
        not_before_ms  INTEGER NOT NULL,
        not_after_ms   INTEGER NOT NULL,
        issued_ms      INTEGER NOT NULL,
        via            TEXT NOT NULL CHECK (via IN ('solicitacao', 'renovacao')),
        revoked_ms     INTEGER
      );
      CREATE INDEX certificates_client ON certificates(client_id);
    `);
  },
};
