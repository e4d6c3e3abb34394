import { useState } from 'react';
import type { AccountSummary, DayReconciliation, ReconcileLine } from '../../main/core/contract/types';
import { call } from '../bridge';
import { formatBRL, formatDateTime } from '../format';
import { messages } from '../messages';

/** Today in São Paulo, "YYYY-MM-DD" (UTC−3 all year since 2019). */
export function spToday(now = Date.now()): string {
  return new Date(now - 3 * 3600_000).toISOString().slice(0, 10);
}

function Lines({ title, hint, lines, testId }: { title: string; hint?: string; lines: ReconcileLine[]; testId: string }) {
  const m = messages.charges.reconcile;
  return (
    <div className="rc-group" data-testid={testId}>
      <h3>{`${title} (${lines.length})`}</h3>
      {hint && lines.length ? <p>{hint}</p> : null}
      {lines.length === 0 ? (
        <p className="muted">{m.none}</p>
      ) : (
        <table className="rp-table">
          <tbody>
            {lines.map((l, i) => (
              <tr key={l.e2eid ?? `${l.txid ?? ''}-${i}`} data-e2eid={l.e2eid ?? ''}>
                <td>{formatDateTime(l.at)}</td>
                <td className="num">
                  {formatBRL(l.amountCents, 'cents')}
                  {l.bankAmountCents !== null && l.bankAmountCents !== l.amountCents ? <small className="error"> {m.bankAmount(formatBRL(l.bankAmountCents, 'cents'))}</small> : null}
                </td>
                <td>{l.payerName ?? ''}</td>
                <td>{l.chargeId ? m.charge : m.directPix}</td>
                <td>
                  <code>{l.e2eid ?? l.txid ?? ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * The daily reconciliation: one São Paulo day of one account, asked of the bank on demand (`charges:reconcileDay`)
 * and shown as matched / only at the bank / only here.
 */
export function DayReconcile({ accounts }: { accounts: AccountSummary[] }) {
  const m = messages.charges.reconcile;
  const [day, setDay] = useState(spToday);
  const [accountId, setAccountId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DayReconciliation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const account = accountId || accounts.find((a) => a.isDefault)?.id || accounts[0]?.id || '';

  const run = () => {
    setBusy(true);
    setError(null);
    void call('charges:reconcileDay', { day, ...(account ? { accountId: account } : {}) }).then((r) => {
      setBusy(false);
      if (r.ok) setResult(r.value);
      else {
        setResult(null);
        setError(r.error.message);
      }
    });
  };
  const n = (xs: ReconcileLine[], cents: number) => m.summary(String(xs.length), formatBRL(cents, 'cents'));

  return (
    <section className="rp-card" aria-label={m.title} data-testid="day-reconcile">
      <h2>{m.title}</h2>
      <p>{m.body}</p>
      <div className="rp-form">
        <label>
          {m.day}
          <input type="date" value={day} max={spToday()} onChange={(e) => setDay(e.target.value)} />
        </label>
        <label>
          {m.account}
          <select value={account} onChange={(e) => setAccountId(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={busy || !day} onClick={run}>
          {busy ? m.running : m.run}
        </button>
      </div>
      {error ? <div className="alert error" role="alert">{`${m.failed} ${error}`}</div> : null}
      {result ? (
        <>
          <p className="muted">
            {m.checkedAt(formatDateTime(result.checkedAt))}
            {result.complete ? '' : ` · ${m.partial}`}
          </p>
          <div className="rc-sum">
            <div className="rc-ok" data-testid="rc-matched">
              {m.matched}
              <strong>{n(result.matched, result.totals.matchedCents)}</strong>
            </div>
            <div className="rc-bank" data-testid="rc-bank-only">
              {m.bankOnly}
              <strong>{n(result.bankOnly, result.totals.bankOnlyCents)}</strong>
            </div>
            <div className="rc-local" data-testid="rc-local-only">
              {m.localOnly}
              <strong>{n(result.localOnly, result.totals.localOnlyCents)}</strong>
            </div>
          </div>
          {result.amountMismatches ? <div className="alert error">{m.mismatch(result.amountMismatches)}</div> : null}
          <Lines title={m.bankOnly} hint={m.bankOnlyHint} lines={result.bankOnly} testId="rc-list-bank-only" />
          <Lines title={m.localOnly} hint={m.localOnlyHint} lines={result.localOnly} testId="rc-list-local-only" />
          <Lines title={m.matched} lines={result.matched} testId="rc-list-matched" />
        </>
      ) : null}
    </section>
  );
}
