import crypto from 'node:crypto';
import type { ChargeView, ReceivedPixView, WebhookDeliveryView } from '../../contract/types';
import type { PixdeskEvent } from '../../contract/events';
import type { Db } from '../../db';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';
import type { Vault } from '../../vault';
import { ApiStore, pageInfo, type ApiChargeRow } from '../api-store';
import { ApiError } from '../http-errors';
import { openPixCharge, openPixQrCode, openPixRefund } from '../openpix-views';
import type { WebhookEvent } from '../schemas';
import { DeliveryQueue, type DeliveryRow } from './queue';
import { hmacSignature, WebhookKeys, type PublicKeyView } from './signing';

interface WebhookRow {
  id: string;
  app_id: string;
  name: string;
  event: WebhookEvent;
  url: string;
  authorization: string | null;
  secret_enc: Buffer;
  is_active: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookInput {
  name?: string | undefined;
  event: WebhookEvent;
  url: string;
  authorization?: string | undefined;
  isActive?: boolean | undefined;
}

export interface WebhookServiceDeps {
  db: Db;
  vault: Vault;
  events: EventBus;
  now: () => Date;
  /** Sender tick interval (default 1 s) and timeout of one POST (default 10 s). */
  tickMs?: number;
  sendTimeoutMs?: number;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void };
  /** The current view of a charge, for the start-up catch-up (absent: no catch-up). */
  chargeView?: (chargeId: string) => ChargeView | undefined;
}

/** How far back the start-up catch-up looks for API charges whose webhooks a crash left unqueued. */
export const CATCH_UP_DAYS = 7;

/** A webhook URL must be plain http(s) with a host; anything else (file:, data:, credentials in the URL) is refused. */
export function checkWebhookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ApiError(400, 'O campo "webhook.url" não é um endereço válido. Use http:// ou https://, ex.: https://erp.loja.com.br/pix.');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || u.username || u.password) {
    throw new ApiError(400, 'O campo "webhook.url" deve ser um endereço http:// ou https:// sem usuário e senha.');
  }
  return u.toString();
}

/**
 * Webhooks per app, in OpenPix's shape and with OpenPix's signatures. Charge events of the engine (core.events) are
 * turned into deliveries of the app that made the charge, written to the durable queue at once (in whatever
 * process saw the event); the sender, started by the API runtime, POSTs them with retries at 10·2^n s.
 */
