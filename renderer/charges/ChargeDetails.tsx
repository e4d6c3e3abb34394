import { useEffect, useState } from 'react';
import type { ChargeView } from '../../main/core/contract/types';
import { Dialog } from '../accounts/Dialog';
import { call } from '../bridge';
import { formatBRL, formatDateTime } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';
import { reaisToCents } from './filter';
import { Receipt } from './Receipt';

const brl = (c: number) => formatBRL(c, 'cents');

/** What can still be refunded: received minus refunded and refunds on the way. */
export function refundableCents(c: ChargeView): number {
  return c.status === 'paid' ? Math.max(0, (c.paidCents ?? c.amountCents) - c.refundedCents - c.refundPendingCents) : 0;
}

function Timeline({ c }: { c: ChargeView }) {
  const d = messages.charges.details;
  const steps: { at: string; title: string; body?: string; kind: string }[] = [
    { at: c.createdAt, title: d.created, body: d.createdBody(brl(c.amountCents), c.kind === 'static' ? d.kindStatic : d.kindDynamic), kind: 'created' },
  ];
  if (c.paidAt) {
    const who = c.payer?.name ? `${c.payer.name}${c.payer.document ? ` (${c.payer.document})` : ''}` : d.unknownPayer;
    steps.push({ at: c.paidAt, title: d.paid, body: `${d.paidBody(brl(c.paidCents ?? c.amountCents), who)}${c.e2eid ? ` · ${d.e2eid} ${c.e2eid}` : ''}`, kind: 'paid' });
  }
  for (const r of c.refunds) {
    steps.push({ at: r.settledAt ?? r.requestedAt, title: d.refund(messages.charges.refundStatus[r.status] ?? r.status), body: d.refundBody(brl(r.amountCents), r.reason), kind: `refund-${r.status}` });
  }
  if (c.status === 'cancelled') steps.push({ at: c.updatedAt, title: d.cancelled, kind: 'cancelled' });
  if (c.status === 'expired') steps.push({ at: c.expiresAt, title: d.expired, kind: 'expired' });
  if (c.status === 'failed') steps.push({ at: c.updatedAt, title: d.failed, body: c.error?.message, kind: 'failed' });
  steps.sort((a, b) => a.at.localeCompare(b.at));
  return (
    <ol className="tl" aria-label={d.timeline}>
      {steps.map((s, i) => (
        <li key={i} className={`tl-${s.kind}`}>
          <time>{formatDateTime(s.at)}</time>
          <strong>{s.title}</strong>
          {s.body ? <p>{s.body}</p> : null}
        </li>
      ))}
    </ol>
  );
}

function RefundDialog({ c, onClose, onDone }: { c: ChargeView; onClose: () => void; onDone: (v: ChargeView) => void }) {
  const m = messages.charges.refundDialog;
  const max = refundableCents(c);
  const [amount, setAmount] = useState(`${Math.floor(max / 100)},${String(max % 100).padStart(2, '0')}`);
  const [reason, setReason] = useState('');
  const [review, setReview] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cents = reaisToCents(amount);
  const check = (): string | null => {
    if (cents === null || !Number.isFinite(cents) || cents <= 0) return m.badAmount;
    if (cents > max) return m.tooMuch(brl(max));
    if (!reason.trim()) return m.reasonRequired;
    return null;
  };
  const submit = async () => {
    setBusy(true);
    const r = await call('charges:refund', { id: c.id, amountCents: cents!, reason: reason.trim() });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error.message);
  };
  return (
    <Dialog title={m.title} onClose={onClose} size="sm" testId="refund-dialog">
      {review ? (
        <p>{m.review(brl(cents!), c.payer?.name ?? messages.charges.details.unknownPayer)}</p>
      ) : (
        <div className="form">
          <label>
            <span>{m.amount}</span>
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            <small className="muted">{m.amountHelp(brl(max))}</small>
          </label>
          <label>
            <span>{m.reason}</span>
            <input value={reason} maxLength={140} placeholder={m.reasonPlaceholder} onChange={(e) => setReason(e.target.value)} />
          </label>
        </div>
      )}
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={review ? () => setReview(false) : onClose} disabled={busy}>
          {review ? m.back : messages.common.cancel}
        </button>
        {review ? (
          <button type="button" className="danger" onClick={() => void submit()} disabled={busy}>
            {m.confirm}
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => {
              const problem = check();
              setError(problem);
              if (!problem) setReview(true);
            }}
          >
            {m.next}
          </button>
        )}
      </div>
    </Dialog>
  );
}

