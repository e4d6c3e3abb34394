import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import { AppError } from '../errors';

/*
 * SQLite rows of charges, received Pix, refunds and the reconciliation cursor (migration 0004). Plain data in and
 * out; the state machine lives in ChargeService.
 */

export type ChargeKind = 'dynamic' | 'static';
export type ChargeStatus = 'creating' | 'active' | 'pending_confirmation' | 'paid' | 'expired' | 'cancelled' | 'failed';
export type RefundStatus = 'EM_PROCESSAMENTO' | 'DEVOLVIDO' | 'NAO_REALIZADO';

/** States in which a charge can still be paid (and is watched, reconciled, expired). */
export const OPEN_STATES: readonly ChargeStatus[] = ['creating', 'active', 'pending_confirmation'];

export interface ChargeRow {
  id: string;
  txid: string;
  account_id: string;
  till: string | null;
  kind: ChargeKind;
  status: ChargeStatus;
  amount_cents: number;
  description: string | null;
  pix_key: string;
  expires_in: number;
  expires_at: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  paid_cents: number | null;
  e2eid: string | null;
  payer_name: string | null;
  payer_doc_masked: string | null;
  br_code: string | null;
  location: string | null;
  bank_status: string | null;
  bank_revision: number | null;
  attempts: number;
  last_error_code: string | null;
  last_error: string | null;
  cancel_at_bank: number;
  replaced_by: string | null;
}

export interface ReceivedPixRow {
  e2eid: string;
  account_id: string;
  charge_id: string | null;
  txid: string | null;
  amount_cents: number;
  pix_key: string | null;
  received_at: string;
  payer_name: string | null;
  payer_doc_masked: string | null;
  payer_message: string | null;
  created_at: string;
}

export interface RefundRow {
  id: string;
  e2eid: string;
  charge_id: string | null;
  account_id: string;
  amount_cents: number;
  status: RefundStatus;
  bank_confirmed: number;
  reason: string | null;
  bank_reason: string | null;
  rtr_id: string | null;
  requested_at: string;
  settled_at: string | null;
  updated_at: string;
  last_error: string | null;
}

export interface CursorRow {
  account_id: string;
  confirmed_until: string;
  zulu_is_local: number | null;
  last_run_at: string | null;
  last_error: string | null;
}

