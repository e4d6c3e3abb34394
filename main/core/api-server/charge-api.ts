import crypto from 'node:crypto';
import type { AuthenticatedApp } from '../apps';
import type { ChargeEngine } from '../charges';
import type { ChargeView } from '../contract/types';
import { isAppError } from '../errors';
import { ApiStore, pageInfo, type ApiChargeRow, type ChargeListFilter } from './api-store';
import { ApiError } from './http-errors';
import { openPixCharge, openPixRefund, type OpenPixCustomer } from './openpix-views';

export interface ChargeBody {
  correlationID: string;
  value: number;
  comment?: string | undefined;
  expiresIn?: number | undefined;
  customer?: { name?: string; email?: string; phone?: string; taxID?: string } | undefined;
  additionalInfo?: { key: string; value: string }[] | undefined;
}

export interface RefundBody {
  correlationID: string;
  value?: number | undefined;
  comment?: string | undefined;
}

export interface ChargeApiDeps {
  engine: ChargeEngine;
  store: ApiStore;
  /** This server's own base URL (payment links and QR images point at it). */
  baseUrl: () => string;
  /** Called once a charge made through the API is stored and linked (CHARGE_CREATED webhooks). */
  onCreated?: (appId: string, charge: ChargeView) => void;
  /** Minimum time between two bank checks of one open charge prompted by GETs (default 2 s). */
  refreshEveryMs?: number;
}

