import crypto from 'node:crypto';
import type { Db } from '../db';

/** `cob` (immediate) or `cobv` (with due date). */
export type ChargeKind = 'cob' | 'cobv';
export type ChargeStatus = 'ATIVA' | 'CONCLUIDA' | 'REMOVIDA_PELO_USUARIO_RECEBEDOR' | 'REMOVIDA_PELO_PSP';

/** Pessoa física or jurídica, as the API receives it (already validated). */
export interface Pessoa {
  cpf?: string;
  cnpj?: string;
  nome?: string;
  [extra: string]: unknown;
}

/** The client-supplied part of a charge, normalised (defaults applied), as stored and echoed back. */
export interface ChargeBody {
  calendario: { expiracao?: number; dataDeVencimento?: string; validadeAposVencimento?: number };
  devedor?: Pessoa;
  valor: { original: string; modalidadeAlteracao?: number; [extra: string]: unknown };
  chave: string;
  solicitacaoPagador?: string;
  infoAdicionais?: { nome: string; valor: string }[];
}

export interface LocationRecord {
  id: number;
  uuid: string;
  location: string;
  tipoCob: ChargeKind;
  createdMs: number;
}

export interface ChargeRecord {
  id: number;
  clientId: string;
  kind: ChargeKind;
  txid: string;
  status: ChargeStatus;
  revisao: number;
  createdMs: number;
  body: ChargeBody;
  requestSha256: string;
  loc: LocationRecord;
  pixCopiaECola: string;
}

export interface PixRecord {
  e2eid: string;
  chargeId: number | null;
  txid: string | null;
  chave: string;
  valor: string;
  horarioMs: number;
  payerName: string | null;
  infoPagador: string | null;
}

export interface RefundRecord {
  e2eid: string;
  id: string;
  rtrId: string;
  valor: string;
  natureza: string;
  descricao: string | null;
  status: 'EM_PROCESSAMENTO' | 'DEVOLVIDO' | 'NAO_REALIZADO';
  requestedMs: number;
  settleMs: number;
  settledMs: number | null;
}

export interface WebhookRecord {
  chave: string;
  url: string;
  createdMs: number;
}

/** A page of results plus the total, for `parametros.paginacao`. */
export interface Page<T> {
  total: number;
  items: T[];
}

interface ChargeRow {
  id: number;
  client_id: string;
  kind: ChargeKind;
  txid: string;
  status: ChargeStatus;
  revisao: number;
  created_ms: number;
  body: string;
  request_sha256: string;
  pix_copia_e_cola: string;
  loc_id: number;
  loc_uuid: string;
  loc_location: string;
  loc_tipo: ChargeKind;
  loc_created_ms: number;
}

const CHARGE_SELECT = `
  SELECT c.id, c.client_id, c.kind, c.txid, c.status, c.revisao, c.created_ms, c.body, c.request_sha256,
         c.pix_copia_e_cola, l.id AS loc_id, l.uuid AS loc_uuid, l.location AS loc_location, l.tipo_cob AS loc_tipo,
         l.created_ms AS loc_created_ms
  FROM charges c JOIN locations l ON l.id = c.loc_id`;

function toCharge(r: ChargeRow): ChargeRecord {
  return {
    id: r.id,
    clientId: r.client_id,
    kind: r.kind,
    txid: r.txid,
    status: r.status,
    revisao: r.revisao,
    createdMs: r.created_ms,
    body: JSON.parse(r.body) as ChargeBody,
    requestSha256: r.request_sha256,
    pixCopiaECola: r.pix_copia_e_cola,
    loc: { id: r.loc_id, uuid: r.loc_uuid, location: r.loc_location, tipoCob: r.loc_tipo, createdMs: r.loc_created_ms },
  };
}

const PIX_COLUMNS = `p.e2eid, p.charge_id AS chargeId, p.txid, p.chave, p.valor, p.horario_ms AS horarioMs,
  p.payer_name AS payerName, p.info_pagador AS infoPagador`;
const PIX_VISIBLE = `(EXISTS (SELECT 1 FROM pix_owners o WHERE o.e2eid = p.e2eid AND o.client_id = @client)
  OR NOT EXISTS (SELECT 1 FROM pix_owners o WHERE o.e2eid = p.e2eid))`;
const REFUND_COLUMNS = `e2eid, id, rtr_id AS rtrId, valor, natureza, descricao, status, requested_ms AS requestedMs,
  settle_ms AS settleMs, settled_ms AS settledMs`;

