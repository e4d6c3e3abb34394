import type { ChargeView } from '../contract/types';
import { AppError, toErrorInfo } from '../errors';
import type { EventBus } from '../events';
import { isTransient, PixApiError, bankSaid, type ItauPixClient } from '../itau/pix-client';
import { centsToValor, checkCents, formatBrl } from './amount';
import type { ChargeStore, RefundRow } from './charge-store';
import { refundId } from './ids';
import type { PaymentRecorder } from './payment-recorder';
import { refundView } from './views';

export interface RefundServiceDeps {
  store: ChargeStore;
  events: EventBus;
  payments: PaymentRecorder;
  client: (accountId: string) => ItauPixClient;
  now: () => Date;
  view: (chargeId: string) => ChargeView;
}

/**
 * Refunds of received Pix (`PUT /pix/{e2eid}/devolucao/{id}`), asynchronous at the bank: EM_PROCESSAMENTO until
 * DEVOLVIDO or NAO_REALIZADO. The amount is checked and the refund stored in ONE transaction before the bank is
 * called, so two refunds at once can never add up to more than was received; a lost answer is resent with the
 * same id (the bank treats it as the same refund).
 */
export class RefundService {
  constructor(private readonly d: RefundServiceDeps) {}

  /** Refund all that is left of a paid charge, or `amountCents` of it. */
  async refund(chargeId: string, amountCents?: number, reason?: string): Promise<ChargeView> {
    const s = this.d.store;
    const charge = s.getCharge(chargeId);
    if (!charge) throw new AppError('CHARGE_NOT_FOUND', 'Cobrança não encontrada. Atualize a lista de cobranças.');
    if (charge.status !== 'paid') throw new AppError('CHARGE_NOT_PAID', 'Só é possível devolver uma cobrança paga.');
    if (amountCents !== undefined) checkCents(amountCents);
    const text = reason?.trim() ? reason.trim().slice(0, 140) : null;
    const at = this.d.now().toISOString();
    const row = s.db.transaction((): RefundRow => {
      // The Pix (a static code may have several) with money left to return, oldest first.
      const pix = s.pixOfCharge(chargeId);
      if (pix.length === 0) throw new AppError('PIX_NOT_FOUND', 'O Pix desta cobrança ainda não foi recebido pelo PixDesk. Aguarde a conferência com o banco e tente de novo.');
      const left = pix.map((p) => ({ p, free: p.amount_cents - s.committedRefundCents(p.e2eid) }));
      const totalFree = left.reduce((n, x) => n + Math.max(0, x.free), 0);
      if (totalFree <= 0) throw new AppError('REFUND_EXCEEDS', 'Esta cobrança já foi devolvida por inteiro (ou há devoluções em processamento que somam o valor recebido).');
      const want = amountCents ?? left.find((x) => x.free > 0)!.free;
      const target = left.find((x) => x.free >= want);
      if (!target) {
        throw new AppError('REFUND_EXCEEDS', `Valor acima do que pode ser devolvido: restam ${formatBrl(Math.max(...left.map((x) => x.free)))} (recebido ${formatBrl(charge.paid_cents ?? charge.amount_cents)}, já devolvido ou em processamento ${formatBrl(pix.reduce((n, p) => n + p.amount_cents, 0) - totalFree)}).`);
      }
      const r: RefundRow = {
        id: refundId(), e2eid: target.p.e2eid, charge_id: chargeId, account_id: charge.account_id, amount_cents: want,
        status: 'EM_PROCESSAMENTO', bank_confirmed: 0, reason: text, bank_reason: null, rtr_id: null, requested_at: at,
        settled_at: null, updated_at: at, last_error: null,
      };
      s.insertRefund(r);
      return r;
    })();
    this.publish(row.id);
    await this.send(row);
    return this.d.view(chargeId);
  }

  /** PUT the stored refund (same id and amount: idempotent at the bank) and apply the answer. */
  private async send(r: RefundRow): Promise<void> {
    const client = this.d.client(r.account_id);
    try {
      const ans = await client.putDevolucao(r.e2eid, r.id, { valor: centsToValor(r.amount_cents), natureza: 'ORIGINAL', ...(r.reason ? { descricao: r.reason } : {}) });
      this.d.payments.applyRefundNow(ans, r.account_id);
    } catch (e) {
      if (isTransient(e)) {
        this.d.store.updateRefund(r.id, { last_error: `${toErrorInfo(e).message} O pedido será reenviado automaticamente (mesmo id, sem risco de devolver em dobro).`, updated_at: this.d.now().toISOString() });
        this.publish(r.id);
        throw new AppError('REFUND_PENDING', `${toErrorInfo(e).message} A devolução ficou registrada e será reenviada automaticamente com o mesmo id.`);
      }
      if (e instanceof PixApiError && e.problem.status >= 400 && e.problem.status < 500 && e.problem.status !== 401 && e.problem.status !== 403) {
        // Refused: nothing left the account; the amount is free again.
        this.d.store.updateRefund(r.id, {
          status: 'NAO_REALIZADO', bank_confirmed: 1, bank_reason: (e.problem.violacoes[0]?.razao || e.problem.detail || e.problem.title)?.slice(0, 140) ?? null,
          last_error: e.message, updated_at: this.d.now().toISOString(),
        });
        this.publish(r.id);
        throw new AppError('REFUND_REFUSED', `O Itaú recusou a devolução.${bankSaid(e.problem)} Nenhum valor foi devolvido.`);
      }
      this.d.store.updateRefund(r.id, { last_error: toErrorInfo(e).message, updated_at: this.d.now().toISOString() });
      this.publish(r.id);
      throw e;
    }
  }

  private publish(id: string): void {
    const r = this.d.store.getRefund(id);
    if (r?.charge_id) this.d.events.publish('charge:refunded', { charge: this.d.view(r.charge_id), refund: refundView(r) });
  }

  /**
   * Follow refunds still EM_PROCESSAMENTO: resend the ones the bank never acknowledged, read the others back with
   * `GET /pix/{e2eid}/devolucao/{id}`.
   */
  async refreshOpen(): Promise<void> {
    for (const r of this.d.store.openRefunds()) {
      try {
        if (r.bank_confirmed === 0) await this.send(r);
        else this.d.payments.applyRefundNow(await this.d.client(r.account_id).getDevolucao(r.e2eid, r.id), r.account_id);
      } catch {
        /* kept with its error; next round */
      }
    }
  }
}
