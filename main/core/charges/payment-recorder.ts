import type { ChargeView, RefundStatus } from '../contract/types';
import type { EventBus } from '../events';
import type { DevolucaoAnswer, ItauPixClient, PixAnswer } from '../itau/pix-client';
import { valorToCents } from './amount';
import { parseBankTime } from './bank-time';
import type { ChargeRow, ChargeStore, ReceivedPixRow } from './charge-store';
import { maskDocument } from './ids';
import { pixPages } from './pix-window';
import { receivedPixView, refundView } from './views';

export interface PaymentRecorderDeps {
  store: ChargeStore;
  events: EventBus;
  now: () => Date;
  view: (chargeId: string) => ChargeView;
}

type Pending = () => void;

const REFUND_STATES: readonly RefundStatus[] = ['EM_PROCESSAMENTO', 'DEVOLVIDO', 'NAO_REALIZADO'];

/**
 * Where every payment the bank reports lands, whether it came from `GET /cob/{txid}` (the watcher) or from
 * `GET /pix` (reconciliation): the received Pix is stored once (its e2eid is unique), matched to our charge by txid,
 * and the charge marked paid. Refund states carried in `devolucoes[]` are applied too. Writes happen in one
 * transaction per batch; events are published after it commits.
 */
export class PaymentRecorder {
  constructor(private readonly d: PaymentRecorderDeps) {}

  /** Whether this account's bank writes Brasília wall-clock times with a `Z` (default yes: Itaú production does). */
  zulu(accountId: string): boolean {
    const c = this.d.store.cursor(accountId);
    return c?.zulu_is_local === null || c?.zulu_is_local === undefined ? true : c.zulu_is_local === 1;
  }

  /** Record what was learnt about the bank's clock. */
  setZulu(accountId: string, value: boolean): void {
    const c = this.d.store.cursor(accountId);
    if (c && c.zulu_is_local === (value ? 1 : 0)) return;
    this.d.store.saveCursor({
      account_id: accountId,
      confirmed_until: c?.confirmed_until ?? '',
      zulu_is_local: value ? 1 : 0,
      last_run_at: c?.last_run_at ?? null,
      last_error: c?.last_error ?? null,
    });
  }

  /** The payments listed in a `GET /cob` answer of this charge. */
  recordCobPayments(charge: ChargeRow, pix: PixAnswer[]): void {
    const zulu = this.zulu(charge.account_id);
    const pending: Pending[] = [];
    this.d.store.db.transaction(() => {
      if (pix.length === 0) this.markPaid(charge, null, pending);
      for (const p of pix) this.recordOne(charge.account_id, { ...p, txid: p.txid ?? charge.txid }, zulu, pending);
    })();
    for (const p of pending) p();
  }

  /** One page of `GET /pix`; returns how many Pix were new. */
  recordPage(accountId: string, items: PixAnswer[], zulu: boolean): number {
    const pending: Pending[] = [];
    let fresh = 0;
    this.d.store.db.transaction(() => {
      for (const p of items) if (this.recordOne(accountId, p, zulu, pending)) fresh++;
    })();
    for (const p of pending) p();
    return fresh;
  }

  /** Look for the payment of one offline (static) charge: `GET /pix?txid=` since it was made. */
  async reconcileTxid(charge: ChargeRow, client: ItauPixClient): Promise<void> {
    const from = Date.parse(charge.created_at) - 60_000;
    for await (const page of pixPages(client, from, this.d.now().getTime(), { txid: charge.txid })) {
      this.recordPage(charge.account_id, page.items, this.zulu(charge.account_id));
    }
  }

