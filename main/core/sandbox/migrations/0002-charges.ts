import type { Migration } from '../../db';

/**
 * Pix API side: payload locations, charges (cob and cobv share one txid space per receiver, as BCB requires),
 * received Pix with the clients allowed to see them (no owner row = visible to every client: a payment to a static
 * key nobody charged with), refunds and webhook registrations. Times are epoch milliseconds.
 */
export const m0002Charges: Migration = {
  version: 2,
  name: '0002-charges',
  up(db) {
    db.exec(`
      CREATE TABLE locations (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid       TEXT NOT NULL UNIQUE,
        tipo_cob   TEXT NOT NULL CHECK (tipo_cob IN ('cob', 'cobv')),
        location   TEXT NOT NULL,
        created_ms INTEGER NOT NULL
      );
      CREATE TABLE charges (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id      TEXT NOT NULL REFERENCES clients(client_id),
        kind           TEXT NOT NULL CHECK (kind IN ('cob', 'cobv')),
        txid           TEXT NOT NULL,
        status         TEXT NOT NULL,
        revisao        INTEGER NOT NULL DEFAULT 0,
        created_ms     INTEGER NOT NULL,
        chave          TEXT NOT NULL,
        valor_original TEXT NOT NULL,
        body           TEXT NOT NULL,
        request_sha256 TEXT NOT NULL,
        loc_id         INTEGER NOT NULL REFERENCES locations(id),
        pix_copia_e_cola TEXT NOT NULL,
        UNIQUE (client_id, txid)
      );
      CREATE INDEX charges_client_created ON charges(client_id, created_ms);
      CREATE INDEX charges_chave ON charges(chave);
      CREATE TABLE pix (
        e2eid        TEXT PRIMARY KEY,
        charge_id    INTEGER REFERENCES charges(id),
        txid         TEXT,
        chave        TEXT NOT NULL,
        valor        TEXT NOT NULL,
        horario_ms   INTEGER NOT NULL,
        payer_name   TEXT,
        info_pagador TEXT
      );
      CREATE INDEX pix_horario ON pix(horario_ms);
      CREATE INDEX pix_charge ON pix(charge_id);
      CREATE TABLE pix_owners (
        e2eid     TEXT NOT NULL REFERENCES pix(e2eid),
        client_id TEXT NOT NULL,
        PRIMARY KEY (e2eid, client_id)
      );
      CREATE TABLE refunds (
        e2eid        TEXT NOT NULL REFERENCES pix(e2eid),
        id           TEXT NOT NULL,
        rtr_id       TEXT NOT NULL UNIQUE,
        valor        TEXT NOT NULL,
        natureza     TEXT NOT NULL DEFAULT 'ORIGINAL',
        descricao    TEXT,
        status       TEXT NOT NULL CHECK (status IN ('EM_PROCESSAMENTO', 'DEVOLVIDO', 'NAO_REALIZADO')),
        requested_ms INTEGER NOT NULL,
        settle_ms    INTEGER NOT NULL,
        settled_ms   INTEGER,
        PRIMARY KEY (e2eid, id)
      );
      CREATE TABLE webhooks (
        client_id  TEXT NOT NULL,
        chave      TEXT NOT NULL,
        url        TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (client_id, chave)
      );
    `);
  },
};
