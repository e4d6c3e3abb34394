import type { Migration } from '../../db';

/**
 * What the charges engine needs from the sandbox:
 * - `pix_keys`: the Pix keys registered for each Client ID (a key belongs to one account, as in the DICT), so a cob
 *   on a key the caller does not own is refused like a bank does;
 * - `token_requests`: how many `/api/oauth/token` requests each Client ID made (benchmarks count them);
 * - locations become first-class (`POST /loc`): their owner and the charge bound to them right now (`charge_id`,
 *   NULL when free), so `DELETE /loc/{id}/txid` can unlink a charge and the location be reused;
 * - refunds get their planned outcome (`outcome`, NAO_REALIZADO on demand) and `motivo`;
 * - received Pix carry the payer's CPF or CNPJ.
 */
export const m0003KeysLocations: Migration = {
  version: 3,
  name: '0003-keys-locations',
  up(db) {
    db.exec(`
      CREATE TABLE pix_keys (
        chave      TEXT PRIMARY KEY,
        client_id  TEXT NOT NULL,
        created_ms INTEGER NOT NULL
      );
      CREATE INDEX pix_keys_client ON pix_keys(client_id);
      CREATE TABLE token_requests (
        client_id TEXT PRIMARY KEY,
        count     INTEGER NOT NULL DEFAULT 0,
        last_ms   INTEGER NOT NULL
      );
      ALTER TABLE locations ADD COLUMN client_id TEXT;
      ALTER TABLE locations ADD COLUMN charge_id INTEGER REFERENCES charges(id);
      UPDATE locations SET
        client_id = (SELECT c.client_id FROM charges c WHERE c.loc_id = locations.id),
        charge_id = (SELECT c.id FROM charges c WHERE c.loc_id = locations.id);
      CREATE UNIQUE INDEX locations_charge ON locations(charge_id) WHERE charge_id IS NOT NULL;
      CREATE INDEX locations_client_created ON locations(client_id, created_ms);
      CREATE INDEX charges_client_kind_created ON charges(client_id, kind, created_ms);
      ALTER TABLE refunds ADD COLUMN outcome TEXT NOT NULL DEFAULT 'DEVOLVIDO' CHECK (outcome IN ('DEVOLVIDO', 'NAO_REALIZADO'));
      ALTER TABLE refunds ADD COLUMN motivo TEXT;
      ALTER TABLE pix ADD COLUMN payer_cpf TEXT;
      ALTER TABLE pix ADD COLUMN payer_cnpj TEXT;
    `);
  },
};
