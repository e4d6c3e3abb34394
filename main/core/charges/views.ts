import type { ChargeView, ReceivedPixView, RefundView } from '../contract/types';
import type { ChargeRow, ChargeStore, ReceivedPixRow, RefundRow } from './charge-store';

/** A refund row as the interface sees it. */
export function refundView(r: RefundRow): RefundView {
  return {
    id: r.id,
    e2eid: r.e2eid,
    chargeId: r.charge_id,
    amountCents: r.amount_cents,
    status: r.status,
    confirmedByBank: r.bank_confirmed === 1,
    reason: r.reason,
    bankReason: r.bank_reason,
    requestedAt: r.requested_at,
    settledAt: r.settled_at,
    error: r.last_error,
  };
}

/** A received Pix as the interface sees it (the payer's document is stored masked only). */
export function receivedPixView(r: ReceivedPixRow): ReceivedPixView {
  return {
    e2eid: r.e2eid,
    accountId: r.account_id,
    chargeId: r.charge_id,
    txid: r.txid,
    amountCents: r.amount_cents,
    pixKey: r.pix_key,
    receivedAt: r.received_at,
    payerName: r.payer_name,
    payerDocument: r.payer_doc_masked,
    payerMessage: r.payer_message,
  };
}

/** A charge as the interface sees it, with its refunds. No secret is stored with a charge, so none can leak. */
export function chargeView(store: ChargeStore, r: ChargeRow): ChargeView {
  const refunds = store.refundsOfCharge(r.id).map(refundView);
  const refundedCents = refunds.filter((x) => x.status === 'DEVOLVIDO').reduce((s, x) => s + x.amountCents, 0);
  const refundPendingCents = refunds.filter((x) => x.status === 'EM_PROCESSAMENTO').reduce((s, x) => s + x.amountCents, 0);
  return {
    id: r.id,
    txid: r.txid,
    accountId: r.account_id,
    till: r.till,
    kind: r.kind,
    status: r.status,
    amountCents: r.amount_cents,
    description: r.description,
    pixKey: r.pix_key,
    expiresIn: r.expires_in,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    paidAt: r.paid_at,
    paidCents: r.paid_cents,
    e2eid: r.e2eid,
    payer: r.payer_name || r.payer_doc_masked ? { name: r.payer_name, document: r.payer_doc_masked } : null,
    brCode: r.br_code,
    location: r.location,
    bankStatus: r.bank_status,
    revision: r.bank_revision,
    refundedCents,
    refundPendingCents,
    refunds,
    error: r.last_error ? { code: r.last_error_code ?? 'ERROR', message: r.last_error } : null,
    replacedBy: r.replaced_by,
  };
}
