import type { Db } from '../db';

/*
 * Rows the API keeps beside the charges engine's own (migration 0006): which app made a charge and under which
 * correlationID, its customer and payment link; refunds by their correlationID; static QR codes. The engine's
 * tables are only read here (to filter and count an app's charges), never written.
 */

export interface ApiChargeRow {
  app_id: string;
  correlation_id: string;
  charge_id: string | null;
  state: 'creating' | 'linked' | 'pending';
  comment: string | null;
  customer: string | null;
  additional_info: string | null;
  payment_link_id: string;
  created_at: string;
}

export interface ApiRefundRow {
  app_id: string;
  correlation_id: string;
  charge_id: string;
  refund_id: string | null;
  value: number;
  comment: string | null;
  created_at: string;
}

export interface ApiQrCodeRow {
  id: string;
  app_id: string;
  correlation_id: string;
  account_id: string;
  name: string;
  value: number | null;
  comment: string | null;
  txid: string;
  br_code: string;
  payment_link_id: string;
  created_at: string;
}

/** The engine's status values behind each OpenPix status filter. */
const STATUS_FILTER: Record<'ACTIVE' | 'COMPLETED' | 'EXPIRED', string[]> = {
  ACTIVE: ['creating', 'active', 'pending_confirmation'],
  COMPLETED: ['paid'],
  EXPIRED: ['expired', 'cancelled', 'failed'],
};

export interface ChargeListFilter {
  appId: string;
  start?: string | undefined;
  end?: string | undefined;
  status?: keyof typeof STATUS_FILTER | undefined;
  skip: number;
  limit: number;
}