function customerOf(c: ChargeBody['customer']): OpenPixCustomer | null {
  if (!c) return null;
  const digits = c.taxID?.replace(/\D/g, '');
  return {
    ...(c.name ? { name: c.name } : {}),
    ...(c.email ? { email: c.email } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(digits ? { taxID: { taxID: digits, type: digits.length === 14 ? 'BR:CNPJ' : 'BR:CPF' } } : {}),
  };
}

/**
 * The OpenPix charge API over the charges engine: correlationIDs per app (claimed in SQLite before the bank is
 * called, so the same correlationID can never make a second charge), OpenPix-shaped answers, refunds keyed by their
 * own correlationID. Reads answer from the stored state at once; an open charge is re-checked at the bank in the
 * background, at most once every 2 s, so polling partners see a payment within seconds.
 */
export class ChargeApi {
  private readonly lastRefresh = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly refundLocks = new Map<string, Promise<unknown>>();

  constructor(private readonly d: ChargeApiDeps) {}

  private out(view: ChargeView, a: ApiChargeRow): Record<string, unknown> {
    return openPixCharge(view, a, this.d.baseUrl());
  }

  private existing(app: AuthenticatedApp, a: ApiChargeRow): Record<string, unknown> {
    if (a.state !== 'linked' || !a.charge_id) {
      throw new ApiError(409, `A cobrança com correlationID "${a.correlation_id}" ainda está sendo criada no banco. Consulte de novo em alguns segundos; nenhuma segunda cobrança será feita.`);
    }
    return this.out(this.d.engine.charges.view(a.charge_id), a);
  }

  /** POST /api/v1/charge. `returnExisting`: answer the charge already made for this correlationID. */
  async create(app: AuthenticatedApp, b: ChargeBody, returnExisting: boolean): Promise<{ status: number; body: Record<string, unknown> }> {
    const taken = this.d.store.byCorrelation(app.id, b.correlationID);
    const dup = (a: ApiChargeRow) => {
      if (!returnExisting) {
        throw new ApiError(400, `Já existe uma cobrança com o correlationID "${b.correlationID}". Use outro correlationID, ou ?return_existing=true para receber a cobrança existente.`);
      }
      const charge = this.existing(app, a);
      return { status: 200, body: { charge, correlationID: a.correlation_id, brCode: charge.brCode } };
    };
    if (taken) return dup(taken);
    const row = {
      app_id: app.id,
      correlation_id: b.correlationID,
      comment: b.comment ?? null,
      customer: b.customer ? JSON.stringify(customerOf(b.customer)) : null,
      additional_info: b.additionalInfo?.length ? JSON.stringify(b.additionalInfo) : null,
      payment_link_id: crypto.randomUUID(),
      created_at: new Date().toISOString(),
    };
    if (!this.d.store.reserve(row)) return dup(this.d.store.byCorrelation(app.id, b.correlationID)!);
    const till = `API ${app.name}`.slice(0, 40);
    const pending = this.d.engine.charges.create({
      ...(app.accountId ? { accountId: app.accountId } : {}),
      amountCents: b.value,
      description: b.comment,
      expiresIn: b.expiresIn,
      till,
    });
    // The engine stores the charge (with its txid) before its first await, so it is in the database now: link it
    // at once, so even a charge left pending by a bank timeout stays tied to this correlationID.
    const stored = this.justStored(b.value, till, b.comment);
    if (stored) this.d.store.link(app.id, b.correlationID, stored);
    let view: ChargeView;
    try {
      view = await pending;
    } catch (e) {
      if (isAppError(e) && e.code === 'CHARGE_PENDING') {
        // The engine finishes it later with the same txid; the correlationID stays taken (answered by GET).
        if (!stored) this.d.store.markPending(app.id, b.correlationID);
        throw new ApiError(503, 'O banco não respondeu a tempo. A cobrança ficou registrada e será concluída automaticamente, sem duplicar: consulte-a pelo correlationID em alguns instantes (não reenvie com outro correlationID).');
      }
      // Refused (nothing charged): the correlationID is free again.
      this.d.store.release(app.id, b.correlationID, true);
      throw e;
    }
    if (!stored) this.d.store.link(app.id, b.correlationID, view.id);
    const a = this.d.store.byCorrelation(app.id, b.correlationID)!;
    this.d.onCreated?.(app.id, view);
    const charge = this.out(view, a);
    return { status: 200, body: { charge, correlationID: a.correlation_id, brCode: view.brCode } };
  }

  /**
   * The charge the engine has just inserted for this request, checked by its fields (newest row, still creating,
   * same amount, till and description, not linked yet); null if it is not there (refused before storing).
   */
  private justStored(cents: number, till: string, comment: string | undefined): string | null {
    const r = this.d.store.db
      .prepare("SELECT id, status, amount_cents, till, description FROM charges ORDER BY rowid DESC LIMIT 1")
      .get() as { id: string; status: string; amount_cents: number; till: string | null; description: string | null } | undefined;
    const desc = comment?.trim() ? comment.trim() : null;
    if (!r || r.status !== 'creating' || r.amount_cents !== cents || r.till !== till || r.description !== desc) return null;
    return this.d.store.byCharge(r.id) ? null : r.id;
  }

  /** The app's charge by PixDesk id (globalID) or by its correlationID; 404 for anyone else's. */
  find(app: AuthenticatedApp, idOrCorrelation: string): ApiChargeRow {
    const byId = this.d.store.byCharge(idOrCorrelation);
    const a = byId && byId.app_id === app.id ? byId : this.d.store.byCorrelation(app.id, idOrCorrelation);
    if (!a) throw new ApiError(404, `Cobrança não encontrada: "${idOrCorrelation.slice(0, 80)}". Use o correlationID ou o globalID devolvidos na criação.`);
    return a;
  }

  /** GET /api/v1/charge/{id}: the stored state now; an open charge is re-checked at the bank in the background. */
  get(app: AuthenticatedApp, idOrCorrelation: string): Record<string, unknown> {
    const a = this.find(app, idOrCorrelation);
    if (a.state !== 'linked' || !a.charge_id) return { charge: this.existing(app, a) };
    const view = this.d.engine.charges.view(a.charge_id);
    if (view.status === 'active' || view.status === 'creating' || view.status === 'pending_confirmation') this.refreshSoon(a.charge_id);
    return { charge: this.out(view, a) };
  }

  /** The charge behind a payment link (public pages), re-checked at the bank like a GET; null if none. */
  byPaymentLink(linkId: string): { view: ChargeView; row: ApiChargeRow } | null {
    const a = this.d.store.byPaymentLink(linkId);
    if (!a?.charge_id) return null;
    const view = this.d.engine.charges.view(a.charge_id);
    if (view.status === 'active' || view.status === 'pending_confirmation') this.refreshSoon(a.charge_id);
    return { view, row: a };
  }

  private refreshSoon(chargeId: string): void {
    const now = Date.now();
    if (now - (this.lastRefresh.get(chargeId) ?? 0) < (this.d.refreshEveryMs ?? 2000)) return;
    this.lastRefresh.set(chargeId, now);
    if (this.lastRefresh.size > 10_000) this.lastRefresh.clear();
    const p = this.d.engine.charges.poll(chargeId).catch(() => undefined);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** GET /api/v1/charge?start&end&status&skip&limit. */
  list(app: AuthenticatedApp, f: Omit<ChargeListFilter, 'appId'>): Record<string, unknown> {
    const { rows, total } = this.d.store.list({ ...f, appId: app.id });
    return { charges: rows.map((a) => this.out(this.d.engine.charges.view(a.charge_id!), a)), pageInfo: pageInfo(f.skip, f.limit, total) };
  }

  /** DELETE /api/v1/charge/{id}: cancel at the bank (REMOVIDA_PELO_USUARIO_RECEBEDOR). */
  async remove(app: AuthenticatedApp, idOrCorrelation: string): Promise<Record<string, unknown>> {
    const a = this.find(app, idOrCorrelation);
    if (!a.charge_id) this.existing(app, a);
    await this.d.engine.charges.cancel(a.charge_id!);
    return { status: 'OK', id: a.correlation_id };
  }

  /**
   * POST /api/v1/charge/{id}/refund. The refund's correlationID is claimed first; the same correlationID again
   * answers the same refund. Refunds of one charge run one at a time, so the new refund is known for sure.
   */
  async refund(app: AuthenticatedApp, idOrCorrelation: string, b: RefundBody): Promise<{ status: number; body: Record<string, unknown> }> {
    const a = this.find(app, idOrCorrelation);
    if (!a.charge_id) this.existing(app, a);
    const chargeId = a.charge_id!;
    const prev = this.refundLocks.get(chargeId) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.refundNow(app, chargeId, b));
    this.refundLocks.set(chargeId, run);
    try {
      return await run;
    } finally {
      if (this.refundLocks.get(chargeId) === run) this.refundLocks.delete(chargeId);
    }
  }

  private answerRefund(chargeId: string, refundId: string, appId: string, correlationId: string): Record<string, unknown> {
    const r = this.d.engine.charges.view(chargeId).refunds.find((x) => x.id === refundId)!;
    return { refund: openPixRefund(r, this.d.store.refund(appId, correlationId)) };
  }

  private async refundNow(app: AuthenticatedApp, chargeId: string, b: RefundBody): Promise<{ status: number; body: Record<string, unknown> }> {
    const seen = this.d.store.refund(app.id, b.correlationID);
    if (seen) {
      if (seen.charge_id !== chargeId) throw new ApiError(400, `O correlationID "${b.correlationID}" já foi usado numa devolução de outra cobrança. Use outro correlationID.`);
      if (!seen.refund_id) throw new ApiError(409, 'Esta devolução ainda está sendo registrada. Consulte de novo em instantes.');
      return { status: 200, body: this.answerRefund(chargeId, seen.refund_id, app.id, b.correlationID) };
    }
    const before = new Set(this.d.engine.store.refundsOfCharge(chargeId).map((r) => r.id));
    this.d.store.reserveRefund({ app_id: app.id, correlation_id: b.correlationID, charge_id: chargeId, refund_id: null, value: b.value ?? 0, comment: b.comment ?? null, created_at: new Date().toISOString() });
    let failure: unknown = null;
    try {
      await this.d.engine.refunds.refund(chargeId, b.value, b.comment);
    } catch (e) {
      failure = e;
    }
    const made = this.d.engine.store.refundsOfCharge(chargeId).find((r) => !before.has(r.id));
    if (!made) {
      this.d.store.releaseRefund(app.id, b.correlationID);
      throw failure;
    }
    this.d.store.linkRefund(app.id, b.correlationID, made.id);
    // Stored and (maybe later) sent: pending at the bank is still a registered refund, not an error for the partner.
    if (failure && !(isAppError(failure) && failure.code === 'REFUND_PENDING')) throw failure;
    return { status: 200, body: this.answerRefund(chargeId, made.id, app.id, b.correlationID) };
  }

  /** GET /api/v1/charge/{id}/refund. */
  refunds(app: AuthenticatedApp, idOrCorrelation: string, skip: number, limit: number): Record<string, unknown> {
    const a = this.find(app, idOrCorrelation);
    if (!a.charge_id) return { refunds: [], pageInfo: pageInfo(skip, limit, 0) };
    const byRefund = new Map(this.d.store.refundsOfCharge(a.charge_id).map((r) => [r.refund_id, r]));
    const all = this.d.engine.charges.view(a.charge_id).refunds;
    return { refunds: all.slice(skip, skip + limit).map((r) => openPixRefund(r, byRefund.get(r.id))), pageInfo: pageInfo(skip, limit, all.length) };
  }

  /** Wait for background bank checks (before the database closes). */
  async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