  private recordOne(accountId: string, p: PixAnswer, zulu: boolean, pending: Pending[]): boolean {
    const cents = valorToCents(p.valor);
    if (cents === null || cents <= 0) return false;
    const s = this.d.store;
    const txid = p.txid && p.txid !== '***' ? p.txid : null;
    const charge = txid ? s.byTxid(accountId, txid) : undefined;
    const at = parseBankTime(p.horario, zulu) ?? this.d.now().getTime();
    const row: ReceivedPixRow = {
      e2eid: p.endToEndId,
      account_id: accountId,
      charge_id: charge?.id ?? null,
      txid,
      amount_cents: cents,
      pix_key: p.chave ?? null,
      received_at: new Date(at).toISOString(),
      payer_name: p.pagador?.nome?.slice(0, 140) ?? null,
      payer_doc_masked: maskDocument(p.pagador?.cpf ?? p.pagador?.cnpj),
      payer_message: p.infoPagador?.slice(0, 140) ?? null,
      created_at: this.d.now().toISOString(),
    };
    const isNew = s.insertPix(row);
    if (!isNew && charge) s.linkPix(row.e2eid, charge.id);
    if (charge) this.markPaid(s.getCharge(charge.id)!, isNew ? row : (s.getPix(row.e2eid) ?? row), pending, isNew);
    else if (isNew) pending.push(() => this.d.events.publish('pix:received', { pix: receivedPixView(row) }));
    for (const dev of p.devolucoes ?? []) this.applyRefund(dev, zulu, pending);
    return isNew;
  }

  private markPaid(charge: ChargeRow, pix: ReceivedPixRow | null, pending: Pending[], isNew = true): void {
    const at = this.d.now().toISOString();
    if (charge.status === 'paid') {
      // A static code can be paid more than once: each new Pix adds to what was received.
      if (pix && isNew && pix.e2eid !== charge.e2eid) {
        this.d.store.updateCharge(charge.id, { paid_cents: (charge.paid_cents ?? 0) + pix.amount_cents, updated_at: at });
        pending.push(() => this.d.events.publish('charge:updated', { charge: this.d.view(charge.id) }));
      }
      return;
    }
    if (charge.status === 'failed') return;
    this.d.store.updateCharge(charge.id, {
      status: 'paid',
      paid_at: pix?.received_at ?? at,
      paid_cents: pix?.amount_cents ?? charge.amount_cents,
      e2eid: pix?.e2eid ?? null,
      payer_name: pix?.payer_name ?? null,
      payer_doc_masked: pix?.payer_doc_masked ?? null,
      ...(charge.kind === 'dynamic' ? { bank_status: 'CONCLUIDA' } : {}),
      last_error_code: null,
      last_error: null,
      updated_at: at,
    });
    pending.push(() => this.d.events.publish('charge:paid', { charge: this.d.view(charge.id) }));
  }

  /** Apply a refund state the bank reported (from `devolucoes[]` or `GET /devolucao`); publishes on change. */
  applyRefund(dev: DevolucaoAnswer, zulu: boolean, pending: Pending[]): void {
    const r = this.d.store.getRefund(dev.id);
    const status = dev.status.trim().toUpperCase() as RefundStatus;
    if (!r || !REFUND_STATES.includes(status)) return;
    const settled = dev.horario?.liquidacao ? parseBankTime(dev.horario.liquidacao, zulu) : null;
    const changed = r.status !== status || r.bank_confirmed !== 1;
    if (!changed && (r.bank_reason ?? null) === (dev.motivo ?? null)) return;
    this.d.store.updateRefund(r.id, {
      status,
      bank_confirmed: 1,
      rtr_id: dev.rtrId ?? r.rtr_id,
      bank_reason: dev.motivo?.slice(0, 140) ?? r.bank_reason,
      settled_at: settled !== null ? new Date(settled).toISOString() : r.settled_at,
      last_error: null,
      updated_at: this.d.now().toISOString(),
    });
    if (changed && r.charge_id) {
      const chargeId = r.charge_id;
      pending.push(() => this.d.events.publish('charge:refunded', { charge: this.d.view(chargeId), refund: refundView(this.d.store.getRefund(r.id)!) }));
    }
  }

  /** Apply one refund answer outside a batch. */
  applyRefundNow(dev: DevolucaoAnswer, accountId: string): void {
    const pending: Pending[] = [];
    this.applyRefund(dev, this.zulu(accountId), pending);
    for (const p of pending) p();
  }
}
