import type { ChargeView, RefundView } from '../contract/types';
import type { ApiChargeRow, ApiQrCodeRow, ApiRefundRow } from './api-store';

/*
 * Charges, refunds and static QR codes in OpenPix's JSON shape, so a partner written for OpenPix reads them
 * unchanged. Amounts are integer cents, as OpenPix sends them.
 */

export type OpenPixStatus = 'ACTIVE' | 'COMPLETED' | 'EXPIRED';

/** The engine's status as OpenPix names it (a cancelled or failed charge can no longer be paid: EXPIRED). */
export function openPixStatus(s: ChargeView['status']): OpenPixStatus {
  if (s === 'paid') return 'COMPLETED';
  if (s === 'creating' || s === 'active' || s === 'pending_confirmation') return 'ACTIVE';
  return 'EXPIRED';
}

export interface OpenPixCustomer {
  name?: string;
  email?: string;
  phone?: string;
  taxID?: { taxID: string; type: 'BR:CPF' | 'BR:CNPJ' };
}

/** Links of this server (payment page and QR image); `base` is e.g. http://127.0.0.1:8787. */
export function links(base: string, linkId: string): { paymentLinkUrl: string; qrCodeImage: string } {
  return { paymentLinkUrl: `${base}/pay/${linkId}`, qrCodeImage: `${base}/openpix/charge/brcode/image/${linkId}.png` };
}

function parse<T>(json: string | null): T | null {
  return json ? (JSON.parse(json) as T) : null;
}

/** A charge as OpenPix answers it in `{charge}`. */
export function openPixCharge(v: ChargeView, a: ApiChargeRow, base: string): Record<string, unknown> {
  const l = links(base, a.payment_link_id);
  const status = openPixStatus(v.status);
  return {
    value: v.amountCents,
    comment: a.comment ?? v.description ?? '',
    correlationID: a.correlation_id,
    identifier: v.txid,
    transactionID: v.txid,
    globalID: v.id,
    status,
    type: 'DYNAMIC',
    brCode: v.brCode,
    pixKey: v.pixKey,
    paymentLinkID: a.payment_link_id,
    paymentLinkUrl: l.paymentLinkUrl,
    qrCodeImage: l.qrCodeImage,
    expiresIn: v.expiresIn,
    expiresDate: v.expiresAt,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    paidAt: v.paidAt,
    endToEndId: v.e2eid,
    customer: parse<OpenPixCustomer>(a.customer),
    additionalInfo: parse<{ key: string; value: string }[]>(a.additional_info) ?? [],
    payer: v.payer ? { name: v.payer.name, taxID: v.payer.document ? { taxID: v.payer.document, type: v.payer.document.length > 14 ? 'BR:CNPJ' : 'BR:CPF' } : null } : null,
    fee: 0,
    paymentMethods: { pix: { method: 'PIX_COB', txId: v.txid, value: v.amountCents, status, brCode: v.brCode, transactionID: v.txid, identifier: v.txid, qrCodeImage: l.qrCodeImage } },
    /** PixDesk's own, finer state (cancelled and failed are EXPIRED for OpenPix clients). */
    pixdeskStatus: v.status,
  };
}

const REFUND_STATUS: Record<RefundView['status'], 'IN_PROCESSING' | 'CONFIRMED' | 'REJECTED'> = {
  EM_PROCESSAMENTO: 'IN_PROCESSING',
  DEVOLVIDO: 'CONFIRMED',
  NAO_REALIZADO: 'REJECTED',
};

/** A refund in OpenPix's shape; `api` is the row that names its correlationID when the API asked for it. */
export function openPixRefund(r: RefundView, api: ApiRefundRow | undefined): Record<string, unknown> {
  return {
    value: r.amountCents,
    status: REFUND_STATUS[r.status],
    correlationID: api?.correlation_id ?? r.id,
    refundId: r.id,
    endToEndId: r.e2eid,
    time: r.settledAt ?? r.requestedAt,
    comment: api?.comment ?? r.reason ?? '',
    reason: r.bankReason,
  };
}

/** A static QR code in OpenPix's `{pixQrCode}` shape. */
export function openPixQrCode(q: ApiQrCodeRow, base: string): Record<string, unknown> {
  const l = links(base, q.payment_link_id);
  return {
    name: q.name,
    value: q.value,
    comment: q.comment ?? '',
    correlationID: q.correlation_id,
    identifier: q.txid,
    brCode: q.br_code,
    paymentLinkID: q.payment_link_id,
    paymentLinkUrl: l.paymentLinkUrl,
    qrCodeImage: l.qrCodeImage,
    createdAt: q.created_at,
    updatedAt: q.created_at,
  };
}