/** A keyset position on (created_at, id), opaque to callers. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  throw new AppError('INVALID_CURSOR', 'Posição de página inválida. Volte para a primeira página da lista.');
}

/** FTS5 query from free text: each word a quoted prefix term, so no FTS syntax can be injected. */
function ftsQuery(text: string): string | null {
  const words = text.normalize('NFKC').split(/\s+/).map((w) => w.replace(/"/g, '')).filter((w) => w.length > 0).slice(0, 8);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** A page of `limit` rows out of `limit + 1` fetched: the extra row only says there is a next page. */
function keysetPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): { rows: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { rows, nextCursor: more && last !== undefined ? cursorOf(last) : null };
}

export interface ListFilter {
  status?: ChargeStatus | undefined;
  accountId?: string | undefined;
  till?: string | undefined;
  text?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Data access for the charges engine. */
export class ChargeStore {
  /** Prepared statements by SQL text (a bounded set: list() has a few filter combinations). */
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  /** The prepared statement for `sql`, prepared once: reconciliation runs these per received Pix. */
  private q(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** Store a new charge; `createdBy` is the person who made it (null: the CLI, the local API, before people existed). */
  insertCharge(r: Omit<ChargeRow, 'attempts' | 'cancel_at_bank' | 'replaced_by'> & Partial<Pick<ChargeRow, 'attempts'>>, createdBy: string | null = null): void {
    this.db
      .prepare(
        `INSERT INTO charges (id, txid, account_id, till, kind, status, amount_cents, description, pix_key, expires_in, expires_at,
           created_at, updated_at, paid_at, paid_cents, e2eid, payer_name, payer_doc_masked, br_code, location, bank_status,
           bank_revision, attempts, last_error_code, last_error, created_by)
         VALUES (@id, @txid, @account_id, @till, @kind, @status, @amount_cents, @description, @pix_key, @expires_in, @expires_at,
           @created_at, @updated_at, @paid_at, @paid_cents, @e2eid, @payer_name, @payer_doc_masked, @br_code, @location, @bank_status,
           @bank_revision, @attempts, @last_error_code, @last_error, @created_by)`,
      )
      .run({ attempts: 0, ...r, created_by: createdBy });
  }

  /** Change some columns of a charge (updated_at is set by the caller's clock). */
  updateCharge(id: string, fields: Partial<Omit<ChargeRow, 'id'>>): void {
    const keys = Object.keys(fields);
    if (!keys.length) return;
    this.q(`UPDATE charges SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
  }

  getCharge(id: string): ChargeRow | undefined {
    return this.q('SELECT * FROM charges WHERE id = ?').get(id) as ChargeRow | undefined;
  }

  byTxid(accountId: string, txid: string): ChargeRow | undefined {
    return this.q('SELECT * FROM charges WHERE txid = ? AND account_id = ?').get(txid, accountId) as ChargeRow | undefined;
  }

  /** Charges in one of `states`, oldest first. */
  inStates(states: readonly ChargeStatus[], accountId?: string): ChargeRow[] {
    const marks = states.map(() => '?').join(', ');
    const sql = `SELECT * FROM charges WHERE status IN (${marks}) ${accountId ? 'AND account_id = ?' : ''} ORDER BY created_at, id`;
    return this.q(sql).all(...states, ...(accountId ? [accountId] : [])) as ChargeRow[];
  }

  /** Dynamic charges given up locally that the bank may still hold as ATIVA. */
  toCancelAtBank(): ChargeRow[] {
    return this.q('SELECT * FROM charges WHERE cancel_at_bank = 1 ORDER BY created_at').all() as ChargeRow[];
  }

  /** Newest first, keyset-paginated on (created_at, id): the page after `cursor`, never OFFSET. */
  list(f: ListFilter): { rows: ChargeRow[]; nextCursor: string | null } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: f.limit + 1 };
    if (f.status) {
      where.push('status = @status');
      params.status = f.status;
    }
    if (f.accountId) {
      where.push('account_id = @account');
      params.account = f.accountId;
    }
    if (f.till) {
      where.push('till = @till');
      params.till = f.till;
    }
    const q = f.text ? ftsQuery(f.text) : null;
    if (q) {
      where.push('rowid IN (SELECT rowid FROM charges_fts WHERE charges_fts MATCH @q)');
      params.q = q;
    }
    if (f.cursor) {
      const [at, id] = decodeCursor(f.cursor);
      where.push('(created_at, id) < (@at, @cid)');
      Object.assign(params, { at, cid: id });
    }
    const sql = `SELECT * FROM charges ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    return keysetPage(this.q(sql).all(params) as ChargeRow[], f.limit, (r) => encodeCursor(r.created_at, r.id));
  }

  // ---- received Pix ----

  getPix(e2eid: string): ReceivedPixRow | undefined {
    return this.q('SELECT * FROM received_pix WHERE e2eid = ?').get(e2eid) as ReceivedPixRow | undefined;
  }

  /** Store a received Pix once (the e2eid is unique); returns true when it was new. */
  insertPix(r: ReceivedPixRow): boolean {
    const res = this.db
      .prepare(
        `INSERT OR IGNORE INTO received_pix (e2eid, account_id, charge_id, txid, amount_cents, pix_key, received_at, payer_name,
           payer_doc_masked, payer_message, created_at)
         VALUES (@e2eid, @account_id, @charge_id, @txid, @amount_cents, @pix_key, @received_at, @payer_name, @payer_doc_masked,
           @payer_message, @created_at)`,
      )
      .run(r);
    return res.changes === 1;
  }

  linkPix(e2eid: string, chargeId: string): void {
    this.q('UPDATE received_pix SET charge_id = ? WHERE e2eid = ? AND charge_id IS NULL').run(chargeId, e2eid);
  }

  pixOfCharge(chargeId: string): ReceivedPixRow[] {
    return this.q('SELECT * FROM received_pix WHERE charge_id = ? ORDER BY received_at').all(chargeId) as ReceivedPixRow[];
  }

  /** Received Pix, newest first, keyset-paginated on (received_at, e2eid). */
  listPix(f: { accountId?: string | undefined; unmatchedOnly?: boolean | undefined; text?: string | undefined; cursor?: string | undefined; limit: number }): {
    rows: ReceivedPixRow[];
    nextCursor: string | null;
  } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: f.limit + 1 };
    if (f.accountId) {
      where.push('account_id = @account');
      params.account = f.accountId;
    }
    if (f.unmatchedOnly) where.push('charge_id IS NULL');
    const q = f.text ? ftsQuery(f.text) : null;
    if (q) {
      where.push('rowid IN (SELECT rowid FROM received_pix_fts WHERE received_pix_fts MATCH @q)');
      params.q = q;
    }
    if (f.cursor) {
      const [at, id] = decodeCursor(f.cursor);
      where.push('(received_at, e2eid) < (@at, @cid)');
      Object.assign(params, { at, cid: id });
    }
    const sql = `SELECT * FROM received_pix ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, e2eid DESC LIMIT @limit`;
    return keysetPage(this.q(sql).all(params) as ReceivedPixRow[], f.limit, (r) => encodeCursor(r.received_at, r.e2eid));
  }

  // ---- refunds ----

  getRefund(id: string): RefundRow | undefined {
    return this.q('SELECT * FROM refunds WHERE id = ?').get(id) as RefundRow | undefined;
  }

  refundsOfPix(e2eid: string): RefundRow[] {
    return this.q('SELECT * FROM refunds WHERE e2eid = ? ORDER BY requested_at, id').all(e2eid) as RefundRow[];
  }

  refundsOfCharge(chargeId: string): RefundRow[] {
    return this.q('SELECT * FROM refunds WHERE charge_id = ? ORDER BY requested_at, id').all(chargeId) as RefundRow[];
  }

  /** Cents of a Pix already refunded or on the way (a refused refund frees its amount again). */
  committedRefundCents(e2eid: string): number {
    const r = this.q("SELECT coalesce(sum(amount_cents), 0) AS n FROM refunds WHERE e2eid = ? AND status != 'NAO_REALIZADO'").get(e2eid) as { n: number };
    return r.n;
  }

  insertRefund(r: RefundRow): void {
    this.db
      .prepare(
        `INSERT INTO refunds (id, e2eid, charge_id, account_id, amount_cents, status, bank_confirmed, reason, bank_reason, rtr_id,
           requested_at, settled_at, updated_at, last_error)
         VALUES (@id, @e2eid, @charge_id, @account_id, @amount_cents, @status, @bank_confirmed, @reason, @bank_reason, @rtr_id,
           @requested_at, @settled_at, @updated_at, @last_error)`,
      )
      .run(r);
  }

  updateRefund(id: string, fields: Partial<Omit<RefundRow, 'id'>>): void {
    const keys = Object.keys(fields);
    if (!keys.length) return;
    this.q(`UPDATE refunds SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
  }

  openRefunds(): RefundRow[] {
    return this.q("SELECT * FROM refunds WHERE status = 'EM_PROCESSAMENTO' ORDER BY requested_at").all() as RefundRow[];
  }

  // ---- reconciliation cursor ----

  cursor(accountId: string): CursorRow | undefined {
    return this.q('SELECT * FROM reconciliation_cursor WHERE account_id = ?').get(accountId) as CursorRow | undefined;
  }

  saveCursor(r: CursorRow): void {
    this.db
      .prepare(
        `INSERT INTO reconciliation_cursor (account_id, confirmed_until, zulu_is_local, last_run_at, last_error)
         VALUES (@account_id, @confirmed_until, @zulu_is_local, @last_run_at, @last_error)
         ON CONFLICT(account_id) DO UPDATE SET confirmed_until = excluded.confirmed_until, zulu_is_local = excluded.zulu_is_local,
           last_run_at = excluded.last_run_at, last_error = excluded.last_error`,
      )
      .run(r);
  }
}
