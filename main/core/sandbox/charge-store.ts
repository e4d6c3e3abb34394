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

/** A payload location (`loc`): the URL a dynamic BR Code carries, bound to at most one charge at a time. */
export interface LocationRecord {
  id: number;
  uuid: string;
  location: string;
  tipoCob: ChargeKind;
  createdMs: number;
  clientId: string | null;
  /** The charge served at this location now; null when free (never bound, or unlinked). */
  chargeId: number | null;
  txid: string | null;
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
  /** The location bound to the charge now; null after `DELETE /loc/{id}/txid`. */
  loc: LocationRecord | null;
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
  payerCpf: string | null;
  payerCnpj: string | null;
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
  /** What the refund becomes at `settleMs` (NAO_REALIZADO when a fault asked for it). */
  outcome: 'DEVOLVIDO' | 'NAO_REALIZADO';
  motivo: string | null;
  requestedMs: number;
  settleMs: number;
  settledMs: number | null;
}

export interface WebhookRecord {
  chave: string;
  url: string;
  createdMs: number;
}

/** Why a charge could not be created. */
export type CreateRefusal = 'txid-taken' | 'loc-not-found' | 'loc-bound' | 'loc-tipo';

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
  loc_id: number | null;
  loc_uuid: string | null;
  loc_location: string | null;
  loc_tipo: ChargeKind | null;
  loc_created_ms: number | null;
}

const CHARGE_SELECT = `
  SELECT c.id, c.client_id, c.kind, c.txid, c.status, c.revisao, c.created_ms, c.body, c.request_sha256,
         c.pix_copia_e_cola, l.id AS loc_id, l.uuid AS loc_uuid, l.location AS loc_location, l.tipo_cob AS loc_tipo,
         l.created_ms AS loc_created_ms
  FROM charges c LEFT JOIN locations l ON l.charge_id = c.id`;

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
    loc:
      r.loc_id === null
        ? null
        : { id: r.loc_id, uuid: r.loc_uuid!, location: r.loc_location!, tipoCob: r.loc_tipo!, createdMs: r.loc_created_ms!, clientId: r.client_id, chargeId: r.id, txid: r.txid },
  };
}

const PIX_COLUMNS = `p.e2eid, p.charge_id AS chargeId, p.txid, p.chave, p.valor, p.horario_ms AS horarioMs,
  p.payer_name AS payerName, p.payer_cpf AS payerCpf, p.payer_cnpj AS payerCnpj, p.info_pagador AS infoPagador`;
const PIX_VISIBLE = `(EXISTS (SELECT 1 FROM pix_owners o WHERE o.e2eid = p.e2eid AND o.client_id = @client)
  OR NOT EXISTS (SELECT 1 FROM pix_owners o WHERE o.e2eid = p.e2eid))`;
const REFUND_COLUMNS = `e2eid, id, rtr_id AS rtrId, valor, natureza, descricao, status, requested_ms AS requestedMs,
  outcome, motivo, settle_ms AS settleMs, settled_ms AS settledMs`;

