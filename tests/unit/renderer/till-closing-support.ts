import type { ChargeView, ReceivedPixView } from '../../../main/core/contract';

/** Charges, received Pix and labels for the till-closing tests (CSV and XLSX). */
let n = 0;
export function charge(p: Partial<ChargeView>): ChargeView {
  n++;
  return {
    id: `c${n}`, txid: `tx${n}`, accountId: 'a', till: 'Caixa 1', kind: 'dynamic', status: 'active', amountCents: 1000, description: null,
    pixKey: 'k', expiresIn: 300, expiresAt: '2026-12-01T15:05:00.000Z', createdAt: '2026-12-01T15:00:00.000Z', updatedAt: '2026-12-01T15:00:00.000Z',
    paidAt: null, paidCents: null, e2eid: null, payer: null, brCode: null, location: null, bankStatus: null, revision: null, refundedCents: 0,
    refundPendingCents: 0, refunds: [], error: null, replacedBy: null, ...p,
  };
}
export function pix(p: Partial<ReceivedPixView>): ReceivedPixView {
  return { e2eid: 'E1', accountId: 'a', chargeId: null, txid: null, amountCents: 1000, pixKey: 'k', receivedAt: '2026-12-01T15:01:00.000Z', payerName: null, payerDocument: null, payerMessage: null, ...p };
}
export const labels = { ok: 'conferido', missing: 'sem Pix no banco', amount: 'valor diferente', unpaid: 'Pix no banco, cobrança não paga', status: { paid: 'Paga', active: 'Aguardando', cancelled: 'Cancelada', expired: 'Expirada' } };