/** Data access for the API's own tables; statements are prepared once (the GET route is the hot path). */
export class ApiStore {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      byCorrelation: db.prepare('SELECT * FROM api_charges WHERE app_id = ? AND correlation_id = ?'),
      byCharge: db.prepare('SELECT * FROM api_charges WHERE charge_id = ?'),
      byLink: db.prepare('SELECT * FROM api_charges WHERE payment_link_id = ?'),
      reserve: db.prepare(
        `INSERT INTO api_charges (app_id, correlation_id, state, comment, customer, additional_info, payment_link_id, created_at)
         VALUES (@app_id, @correlation_id, 'creating', @comment, @customer, @additional_info, @payment_link_id, @created_at)`,
      ),
      link: db.prepare("UPDATE api_charges SET charge_id = ?, state = 'linked' WHERE app_id = ? AND correlation_id = ?"),
      markPending: db.prepare("UPDATE api_charges SET state = 'pending' WHERE app_id = ? AND correlation_id = ?"),
      drop: db.prepare("DELETE FROM api_charges WHERE app_id = ? AND correlation_id = ? AND state = 'creating'"),
      refund: db.prepare('SELECT * FROM api_refunds WHERE app_id = ? AND correlation_id = ?'),
      refundsOfCharge: db.prepare('SELECT * FROM api_refunds WHERE charge_id = ?'),
    };
  }

  byCorrelation(appId: string, correlationId: string): ApiChargeRow | undefined {
    return this.s.byCorrelation.get(appId, correlationId) as ApiChargeRow | undefined;
  }

  byCharge(chargeId: string): ApiChargeRow | undefined {
    return this.s.byCharge.get(chargeId) as ApiChargeRow | undefined;
  }

  byPaymentLink(linkId: string): ApiChargeRow | undefined {
    return this.s.byLink.get(linkId) as ApiChargeRow | undefined;
  }

  /**
   * Claim a correlationID for an app before the bank is called. Returns false when it is taken: the primary key
   * (app_id, correlation_id) refuses the second insert even when two requests race.
   */
  reserve(r: Omit<ApiChargeRow, 'charge_id' | 'state'>): boolean {
    try {
      this.s.reserve.run(r);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) return false;
      throw e;
    }
  }

  link(appId: string, correlationId: string, chargeId: string): void {
    this.s.link.run(chargeId, appId, correlationId);
  }

  /** The engine kept a charge pending (bank unreachable): the correlationID stays taken, so no second charge is made. */
  markPending(appId: string, correlationId: string): void {
    this.s.markPending.run(appId, correlationId);
  }

  /** Free a correlationID whose charge was refused (nothing charged); `linked` also frees one already linked. */
  release(appId: string, correlationId: string, linked = false): void {
    if (linked) this.db.prepare("DELETE FROM api_charges WHERE app_id = ? AND correlation_id = ? AND state IN ('creating', 'linked')").run(appId, correlationId);
    else this.s.drop.run(appId, correlationId);
  }

  /** An app's charges, newest first, with OpenPix's skip/limit paging and the total. */
  list(f: ChargeListFilter): { rows: ApiChargeRow[]; total: number } {
    const where = ["a.app_id = @app", "a.state = 'linked'"];
    const params: Record<string, unknown> = { app: f.appId };
    if (f.start) {
      where.push('c.created_at >= @start');
      params.start = f.start;
    }
    if (f.end) {
      where.push('c.created_at <= @end');
      params.end = f.end;
    }
    if (f.status) {
      const st = STATUS_FILTER[f.status];
      where.push(`c.status IN (${st.map((_, i) => `@st${i}`).join(', ')})`);
      st.forEach((s, i) => (params[`st${i}`] = s));
    }
    const from = `FROM api_charges a JOIN charges c ON c.id = a.charge_id WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT count(*) AS n ${from}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT a.* ${from} ORDER BY c.created_at DESC, c.id DESC LIMIT @limit OFFSET @skip`).all({ ...params, limit: f.limit, skip: f.skip }) as ApiChargeRow[];
    return { rows, total };
  }

  // ---- refunds ----

  refund(appId: string, correlationId: string): ApiRefundRow | undefined {
    return this.s.refund.get(appId, correlationId) as ApiRefundRow | undefined;
  }

  refundsOfCharge(chargeId: string): ApiRefundRow[] {
    return this.s.refundsOfCharge.all(chargeId) as ApiRefundRow[];
  }

  reserveRefund(r: ApiRefundRow): boolean {
    try {
      this.db
        .prepare('INSERT INTO api_refunds (app_id, correlation_id, charge_id, refund_id, value, comment, created_at) VALUES (@app_id, @correlation_id, @charge_id, @refund_id, @value, @comment, @created_at)')
        .run(r);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) return false;
      throw e;
    }
  }

  linkRefund(appId: string, correlationId: string, refundId: string): void {
    this.db.prepare('UPDATE api_refunds SET refund_id = ? WHERE app_id = ? AND correlation_id = ?').run(refundId, appId, correlationId);
  }

  releaseRefund(appId: string, correlationId: string): void {
    this.db.prepare('DELETE FROM api_refunds WHERE app_id = ? AND correlation_id = ? AND refund_id IS NULL').run(appId, correlationId);
  }

  // ---- static QR codes ----

  insertQrCode(r: ApiQrCodeRow): boolean {
    try {
      this.db
        .prepare(
          `INSERT INTO api_qrcodes (id, app_id, correlation_id, account_id, name, value, comment, txid, br_code, payment_link_id, created_at)
           VALUES (@id, @app_id, @correlation_id, @account_id, @name, @value, @comment, @txid, @br_code, @payment_link_id, @created_at)`,
        )
        .run(r);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) return false;
      throw e;
    }
  }

  qrCode(appId: string, idOrCorrelation: string): ApiQrCodeRow | undefined {
    return this.db.prepare('SELECT * FROM api_qrcodes WHERE app_id = ? AND (id = ? OR correlation_id = ?)').get(appId, idOrCorrelation, idOrCorrelation) as ApiQrCodeRow | undefined;
  }

  qrCodeByLink(linkId: string): ApiQrCodeRow | undefined {
    return this.db.prepare('SELECT * FROM api_qrcodes WHERE payment_link_id = ?').get(linkId) as ApiQrCodeRow | undefined;
  }

  qrCodeByTxid(txid: string): ApiQrCodeRow | undefined {
    return this.db.prepare('SELECT * FROM api_qrcodes WHERE txid = ?').get(txid) as ApiQrCodeRow | undefined;
  }

  qrCodes(appId: string, skip: number, limit: number): { rows: ApiQrCodeRow[]; total: number } {
    const total = (this.db.prepare('SELECT count(*) AS n FROM api_qrcodes WHERE app_id = ?').get(appId) as { n: number }).n;
    const rows = this.db.prepare('SELECT * FROM api_qrcodes WHERE app_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?').all(appId, limit, skip) as ApiQrCodeRow[];
    return { rows, total };
  }
}

/** OpenPix's pageInfo for a skip/limit page. */
export function pageInfo(skip: number, limit: number, totalCount: number): { skip: number; limit: number; totalCount: number; hasPreviousPage: boolean; hasNextPage: boolean } {
  return { skip, limit, totalCount, hasPreviousPage: skip > 0, hasNextPage: skip + limit < totalCount };
}