/** Persistence of the Pix API: charges with their locations, received Pix, refunds, webhooks. */
export class ChargeStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * Create a charge in one transaction, either with a new payload location or bound to the caller's free location
   * `locId` (`loc: {id}` in the request). `brCodeFor` receives the location (host:port/path, no scheme) and returns
   * the Pix Copia e Cola, so a reused location keeps its BR Code. Refusals come back as a reason, never half-done.
   */
  createCharge(input: {
    clientId: string;
    kind: ChargeKind;
    txid: string;
    body: ChargeBody;
    requestSha256: string;
    locationHost: string;
    locId?: number;
    brCodeFor: (location: string) => string;
  }): { ok: true; charge: ChargeRecord } | { ok: false; reason: CreateRefusal } {
    const nowMs = this.now().getTime();
    const out = this.db.transaction((): number | CreateRefusal => {
      const taken = this.db.prepare('SELECT 1 FROM charges WHERE client_id = ? AND txid = ?').get(input.clientId, input.txid);
      if (taken) return 'txid-taken';
      let locId: number;
      let location: string;
      if (input.locId !== undefined) {
        const l = this.db.prepare('SELECT id, client_id, tipo_cob, location, charge_id FROM locations WHERE id = ?').get(input.locId) as
          | { id: number; client_id: string | null; tipo_cob: ChargeKind; location: string; charge_id: number | null }
          | undefined;
        if (!l || l.client_id !== input.clientId) return 'loc-not-found';
        if (l.tipo_cob !== input.kind) return 'loc-tipo';
        if (l.charge_id !== null) return 'loc-bound';
        locId = l.id;
        location = l.location;
      } else {
        const uuid = crypto.randomUUID();
        location = `${input.locationHost}/qr/v2/${input.kind === 'cobv' ? 'cobv/' : ''}${uuid}`;
        locId = Number(
          this.db
            .prepare('INSERT INTO locations (uuid, tipo_cob, location, created_ms, client_id) VALUES (?, ?, ?, ?, ?)')
            .run(uuid, input.kind, location, nowMs, input.clientId).lastInsertRowid,
        );
      }
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
          locId,
          input.brCodeFor(location),
        );
      const chargeId = Number(r.lastInsertRowid);
      this.db.prepare('UPDATE locations SET charge_id = ? WHERE id = ?').run(chargeId, locId);
      return chargeId;
    }).immediate();
    return typeof out === 'number' ? { ok: true, charge: this.getChargeById(out)! } : { ok: false, reason: out };
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

  /** Charges of one kind created in [fromMs, toMs], oldest first (cobv also by devedor and location presence). */
  listCharges(q: {
    clientId: string;
    kind: ChargeKind;
    fromMs: number;
    toMs: number;
    status?: string;
    cpf?: string;
    cnpj?: string;
    locationPresente?: boolean;
    page: number;
    size: number;
  }): Page<ChargeRecord> {
    const conds = ['c.client_id = @client', 'c.kind = @kind', 'c.created_ms BETWEEN @from AND @to'];
    if (q.status) conds.push('c.status = @status');
    if (q.cpf) conds.push("json_extract(c.body, '$.devedor.cpf') = @cpf");
    if (q.cnpj) conds.push("json_extract(c.body, '$.devedor.cnpj') = @cnpj");
    if (q.locationPresente !== undefined) conds.push(`${q.locationPresente ? '' : 'NOT '}EXISTS (SELECT 1 FROM locations x WHERE x.charge_id = c.id)`);
    const where = conds.join(' AND ');
    const params = {
      client: q.clientId,
      kind: q.kind,
      from: q.fromMs,
      to: q.toMs,
      status: q.status ?? null,
      cpf: q.cpf ?? null,
      cnpj: q.cnpj ?? null,
      limit: q.size,
      offset: q.page * q.size,
    };
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM charges c WHERE ${where}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`${CHARGE_SELECT} WHERE ${where} ORDER BY c.created_ms, c.id LIMIT @limit OFFSET @offset`).all(params) as ChargeRow[];
    return { total, items: rows.map(toCharge) };
  }

  /**
   * Who sees a Pix sent to a static key: the Client ID the key is registered for; else the receivers that charged on
   * it; else (empty list) every client.
   */
  clientsUsingKey(chave: string): string[] {
    const owner = this.db.prepare('SELECT client_id AS c FROM pix_keys WHERE chave = ?').get(chave) as { c: string } | undefined;
    if (owner) return [owner.c];
    return (this.db.prepare('SELECT DISTINCT client_id AS c FROM charges WHERE chave = ?').all(chave) as { c: string }[]).map((r) => r.c);
  }

  /** Record a received Pix; with no owners it is visible to every client. */
  insertPix(pix: PixRecord, owners: string[]): void {
    this.db
      .prepare(
        `INSERT INTO pix (e2eid, charge_id, txid, chave, valor, horario_ms, payer_name, payer_cpf, payer_cnpj, info_pagador)
         VALUES (@e2eid, @chargeId, @txid, @chave, @valor, @horarioMs, @payerName, @payerCpf, @payerCnpj, @infoPagador)`,
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
      .prepare("UPDATE refunds SET status = outcome, settled_ms = settle_ms WHERE status = 'EM_PROCESSAMENTO' AND settle_ms <= ?")
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

  /** Request a refund (status EM_PROCESSAMENTO until `settleMs`, then its `outcome`). */
  createRefund(r: Omit<RefundRecord, 'status' | 'settledMs'>): void {
    this.db
      .prepare(
        `INSERT INTO refunds (e2eid, id, rtr_id, valor, natureza, descricao, status, outcome, motivo, requested_ms, settle_ms)
         VALUES (@e2eid, @id, @rtrId, @valor, @natureza, @descricao, 'EM_PROCESSAMENTO', @outcome, @motivo, @requestedMs, @settleMs)`,
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
