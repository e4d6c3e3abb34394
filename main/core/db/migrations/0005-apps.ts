import type { Migration } from '..';

/**
 * 0005: API apps and the local OpenPix-compatible API.
 *
 * - `api_apps`: one row per app; the AppID's secret is stored only as an HMAC-SHA256 under a key sealed in the vault
 *   (`api_keys`), so a copy of the database alone cannot be turned back into a working AppID.
 * - `api_charges` / `api_refunds` / `api_qrcodes`: what the API adds to a charge of the engine (correlationID,
 *   customer, payment link). UNIQUE (app_id, correlation_id) is what makes a second charge for the same
 *   correlationID impossible, even with two requests racing.
 * - `api_webhooks`, `webhook_keys`, `webhook_deliveries`, `webhook_attempts`: signed webhooks with a durable queue
 *   (a delivery row is written before anything is sent; workers claim rows in a transaction).
 */
export const m0005Apps: Migration = {
  version: 5,
  name: '0005-apps',
  up(db) {
    db.exec(`
      CREATE TABLE api_keys (
        name TEXT PRIMARY KEY,
        sealed BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE api_apps (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('REST_API', 'PLUGIN', 'POS')),
        account_id TEXT REFERENCES accounts(id),
        scopes TEXT NOT NULL DEFAULT '[]',
        allowed_ips TEXT NOT NULL DEFAULT '[]',
        rate_limit_per_min INTEGER NOT NULL DEFAULT 600 CHECK (rate_limit_per_min > 0),
        client_id TEXT NOT NULL UNIQUE,
        secret_hash BLOB NOT NULL,
        secret_version INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
        request_count INTEGER NOT NULL DEFAULT 0,
        last_used_at TEXT,
        last_used_ip TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE api_app_audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        app_id TEXT NOT NULL REFERENCES api_apps(id),
        action TEXT NOT NULL,
        at TEXT NOT NULL,
        detail TEXT
      );
      CREATE TABLE api_charges (
        app_id TEXT NOT NULL REFERENCES api_apps(id),
        correlation_id TEXT NOT NULL,
        charge_id TEXT UNIQUE REFERENCES charges(id),
        state TEXT NOT NULL DEFAULT 'creating' CHECK (state IN ('creating', 'linked', 'pending')),
        comment TEXT,
        customer TEXT,
        additional_info TEXT,
        payment_link_id TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (app_id, correlation_id)
      );
      CREATE INDEX api_charges_by_app_created ON api_charges (app_id, created_at);
      CREATE TABLE api_refunds (
        app_id TEXT NOT NULL REFERENCES api_apps(id),
        correlation_id TEXT NOT NULL,
        charge_id TEXT NOT NULL REFERENCES charges(id),
        refund_id TEXT REFERENCES refunds(id),
        value INTEGER NOT NULL,
        comment TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (app_id, correlation_id)
      );
      CREATE TABLE api_qrcodes (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES api_apps(id),
        correlation_id TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL,
        value INTEGER,
        comment TEXT,
        txid TEXT NOT NULL,
        br_code TEXT NOT NULL,
        payment_link_id TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        UNIQUE (app_id, correlation_id)
      );
      CREATE INDEX api_qrcodes_by_txid ON api_qrcodes (txid);
      CREATE TABLE api_webhooks (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES api_apps(id),
        name TEXT NOT NULL,
        event TEXT NOT NULL,
        url TEXT NOT NULL,
        authorization TEXT,
        secret_enc BLOB NOT NULL,
        is_active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX api_webhooks_by_app ON api_webhooks (app_id, event);
      CREATE TABLE webhook_keys (
        key_identifier TEXT PRIMARY KEY,
        public_pem TEXT NOT NULL,
        private_enc BLOB NOT NULL,
        is_current INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL REFERENCES api_webhooks(id),
        event TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        claimed_until INTEGER,
        last_status INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        -- One delivery per webhook and event occurrence, however many times the event is seen.
        dedupe_key TEXT NOT NULL,
        UNIQUE (webhook_id, dedupe_key)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
      CREATE TABLE webhook_attempts (
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        status_code INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      );
    `);
  },
};
