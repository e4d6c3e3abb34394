import crypto from 'node:crypto';
import type { Db } from '../db';
import type { ChargeKind, LocationRecord, Page } from './charge-store';

interface LocationRow {
  id: number;
  uuid: string;
  location: string;
  tipo_cob: ChargeKind;
  created_ms: number;
  client_id: string | null;
  charge_id: number | null;
  txid: string | null;
}

const SELECT = `SELECT l.id, l.uuid, l.location, l.tipo_cob, l.created_ms, l.client_id, l.charge_id, c.txid
  FROM locations l LEFT JOIN charges c ON c.id = l.charge_id`;

function toLocation(r: LocationRow): LocationRecord {
  return {
    id: r.id,
    uuid: r.uuid,
    location: r.location,
    tipoCob: r.tipo_cob,
    createdMs: r.created_ms,
    clientId: r.client_id,
    chargeId: r.charge_id,
    txid: r.txid,
  };
}

/**
 * Payload locations of the Pix API (`/loc`): created alone (`POST /loc`) or with a charge, bound to at most one
 * charge at a time, unlinked by `DELETE /loc/{id}/txid` so the same printed QR can serve the next charge.
 */
export class LocationStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** A new free location of `tipoCob` for a client; `host` is `host:port` (no scheme). */
  create(clientId: string, tipoCob: ChargeKind, host: string): LocationRecord {
    const uuid = crypto.randomUUID();
    const location = `${host}/qr/v2/${tipoCob === 'cobv' ? 'cobv/' : ''}${uuid}`;
    const id = this.db
      .prepare('INSERT INTO locations (uuid, tipo_cob, location, created_ms, client_id) VALUES (?, ?, ?, ?, ?)')
      .run(uuid, tipoCob, location, this.now().getTime(), clientId).lastInsertRowid;
    return this.byId(Number(id))!;
  }

  private byId(id: number): LocationRecord | null {
    const r = this.db.prepare(`${SELECT} WHERE l.id = ?`).get(id) as LocationRow | undefined;
    return r ? toLocation(r) : null;
  }

  /** A client's location by numeric id (another client's is "not found"). */
  get(clientId: string, id: number): LocationRecord | null {
    const l = this.byId(id);
    return l && l.clientId === clientId ? l : null;
  }

  /** A location by the UUID at the end of its URL, whoever owns it (what a payer's app resolves). */
  getByUuid(uuid: string): LocationRecord | null {
    const r = this.db.prepare(`${SELECT} WHERE l.uuid = ?`).get(uuid.toLowerCase()) as LocationRow | undefined;
    return r ? toLocation(r) : null;
  }

  /** Locations created in [fromMs, toMs], oldest first. */
  list(q: { clientId: string; fromMs: number; toMs: number; txIdPresente?: boolean; tipoCob?: ChargeKind; page: number; size: number }): Page<LocationRecord> {
    const conds = ['l.client_id = @client', 'l.created_ms BETWEEN @from AND @to'];
    if (q.txIdPresente !== undefined) conds.push(q.txIdPresente ? 'l.charge_id IS NOT NULL' : 'l.charge_id IS NULL');
    if (q.tipoCob) conds.push('l.tipo_cob = @tipo');
    const where = conds.join(' AND ');
    const params = { client: q.clientId, from: q.fromMs, to: q.toMs, tipo: q.tipoCob ?? null, limit: q.size, offset: q.page * q.size };
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM locations l WHERE ${where}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`${SELECT} WHERE ${where} ORDER BY l.created_ms, l.id LIMIT @limit OFFSET @offset`).all(params) as LocationRow[];
    return { total, items: rows.map(toLocation) };
  }

  /** Unlink the charge bound to a client's location (idempotent). Returns the location, or null when not found. */
  unlink(clientId: string, id: number): LocationRecord | null {
    const l = this.get(clientId, id);
    if (!l) return null;
    this.db.prepare('UPDATE locations SET charge_id = NULL WHERE id = ?').run(id);
    return this.byId(id);
  }
}
