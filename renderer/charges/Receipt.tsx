import { useEffect, useRef } from 'react';
import { formatBRL } from '../format';
import { messages } from '../messages';
import './dashboard.css';

/** What a receipt shows: plain data, so the Caixa or any screen can print one without a ChargeView. */
export interface ReceiptData {
  merchant: { name: string; city?: string | null };
  amountCents: number;
  /** When the Pix was received (ISO); shown in São Paulo time. */
  paidAt: string;
  e2eid: string | null;
  txid: string | null;
  payerName?: string | null;
  /** Masked as stored (***.456.789-**): the full document is never known here. */
  payerDocument?: string | null;
  description?: string | null;
  refundedCents?: number;
}

const spDateTime = new Intl.DateTimeFormat('pt-BR', {
  timeZone: 'America/Sao_Paulo', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** "23/11/2026 13:05:09" in America/Sao_Paulo. */
export function receiptTime(iso: string): string {
  return spDateTime.format(new Date(iso)).replace(',', '');
}

/**
 * Print only this receipt: the body is marked for the print stylesheet (everything else hidden, the receipt at
 * 76 mm, a thermal roll's width) and unmarked after the print dialog closes.
 */
export function printReceipt(el: HTMLElement): void {
  el.classList.add('to-print');
  document.body.classList.add('printing-receipt');
  const done = () => {
    el.classList.remove('to-print');
    document.body.classList.remove('printing-receipt');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
  // Some hosts never fire afterprint (print blocked, headless): window.print() returns once the dialog closed.
  done();
}

/** A Pix receipt (comprovante) with its own print button; self-contained (format, messages and print CSS only). */
export function Receipt({ data, testId = 'receipt' }: { data: ReceiptData; testId?: string }) {
  const m = messages.charges.receipt;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => () => document.body.classList.remove('printing-receipt'), []);
  return (
    <section className="receipt" ref={ref} aria-label={m.title} data-testid={testId}>
      <h4>{m.title}</h4>
      <dl>
        <dt>{m.merchant}</dt>
        <dd>
          {data.merchant.name}
          {data.merchant.city ? ` — ${data.merchant.city}` : ''}
        </dd>
        <dt>{m.amount}</dt>
        <dd className="receipt-amount">{formatBRL(data.amountCents, 'cents')}</dd>
        {data.refundedCents ? (
          <>
            <dt />
            <dd>{m.refunded(formatBRL(data.refundedCents, 'cents'))}</dd>
          </>
        ) : null}
        <dt>{m.paidAt}</dt>
        <dd data-testid={`${testId}-time`}>
          {receiptTime(data.paidAt)} <small>{m.timezone}</small>
        </dd>
        {data.payerName ? (
          <>
            <dt>{m.payer}</dt>
            <dd>
              {data.payerName}
              {data.payerDocument ? ` (${data.payerDocument})` : ''}
            </dd>
          </>
        ) : null}
        {data.description ? (
          <>
            <dt>{m.description}</dt>
            <dd>{data.description}</dd>
          </>
        ) : null}
        <dt>{m.e2eid}</dt>
        <dd>
          <code>{data.e2eid ?? '—'}</code>
        </dd>
        <dt>{m.txid}</dt>
        <dd>
          <code>{data.txid ?? '—'}</code>
        </dd>
      </dl>
      <footer>{m.footer}</footer>
      <div className="receipt-actions cd-actions">
        <button type="button" onClick={() => ref.current && printReceipt(ref.current)}>
          {m.print}
        </button>
      </div>
    </section>
  );
}