export class WebhookService {
  readonly queue: DeliveryQueue;
  readonly keys: WebhookKeys;
  private readonly store: ApiStore;
  private baseUrl: () => string = () => 'http://127.0.0.1:8787';
  private timer: unknown = null;
  private running = false;
  private tickP: Promise<void> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly d: WebhookServiceDeps) {
    this.queue = new DeliveryQueue(d.db);
    this.keys = new WebhookKeys(d.db, d.vault);
    this.store = new ApiStore(d.db);
    this.unsubscribe = d.events.subscribe((e) => this.onEvent(e));
  }

  setBaseUrl(f: () => string): void {
    this.baseUrl = f;
  }

  // ---- webhooks of an app ----

  private view(w: WebhookRow): Record<string, unknown> {
    return { id: w.id, name: w.name, event: w.event, url: w.url, authorization: w.authorization ?? '', isActive: w.is_active === 1, createdAt: w.created_at, updatedAt: w.updated_at };
  }

  /** Register a webhook; its HMAC secret (for X-OpenPix-Signature) is answered here only. */
  create(appId: string, i: WebhookInput): Record<string, unknown> {
    const url = checkWebhookUrl(i.url);
    const id = crypto.randomUUID();
    const secret = `whsec_${crypto.randomBytes(24).toString('base64url')}`;
    const at = this.d.now().toISOString();
    this.d.db
      .prepare('INSERT INTO api_webhooks (id, app_id, name, event, url, authorization, secret_enc, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, appId, i.name?.trim() || i.event, i.event, url, i.authorization ?? null, this.d.vault.seal('api_webhooks', 'secret_enc', id, secret), i.isActive === false ? 0 : 1, at, at);
    return { webhook: { ...this.view(this.row(appId, id)), hmacSecret: secret } };
  }

  private row(appId: string, id: string): WebhookRow {
    const w = this.d.db.prepare('SELECT * FROM api_webhooks WHERE id = ? AND app_id = ?').get(id, appId) as WebhookRow | undefined;
    if (!w) throw new ApiError(404, `Webhook não encontrado: "${id.slice(0, 80)}".`);
    return w;
  }

  list(appId: string, url: string | undefined, skip: number, limit: number): Record<string, unknown> {
    const all = (this.d.db.prepare('SELECT * FROM api_webhooks WHERE app_id = ? ORDER BY created_at, id').all(appId) as WebhookRow[]).filter((w) => !url || w.url === url);
    return { webhooks: all.slice(skip, skip + limit).map((w) => this.view(w)), pageInfo: pageInfo(skip, limit, all.length) };
  }

  remove(appId: string, id: string): Record<string, unknown> {
    const w = this.row(appId, id);
    this.d.db.transaction(() => {
      this.queue.dropWebhook(w.id);
      this.d.db.prepare('DELETE FROM api_webhooks WHERE id = ?').run(w.id);
    })();
    return { status: 'OK', id: w.id };
  }

  publicKeys(): { public_keys: PublicKeyView[] } {
    return { public_keys: this.keys.publicKeys() };
  }

  /** The delivery log of an app's webhooks, newest first. */
  deliveries(appId: string): (DeliveryRow & { attemptsLog: ReturnType<DeliveryQueue['attempts']> })[] {
    const ids = (this.d.db.prepare('SELECT id FROM api_webhooks WHERE app_id = ?').all(appId) as { id: string }[]).map((r) => r.id);
    return this.queue.list(ids).map((r) => ({ ...r, attemptsLog: this.queue.attempts(r.id) }));
  }

  private deliveryView(r: DeliveryRow): WebhookDeliveryView {
    const w = this.d.db.prepare('SELECT url FROM api_webhooks WHERE id = ?').get(r.webhook_id) as { url: string } | undefined;
    return {
      id: r.id, webhookId: r.webhook_id, url: w?.url ?? '', event: r.event, status: r.status, attempts: r.attempts, lastStatus: r.last_status,
      lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at, nextAttemptAt: r.status === 'pending' ? new Date(r.next_at).toISOString() : null,
    };
  }

  /** The delivery log of an app for the screen (newest first, 100 at most). */
  deliveryLog(appId: string): WebhookDeliveryView[] {
    const ids = (this.d.db.prepare('SELECT id FROM api_webhooks WHERE app_id = ?').all(appId) as { id: string }[]).map((r) => r.id);
    return this.queue.list(ids).map((r) => this.deliveryView(r));
  }

  /** Send a finished delivery again, now, with a fresh retry budget. */
  resend(deliveryId: string): WebhookDeliveryView {
    const r = this.queue.get(deliveryId);
    if (!r) throw new AppError('DELIVERY_NOT_FOUND', 'Entrega de webhook não encontrada. Atualize a lista de entregas.');
    if (!this.queue.resend(deliveryId, this.d.now().getTime())) {
      throw new AppError('DELIVERY_IN_PROGRESS', 'Esta entrega ainda está na fila (aguardando nova tentativa); não é preciso reenviar.');
    }
    this.kick();
    return this.deliveryView(this.queue.get(deliveryId)!);
  }

  // ---- events → deliveries ----

  /**
   * Queue `event` for every active webhook of the app. `asOf` (the catch-up): only webhooks registered by then — a
   * webhook added after a payment does not get that old payment.
   */
  private enqueue(appId: string, event: WebhookEvent, payload: Record<string, unknown>, occurrence: string, asOf?: string): void {
    const hooks = (asOf === undefined
      ? this.d.db.prepare('SELECT id FROM api_webhooks WHERE app_id = ? AND event = ? AND is_active = 1').all(appId, event)
      : this.d.db.prepare('SELECT id FROM api_webhooks WHERE app_id = ? AND event = ? AND is_active = 1 AND created_at <= ?').all(appId, event, asOf)) as { id: string }[];
    if (!hooks.length) return;
    const body = JSON.stringify({ event, ...payload });
    const now = this.d.now().getTime();
    // All webhooks of the event at once: a crash between two of them must not leave one queued and one never.
    this.d.db.transaction(() => {
      for (const h of hooks) this.queue.enqueue(h.id, event, body, `${event}:${occurrence}`, now);
    })();
    this.kick();
  }

  private pixOf(v: ChargeView): Record<string, unknown> {
    return {
      value: v.paidCents ?? v.amountCents,
      time: v.paidAt,
      endToEndId: v.e2eid,
      transactionID: v.txid,
      infoPagador: '',
      payer: v.payer ? { name: v.payer.name, taxID: v.payer.document ? { taxID: v.payer.document } : null } : null,
      raw: { endToEndId: v.e2eid, txid: v.txid, valor: ((v.paidCents ?? v.amountCents) / 100).toFixed(2), horario: v.paidAt },
    };
  }

  /** CHARGE_CREATED, called by the charge API once the charge is linked to its correlationID. */
  chargeCreated(appId: string, v: ChargeView, base?: string, asOf?: string): void {
    const a = this.store.byCharge(v.id);
    if (a) this.enqueue(appId, 'OPENPIX:CHARGE_CREATED', { charge: openPixCharge(v, a, base || this.baseUrl()) }, v.id, asOf);
  }

  /**
   * After a crash, queue what an event would have queued but did not: the engine records a payment (or a charge,
   * or an expiry) in its own transaction and publishes the event just after, so a kill between the two leaves the
   * charge paid and its webhooks never queued — and the event is not published again. One query finds the API
   * charges of the last {@link CATCH_UP_DAYS} days whose state calls for a delivery that a webhook registered by
   * then does not have; each is queued as the live event would have (same body, same dedupe key, so nothing is
   * ever queued twice). Run when the sender starts. Returns how many charges were caught up.
   */
  catchUp(): number {
    if (!this.d.chargeView) return 0;
    const since = new Date(this.d.now().getTime() - CATCH_UP_DAYS * 86_400_000).toISOString();
    const missing = this.d.db
      .prepare(
        `SELECT DISTINCT c.id AS id, w.event AS event FROM charges c
         JOIN api_charges a ON a.charge_id = c.id AND a.state = 'linked'
         JOIN api_webhooks w ON w.app_id = a.app_id AND w.is_active = 1
         WHERE c.created_at >= @since
           AND ((w.event = 'OPENPIX:CHARGE_CREATED' AND w.created_at <= c.created_at)
             OR (w.event = 'OPENPIX:CHARGE_COMPLETED' AND c.status = 'paid' AND w.created_at <= c.paid_at)
             OR (w.event = 'OPENPIX:TRANSACTION_RECEIVED' AND c.status = 'paid' AND w.created_at <= c.paid_at)
             OR (w.event = 'OPENPIX:CHARGE_EXPIRED' AND c.status = 'expired' AND w.created_at <= c.updated_at))
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.dedupe_key = w.event || ':' ||
             CASE WHEN w.event = 'OPENPIX:TRANSACTION_RECEIVED' THEN COALESCE(c.e2eid, c.id) ELSE c.id END)`,
      )
      .all({ since }) as { id: string; event: WebhookEvent }[];
    const charges = new Set<string>();
    for (const m of missing) {
      const v = this.d.chargeView(m.id);
      const a = this.store.byCharge(m.id);
      if (!v || !a) continue;
      charges.add(m.id);
      try {
        this.d.db.transaction(() => {
          if (m.event === 'OPENPIX:CHARGE_CREATED') this.chargeCreated(a.app_id, v, undefined, v.createdAt);
          else if (m.event === 'OPENPIX:CHARGE_EXPIRED') this.enqueue(a.app_id, m.event, { charge: openPixCharge(v, a, this.baseUrl()) }, v.id, v.updatedAt);
          else {
            const occurrence = m.event === 'OPENPIX:TRANSACTION_RECEIVED' ? (v.e2eid ?? v.id) : v.id;
            this.enqueue(a.app_id, m.event, { charge: openPixCharge(v, a, this.baseUrl()), pix: this.pixOf(v) }, occurrence, v.paidAt ?? undefined);
          }
        })();
      } catch {
        // One charge that cannot be rebuilt must not stop the others (nor the sender).
      }
    }
    return charges.size;
  }

  private onEvent(e: PixdeskEvent): void {
    try {
      // One transaction per event: a payment's CHARGE_COMPLETED and TRANSACTION_RECEIVED, to every webhook, are
      // queued together or not at all (a kill between two of them left the rest unqueued for good; the event is
      // not published again once the payment is recorded).
      this.d.db.transaction(() => this.deliveriesOf(e))();
    } catch {
      // A webhook problem must never break the engine that published the event.
    }
  }

  private deliveriesOf(e: PixdeskEvent): void {
    if (e.name === 'charge:created') {
      // Also reaches charges finished later (a bank timeout recovered); the dedupe key makes it one delivery.
      const a = this.store.byCharge(e.payload.charge.id);
      if (a?.state === 'linked') this.chargeCreated(a.app_id, e.payload.charge);
    } else if (e.name === 'charge:paid' || e.name === 'charge:expired' || e.name === 'charge:refunded') {
      const a: ApiChargeRow | undefined = this.store.byCharge(e.payload.charge.id);
      if (!a || a.state !== 'linked') return;
      const charge = openPixCharge(e.payload.charge, a, this.baseUrl());
      if (e.name === 'charge:paid') {
        const pix = this.pixOf(e.payload.charge);
        this.enqueue(a.app_id, 'OPENPIX:CHARGE_COMPLETED', { charge, pix }, e.payload.charge.id);
        this.enqueue(a.app_id, 'OPENPIX:TRANSACTION_RECEIVED', { charge, pix }, e.payload.charge.e2eid ?? e.payload.charge.id);
      } else if (e.name === 'charge:expired') {
        this.enqueue(a.app_id, 'OPENPIX:CHARGE_EXPIRED', { charge }, e.payload.charge.id);
      } else if (e.payload.refund.status === 'DEVOLVIDO') {
        const refund = openPixRefund(e.payload.refund, this.store.refundsOfCharge(a.charge_id!).find((r) => r.refund_id === e.payload.refund.id));
        this.enqueue(a.app_id, 'OPENPIX:TRANSACTION_REFUND_RECEIVED', { charge, refund, pix: this.pixOf(e.payload.charge) }, e.payload.refund.id);
      }
    } else if (e.name === 'pix:received') {
      this.staticPix(e.payload.pix);
    }
  }

  /** A Pix paid to one of an app's static QR codes (matched by the code's txid). */
  private staticPix(p: ReceivedPixView): void {
    const q = p.txid ? this.store.qrCodeByTxid(p.txid) : undefined;
    if (!q) return;
    const pix = { value: p.amountCents, time: p.receivedAt, endToEndId: p.e2eid, transactionID: p.txid, infoPagador: p.payerMessage ?? '', payer: { name: p.payerName } };
    this.enqueue(q.app_id, 'OPENPIX:TRANSACTION_RECEIVED', { pix, pixQrCode: openPixQrCode(q, this.baseUrl()) }, p.e2eid);
  }

  // ---- the sender ----

  /** Start sending due deliveries (every second, and at once when one is queued). */
  startSender(): void {
    if (this.running) return;
    this.running = true;
    try {
      this.catchUp();
    } catch {
      // The catch-up is a safety net: the sender runs whatever it finds.
    }
    this.schedule(0);
  }

  private get timers() {
    return this.d.timers ?? { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule(this.d.tickMs ?? 1000));
    }, ms);
  }

  private kick(): void {
    if (this.running && !this.tickP) this.schedule(0);
  }

  /** Send every delivery due now (one batch after another); resolves when they are all recorded. */
  tick(): Promise<void> {
    if (!this.tickP) this.tickP = this.drain().finally(() => (this.tickP = null));
    return this.tickP;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.queue.claim(this.d.now().getTime(), 16);
      if (!batch.length) return;
      await Promise.all(batch.map((row) => this.send(row)));
    }
  }

  private async send(row: DeliveryRow): Promise<void> {
    const w = this.d.db.prepare('SELECT * FROM api_webhooks WHERE id = ?').get(row.webhook_id) as WebhookRow | undefined;
    if (!w) return;
    const { signature, keyId } = this.keys.sign(row.body);
    const secret = this.d.vault.openString('api_webhooks', 'secret_enc', w.id, w.secret_enc);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'PixDesk-Webhooks/1',
      'x-webhook-signature': signature,
      'x-webhook-key-id': keyId,
      'x-openpix-signature': hmacSignature(secret, row.body),
      'x-pixdesk-delivery': row.id,
      'x-pixdesk-attempt': String(row.attempts + 1),
    };
    if (w.authorization) headers.authorization = w.authorization;
    const started = performance.now();
    let outcome: { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };
    try {
      const res = await fetch(w.url, { method: 'POST', headers, body: row.body, redirect: 'manual', signal: AbortSignal.timeout(this.d.sendTimeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      outcome = { ok: res.status >= 200 && res.status < 300, statusCode: res.status, error: res.status >= 300 ? `HTTP ${res.status}` : null, durationMs: performance.now() - started };
    } catch (e) {
      const name = (e as { name?: string }).name;
      outcome = { ok: false, statusCode: null, error: name === 'TimeoutError' ? 'tempo esgotado' : 'sem conexão com o destino', durationMs: performance.now() - started };
    }
    this.queue.finish(row, this.d.now().getTime(), outcome);
  }

  /** Stop the sender; waits for sends in flight to be recorded. */
  async stopSender(): Promise<void> {
    this.running = false;
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.tickP) await this.tickP.catch(() => undefined);
  }

  /** Stop listening to events (Core.close). */
  close(): void {
    this.unsubscribe();
  }
}
