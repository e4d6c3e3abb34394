import { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountSummary, ChargeDashboard, DashboardTotals } from '../../main/core/contract/types';
import { call } from '../bridge';
import { formatBRL } from '../format';
import { onEvent } from '../live-events';
import { messages } from '../messages';
import { DashboardChart } from './DashboardChart';
import './dashboard.css';

/** Live events that change what was received; a burst of them (a reconciliation round) refreshes once. */
const REFRESH_ON = new Set(['charge:paid', 'pix:received', 'charge:refunded']);
const DEBOUNCE_MS = 250;

const dm = (day: string) => day.slice(5).split('-').reverse().join('/');

function Figure({ label, hint, t, testId }: { label: string; hint?: string; t: DashboardTotals; testId: string }) {
  const m = messages.charges.dashboard;
  return (
    <div className="dash-fig" data-testid={testId}>
      <span className="dash-fig-label">
        {label}
        {hint ? <small> {hint}</small> : null}
      </span>
      <strong className="dash-fig-total" data-testid={`${testId}-total`}>
        {formatBRL(t.cents, 'cents')}
      </strong>
      <span className="dash-fig-sub">
        <span data-testid={`${testId}-count`}>{m.count(t.count.toLocaleString('pt-BR'))}</span>
        {' · '}
        <span data-testid={`${testId}-avg`}>{m.avg(formatBRL(t.avgCents, 'cents'))}</span>
      </span>
    </div>
  );
}

function Split({ title, rows, testId }: { title: string; rows: { key: string; name: string; today: DashboardTotals; week: DashboardTotals }[]; testId: string }) {
  const m = messages.charges.dashboard;
  return (
    <div className="dash-split">
      <h3>{title}</h3>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{m.colName}</th>
            <th scope="col">{m.colToday}</th>
            <th scope="col">{m.colWeek}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                {m.nothing}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.key} data-key={r.key}>
                <th scope="row">{r.name}</th>
                <td>
                  {formatBRL(r.today.cents, 'cents')} <small>({r.today.count})</small>
                </td>
                <td>
                  {formatBRL(r.week.cents, 'cents')} <small>({r.week.count})</small>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The top of Cobranças: today's and this week's takings (received Pix, São Paulo days, weeks from Monday), split by
 * account and by till, and the last 7/30 days as bars. Refreshed when a payment arrives (live events), never polled.
 */
export function Dashboard({ accounts }: { accounts: AccountSummary[] }) {
  const m = messages.charges.dashboard;
  const [range, setRange] = useState<7 | 30>(7);
  const [data, setData] = useState<ChargeDashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  const load = useCallback(() => {
    const n = ++asked.current;
    void call('charges:dashboard', { range }).then((r) => {
      if (n !== asked.current) return;
      if (r.ok) {
        setData(r.value);
        setError(null);
      } else setError(r.error.message);
    });
  }, [range]);

  useEffect(load, [load]);
  useEffect(() => {
    let timer: number | null = null;
    const off = onEvent((e) => {
      if (!REFRESH_ON.has(e.name)) return;
      if (timer !== null) window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        timer = null;
        load();
      }, DEBOUNCE_MS);
    });
    return () => {
      off();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [load]);

  if (error && !data) return <div className="alert error">{`${m.failed} ${error}`}</div>;
  if (!data) return <div className="dash muted" data-testid="dashboard">{m.loading}</div>;
  const name = (id: string) => accounts.find((a) => a.id === id)?.name ?? '—';
  const tills = data.byTill.map((t) => ({ key: t.direct ? 'direct' : (t.till ?? ''), name: t.direct ? m.direct : (t.till ?? m.noTill), today: t.today, week: t.week }));

  return (
    <section className="dash" aria-label={m.label} data-testid="dashboard" data-day={data.day}>
      <div className="dash-figs">
        <Figure label={m.today} t={data.today} testId="dash-today" />
        <Figure label={m.week} hint={m.weekHint(dm(data.weekStart))} t={data.week} testId="dash-week" />
      </div>
      <Split title={m.byAccount} rows={data.byAccount.map((a) => ({ key: a.accountId, name: name(a.accountId), today: a.today, week: a.week }))} testId="dash-by-account" />
      <Split title={m.byTill} rows={tills} testId="dash-by-till" />
      <div className="dash-chart-box">
        <div className="dash-chart-head">
          <span>{m.chart}</span>
          <div className="seg" role="group" aria-label={m.rangeLabel}>
            {([7, 30] as const).map((r) => (
              <button key={r} type="button" className={r === range ? 'on' : ''} aria-pressed={r === range} onClick={() => setRange(r)}>
                {r === 7 ? m.range7 : m.range30}
              </button>
            ))}
          </div>
        </div>
        <DashboardChart series={data.series} />
      </div>
    </section>
  );
}