/** The side panel of one charge: timeline, BR Code with copy, and cancel / refund with confirmation. */
export function ChargeDetails(props: {
  id: string;
  accountName: (id: string) => string;
  /** Who received (for the receipt): the account's company and city. */
  merchantOf?: (accountId: string) => { name: string; city?: string | null } | undefined;
  onClose: () => void;
  onChanged: () => void;
}) {
  const d = messages.charges.details;
  const notify = useApp((s) => s.notify);
  const [c, setC] = useState<ChargeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'cancel' | 'refund' | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let live = true;
    setC(null);
    setError(null);
    void call('charges:get', { id: props.id }).then((r) => {
      if (!live) return;
      if (r.ok) setC(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [props.id]);

  const changed = (v: ChargeView, text: string) => {
    setC(v);
    setDialog(null);
    notify('ok', text);
    props.onChanged();
  };
  const cancel = async () => {
    const r = await call('charges:cancel', { id: props.id });
    if (r.ok) changed(r.value, messages.charges.cancelDialog.done);
    else notify('error', r.error.message);
  };
  // Not destructive (it only puts the QR back in front of the customer): no confirmation, just a toast.
  const showOnDisplay = async () => {
    const r = await call('charges:showOnDisplay', { id: props.id });
    if (r.ok) notify('ok', d.shownOnDisplay(r.value.till));
    else notify('error', r.error.message);
  };
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    } catch {
      notify('error', d.copyFailed);
    }
  };

  const open = c && (c.status === 'active' || c.status === 'pending_confirmation' || c.status === 'creating');
  const refundable = c ? refundableCents(c) : 0;
  return (
    <aside className="cd" aria-label={d.title} data-testid="charge-details">
      <header className="cd-head">
        <h2>{d.title}</h2>
        <button type="button" onClick={props.onClose} aria-label={d.close}>
          ×
        </button>
      </header>
      {error ? <p className="alert error">{error}</p> : null}
      {!c && !error ? <p className="muted">{d.loading}</p> : null}
      {c ? (
        <>
          <p className="cd-amount">
            {brl(c.amountCents)} <span className={`chip st-${c.status}`}>{messages.charges.status[c.status]}</span>
          </p>
          <dl className="cd-facts">
            <dt>{d.account}</dt>
            <dd>{props.accountName(c.accountId)}</dd>
            <dt>{d.till}</dt>
            <dd>{c.till ?? d.noTill}</dd>
            {c.description ? (
              <>
                <dt>{d.description}</dt>
                <dd>{c.description}</dd>
              </>
            ) : null}
            <dt>{d.txid}</dt>
            <dd>
              <code>{c.txid}</code>
            </dd>
          </dl>
          <h3>{d.timeline}</h3>
          <Timeline c={c} />
          {c.brCode ? (
            <div className="cd-brcode">
              <h3>{d.brCode}</h3>
              <textarea readOnly value={c.brCode} rows={3} aria-label={d.brCode} />
              <button type="button" onClick={() => void copy(c.brCode!)}>
                {copied ? d.copied : d.copy}
              </button>
            </div>
          ) : null}
          {c.status === 'paid' && c.paidAt ? (
            <Receipt
              data={{
                merchant: props.merchantOf?.(c.accountId) ?? { name: props.accountName(c.accountId) },
                amountCents: c.paidCents ?? c.amountCents, paidAt: c.paidAt, e2eid: c.e2eid, txid: c.txid,
                payerName: c.payer?.name ?? null, payerDocument: c.payer?.document ?? null, description: c.description, refundedCents: c.refundedCents,
              }}
            />
          ) : null}
          <div className="cd-actions">
            {refundable > 0 ? <p className="muted">{d.refundable(brl(refundable))}</p> : null}
            {c.status === 'active' || c.status === 'pending_confirmation' ? (
              <button type="button" onClick={() => void showOnDisplay()}>
                {d.showOnDisplay}
              </button>
            ) : null}
            {open ? (
              <button type="button" className="danger" onClick={() => setDialog('cancel')}>
                {d.cancel}
              </button>
            ) : null}
            {refundable > 0 ? (
              <button type="button" className="primary" onClick={() => setDialog('refund')}>
                {d.refundAction}
              </button>
            ) : null}
          </div>
          {dialog === 'cancel' ? (
            <Dialog title={messages.charges.cancelDialog.title} onClose={() => setDialog(null)} size="sm" role="alertdialog">
              <p>{messages.charges.cancelDialog.body(brl(c.amountCents))}</p>
              <div className="form-actions">
                <button type="button" onClick={() => setDialog(null)}>
                  {messages.charges.cancelDialog.keep}
                </button>
                <button type="button" className="danger" onClick={() => void cancel()}>
                  {messages.charges.cancelDialog.confirm}
                </button>
              </div>
            </Dialog>
          ) : null}
          {dialog === 'refund' ? <RefundDialog c={c} onClose={() => setDialog(null)} onDone={(v) => changed(v, messages.charges.refundDialog.done)} /> : null}
        </>
      ) : null}
    </aside>
  );
}