/** Persistence of the Pix API: charges with their locations, received Pix, refunds, webhooks. */
export class ChargeStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * Create a charge and its payload location in one transaction. `brCodeFor` receives the location (host:port/path,
   * no scheme) and returns the Pix Copia e Cola. Returns null when the txid is already taken by this receiver.
   */
  createCharge(input: {
    clientId: string;
    kind: ChargeKind;
    txid: string;
    body: ChargeBody;
    requestSha256: string;
    locationHost: string;
    brCodeFor: (location: string) => string;
  }): ChargeRecord | null {
    const nowMs = this.now().getTime();
    const id = this.db.transaction(() => {
      const taken = this.db.prepare('SELECT 1 FROM charges WHERE client_id = ? AND txid = ?').get(input.clientId, input.txid);
      if (taken) return null;
      const uuid = crypto.randomUUID();
      const location = `${input.locationHost}/qr/v2/${input.kind === 'cobv' ? 'cobv/' : ''}${uuid}`;
      const loc = this.db
        .prepare('INSERT INTO locations (uuid, tipo_cob, location, created_ms) VALUES (?, ?, ?, ?)')
        .run(uuid, input.kind, location, nowMs);
      const r = this.db
        .prepare(
          `INSERT INTO charges (client_id, kind, txid, status, revisao, created_ms, chave, valor_original, body,
             request_sha256, loc_id, pix_copia_e_cola)
           VALUES (?, ?, ?, 'ATIVA', 0, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.clientId,
          input.kind,
          input.txid,
          nowMs,
          input.body.chave,
          input.body.valor.original,
          JSON.stringify(input.body),
          input.requestSha256,
          loc.lastInsertRowid,
          input.brCodeFor(location),
        );
      return Number(r.lastInsertRowid);
    }).immediate();
    return id === null ? null : this.getChargeById(id);
  }

  getChargeById(id: number): ChargeRecord | null {
    const r = this.db.prepare(`${CHARGE_SELECT} WHERE c.id = ?`).get(id) as ChargeRow | undefined;
    return r ? toCharge(r) : null;
  }

  /** A receiver's charge by txid (either kind). */
  getCharge(clientId: string, txid: string): ChargeRecord | null {
    const r = this.db.prepare(`${CHARGE_SELECT} WHERE c.client_id = ? AND c.txid = ?`).get(clientId, txid) as ChargeRow | undefined;
    return r ? toCharge(r) : null;
  }

  /** The charge served at a location (the id at the end of a dynamic BR Code's URL). */
  getChargeByLocation(uuid: string): ChargeRecord | null {
    const r = this.db.prepare(`${CHARGE_SELECT} WHERE l.uuid = ?`).get(uuid.toLowerCase()) as ChargeRow | undefined;
    return r ? toCharge(r) : null;
  }

  /** Replace body and/or status; `bumpRevisao` adds 1 to `revisao` as BCB requires for every change. */
  updateCharge(id: number, change: { body?: ChargeBody; status?: ChargeStatus; bumpRevisao: boolean }): void {
    const cur = this.getChargeById(id);
    if (!cur) return;
    const body = change.body ?? cur.body;
    this.db
      .prepare('UPDATE charges SET body = ?, chave = ?, valor_original = ?, status = ?, revisao = revisao + ? WHERE id = ?')
      .run(JSON.stringify(body), body.chave, body.valor.original, change.status ?? cur.status, change.bumpRevisao ? 1 : 0, id);
  }

  /** Charges of one kind created in [fromMs, toMs], oldest first. */
  listCharges(q: { clientId: string; kind: ChargeKind; fromMs: number; toMs: number; status?: string; page: number; size: number }): Page<ChargeRecord> {
    const where = `c.client_id = @client AND c.kind = @kind AND c.created_ms BETWEEN @from AND @to ${q.status ? 'AND c.status = @status' : ''}`;
    const params = { client: q.clientId, kind: q.kind, from: q.fromMs, to: q.toMs, status: q.status ?? null, limit: q.size, offset: q.page * q.size };
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM charges c WHERE ${where}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`${CHARGE_SELECT} WHERE ${where} ORDER BY c.created_ms, c.id LIMIT @limit OFFSET @offset`).all(params) as ChargeRow[];
    return { total, items: rows.map(toCharge) };
  }

  /** Receivers that created charges on a Pix key (a payment to that static key is shown to them). */
  clientsUsingKey(chave: string): string[] {
    return (this.db.prepare('SELECT DISTINCT client_id AS c FROM charges WHERE chave = ?').all(chave) as { c: string }[]).map((r) => r.c);
  }

  /** Record a received Pix; with no owners it is visible to every client. */
  insertPix(pix: PixRecord, owners: string[]): void {
    this.db
      .prepare(
        `INSERT INTO pix (e2eid, charge_id, txid, chave, valor, horario_ms, payer_name, info_pagador)
         VALUES (@e2eid, @chargeId, @txid, @chave, @valor, @horarioMs, @payerName, @infoPagador)`,
      )
      .run(pix);
    const own = this.db.prepare('INSERT OR IGNORE INTO pix_owners (e2eid, client_id) VALUES (?, ?)');
    for (const o of owners) own.run(pix.e2eid, o);
  }

  pixForCharge(chargeId: number): PixRecord[] {
    return this.db.prepare(`SELECT ${PIX_COLUMNS} FROM pix p WHERE p.charge_id = ? ORDER BY p.horario_ms`).all(chargeId) as PixRecord[];
  }

  /** A Pix the client may see. */
  getPix(clientId: string, e2eid: string): PixRecord | null {
    const r = this.db.prepare(`SELECT ${PIX_COLUMNS} FROM pix p WHERE p.e2eid = @e2eid AND ${PIX_VISIBLE}`).get({ e2eid, client: clientId });
    return (r as PixRecord | undefined) ?? null;
  }

  /** Pix received in [fromMs, toMs] that the client may see, oldest first. */
  listPix(q: {
    clientId: string;
    fromMs: number;
    toMs: number;
    txid?: string;
    txIdPresente?: boolean;
    devolucaoPresente?: boolean;
    page: number;
    size: number;
  }): Page<PixRecord> {
    const conds = ['p.horario_ms BETWEEN @from AND @to', PIX_VISIBLE];
    if (q.txid) conds.push('p.txid = @txid');
    if (q.txIdPresente !== undefined) conds.push(q.txIdPresente ? 'p.txid IS NOT NULL' : 'p.txid IS NULL');
    if (q.devolucaoPresente !== undefined) {
      conds.push(`${q.devolucaoPresente ? '' : 'NOT '}EXISTS (SELECT 1 FROM refunds r WHERE r.e2eid = p.e2eid)`);
    }
    const where = conds.join(' AND ');
    const params = { client: q.clientId, from: q.fromMs, to: q.toMs, txid: q.txid ?? null, limit: q.size, offset: q.page * q.size };
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM pix p WHERE ${where}`).get(params) as { n: number }).n;
    const items = this.db.prepare(`SELECT ${PIX_COLUMNS} FROM pix p WHERE ${where} ORDER BY p.horario_ms, p.e2eid LIMIT @limit OFFSET @offset`).all(params) as PixRecord[];
    return { total, items };
  }

  /** Refunds are asynchronous: those whose settlement time has passed become DEVOLVIDO when next read. */
  private settleDueRefunds(): void {
    this.db
      .prepare("UPDATE refunds SET status = 'DEVOLVIDO', settled_ms = settle_ms WHERE status = 'EM_PROCESSAMENTO' AND settle_ms <= ?")
      .run(this.now().getTime());
  }

  refundsOf(e2eid: string): RefundRecord[] {
    this.settleDueRefunds();
    return this.db.prepare(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE e2eid = ? ORDER BY requested_ms, id`).all(e2eid) as RefundRecord[];
  }

  getRefund(e2eid: string, id: string): RefundRecord | null {
    this.settleDueRefunds();
    return (this.db.prepare(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE e2eid = ? AND id = ?`).get(e2eid, id) as RefundRecord | undefined) ?? null;
  }

  /** Request a refund (status EM_PROCESSAMENTO until `settleMs`). */
  createRefund(r: Omit<RefundRecord, 'status' | 'settledMs'>): void {
    this.db
      .prepare(
        `INSERT INTO refunds (e2eid, id, rtr_id, valor, natureza, descricao, status, requested_ms, settle_ms)
         VALUES (@e2eid, @id, @rtrId, @valor, @natureza, @descricao, 'EM_PROCESSAMENTO', @requestedMs, @settleMs)`,
      )
      .run(r);
  }

  /** Run `fn` in one IMMEDIATE transaction (serialises writers across processes sharing the file). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  putWebhook(clientId: string, chave: string, url: string): void {
    this.db
      .prepare(
        `INSERT INTO webhooks (client_id, chave, url, created_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT(client_id, chave) DO UPDATE SET url = excluded.url`,
      )
      .run(clientId, chave, url, this.now().getTime());
  }

  getWebhook(clientId: string, chave: string): WebhookRecord | null {
    const r = this.db.prepare('SELECT chave, url, created_ms AS createdMs FROM webhooks WHERE client_id = ? AND chave = ?').get(clientId, chave);
    return (r as WebhookRecord | undefined) ?? null;
  }

  deleteWebhook(clientId: string, chave: string): boolean {
    return this.db.prepare('DELETE FROM webhooks WHERE client_id = ? AND chave = ?').run(clientId, chave).changes > 0;
  }
}
