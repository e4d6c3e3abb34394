import { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountSummary, ReceivedPixView } from '../../main/core/contract/types';
import { call } from '../bridge';
import { formatBRL, formatDateTime } from '../format';
import { onEvent } from '../live-events';
import { messages } from '../messages';
import { DayReconcile } from './DayReconcile';

/** Rows per page of the received-Pix list. */
const PAGE = 50;

/**
 * "Pix recebidos": the transfers made straight to the key with no charge of ours (keyset pages of
 * `pix:listReceived`, newest first; a new one arriving shows at once), next to the daily reconciliation.
 */
export function ReceivedPix({ accounts }: { accounts: AccountSummary[] }) {
  const m = messages.charges.received;
  const [accountId, setAccountId] = useState('');
  const [q, setQ] = useState('');
  const [items, setItems] = useState<ReceivedPixView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  const load = useCallback(
    (cursor?: string) => {
      const n = ++asked.current;
      setLoading(true);
      void call('pix:listReceived', { unmatchedOnly: true, limit: PAGE, ...(accountId ? { accountId } : {}), ...(q.trim() ? { q: q.trim() } : {}), ...(cursor ? { cursor } : {}) }).then((r) => {
        if (n !== asked.current) return;
        setLoading(false);
        if (!r.ok) return setError(r.error.message);
        setError(null);
        setItems((old) => (cursor ? [...old, ...r.value.items] : r.value.items));
        setNext(r.value.nextCursor);
      });
    },
    [accountId, q],
  );

  useEffect(() => {
    const t = window.setTimeout(() => load(), 200);
    return () => window.clearTimeout(t);
  }, [load]);
  useEffect(() => onEvent((e) => e.name === 'pix:received' && load()), [load]);

  const name = (id: string) => accounts.find((a) => a.id === id)?.name ?? '—';
  return (
    <div className="rp">
      <section className="rp-card" aria-label={m.title} data-testid="received-pix">
        <h2>{m.title}</h2>
        <p>{m.body}</p>
        <div className="rp-form">
          <label>
            {m.account}
            <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">{m.anyAccount}</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.q}
            <input type="search" value={q} placeholder={m.qPlaceholder} maxLength={100} onChange={(e) => setQ(e.target.value)} />
          </label>
        </div>
        {error ? <div className="alert error">{`${m.failed} ${error}`}</div> : null}
        <table className="rp-table">
          <thead>
            <tr>
              <th>{m.columns.at}</th>
              <th className="num">{m.columns.amount}</th>
              <th>{m.columns.payer}</th>
              <th>{m.columns.message}</th>
              <th>{m.columns.account}</th>
              <th>{m.columns.e2eid}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && !loading ? (
              <tr>
                <td colSpan={6} className="muted">
                  {m.empty}
                </td>
              </tr>
            ) : (
              items.map((p) => (
                <tr key={p.e2eid} data-e2eid={p.e2eid}>
                  <td>{formatDateTime(p.receivedAt)}</td>
                  <td className="num">{formatBRL(p.amountCents, 'cents')}</td>
                  <td>
                    {p.payerName ?? ''}
                    {p.payerDocument ? <small> {p.payerDocument}</small> : null}
                  </td>
                  <td>{p.payerMessage ?? ''}</td>
                  <td>{name(p.accountId)}</td>
                  <td>
                    <code>{p.e2eid}</code>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
        {loading ? <p className="muted">{m.loading}</p> : null}
        {next && !loading ? (
          <button type="button" onClick={() => load(next)}>
            {m.more}
          </button>
        ) : null}
      </section>
      <DayReconcile accounts={accounts} />
    </div>
  );
}
