import { useEffect, useRef, useState } from 'react';
import type { ChargeView, PageOf, ReceivedPixView, Result } from '../../main/core/contract';
import { call } from '../bridge';
import { formatBRL } from '../format';
import { messages } from '../messages';
import { closeTill, closingCsv, spDay, type TillClosing } from './closing';
import { saveBlob } from './files';
import { printPage } from './printing';
import type { TillInfo } from './useTill';
import './cashier.css';

/** Pages of at most 200, newest first, until the items are older than the day asked for (or there are no more). */
async function loadDay(till: string, day: string): Promise<{ charges: ChargeView[]; received: ReceivedPixView[] } | string> {
  const charges: ChargeView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const r: Result<PageOf<ChargeView>> = await call('charges:list', { till, limit: 200, ...(cursor ? { cursor } : {}) });
    if (!r.ok) return r.error.message;
    charges.push(...r.value.items);
    const last = r.value.items.at(-1);
    if (!r.value.nextCursor || !last || spDay(last.createdAt) < day) break;
    cursor = r.value.nextCursor;
  }
  const received: ReceivedPixView[] = [];
  cursor = undefined;
  for (let i = 0; i < 50; i++) {
    const r: Result<PageOf<ReceivedPixView>> = await call('pix:listReceived', { limit: 200, ...(cursor ? { cursor } : {}) });
    if (!r.ok) return r.error.message;
    received.push(...r.value.items);
    const last = r.value.items.at(-1);
    // A Pix may arrive a little after its charge's day ends: read a day past it too.
    if (!r.value.nextCursor || !last || spDay(last.receivedAt) < day) break;
    cursor = r.value.nextCursor;
  }
  return { charges, received };
}

/**
 * "Fechamento de caixa": this till's day (São Paulo), totals by status and by hour, each paid charge checked against
 * the Pix the bank listed (by e2eid), the differences, print (Ctrl+P), CSV for Excel (F8) and XLSX (Shift+F8).
 */
export function ClosingPanel({ info }: { info: TillInfo }) {
  const m = messages.cashier.closing;
  const st = messages.cashier.status;
  const [day, setDay] = useState(() => spDay(new Date()));
  const [data, setData] = useState<{ closing: TillClosing; charges: ChargeView[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dayInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    dayInput.current?.focus();
  }, []);

  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    void loadDay(info.till, day).then((r) => {
      if (!live) return;
      if (typeof r === 'string') setError(r);
      else setData({ closing: closeTill(day, info.till, r.charges, r.received), charges: r.charges });
    });
    return () => {
      live = false;
    };
  }, [info.till, day]);

  const exportCsv = () => {
    if (!data) return;
    const csv = closingCsv(data.closing, data.charges, { ...m.states, status: st });
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), m.fileName(info.till, day));
  };
  const exportXlsx = () => {
    if (!data) return;
    const { closing, charges } = data;
    // SheetJS is loaded only when a workbook is asked for (it is large and the Caixa never needs it otherwise).
    void import('./closingXlsx').then(({ closingXlsx }) => {
      const bytes = closingXlsx(closing, charges, { ...m.states, status: st });
      const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      saveBlob(new Blob([bytes], { type }), m.fileName(info.till, day).replace(/\.csv$/, '.xlsx'));
    });
  };
  const exportRef = useRef({ csv: exportCsv, xlsx: exportXlsx });
  exportRef.current = { csv: exportCsv, xlsx: exportXlsx };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F8') {
        e.preventDefault();
        if (e.shiftKey) exportRef.current.xlsx();
        else exportRef.current.csv();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        void printPage();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const c = data?.closing;
  return (
    <div className="fc" data-testid="closing">
      <section className="cx-card">
        <h2>{m.title}</h2>
        <p className="muted">{m.subtitle(info.till)}</p>
        <div className="cx-tools fc-tools">
          <label className="cx-paper">
            {m.day}
            <input ref={dayInput} type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} />
          </label>
          <button type="button" onClick={exportCsv} disabled={!data}>
            {m.csv} <kbd>F8</kbd>
          </button>
          <button type="button" onClick={exportXlsx} disabled={!data}>
            {m.xlsx} <kbd>Shift+F8</kbd>
          </button>
          <button type="button" onClick={() => void printPage()} disabled={!data}>
            {m.print} <kbd>Ctrl+P</kbd>
          </button>
        </div>
        {error ? <div className="alert error">{error}</div> : null}
        {!c && !error ? <p className="muted">{messages.common.loading}</p> : null}
        {c ? (
          <>
            <p className="fc-total" data-testid="closing-total">
              {m.paidTotal(formatBRL(c.paidCents, 'cents'))}
            </p>
            <div className="fc-grid">
              <table data-testid="closing-status">
                <caption>{m.byStatus}</caption>
                <tbody>
                  {c.byStatus.length === 0 ? (
                    <tr>
                      <td>{m.none}</td>
                    </tr>
                  ) : (
                    c.byStatus.map((s) => (
                      <tr key={s.status}>
                        <th scope="row">{st[s.status] ?? s.status}</th>
                        <td className="num">{s.count}</td>
                        <td className="num">{formatBRL(s.cents, 'cents')}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
              <table data-testid="closing-hours">
                <caption>{m.byHour}</caption>
                <tbody>
                  {c.byHour.map((h) => (
                    <tr key={h.hour}>
                      <th scope="row">{m.hour(h.hour)}</th>
                      <td className="num">{m.count(h.count)}</td>
                      <td className="num">{formatBRL(h.paidCents, 'cents')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3>{m.reconciliation}</h3>
            {c.lines.length === 0 ? <p className="muted">{m.none}</p> : null}
            <table className="fc-lines" data-testid="closing-lines">
              <tbody>
                {c.lines.map((l) => (
                  <tr key={l.charge.id} data-state={l.state}>
                    <td className="num">{formatBRL(l.charge.paidCents ?? l.charge.amountCents, 'cents')}</td>
                    <td className="mono">{l.charge.e2eid ?? l.pix?.e2eid ?? '—'}</td>
                    <td>
                      <span className={`cx-pill ${l.state === 'ok' ? 'st-paid' : 'st-failed'}`}>{m.states[l.state]}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className={c.differences.length ? 'cx-error' : 'fc-ok'} data-testid="closing-differences">
              {c.differences.length ? m.differences(c.differences.length) : m.noDifferences}
            </p>
          </>
        ) : null}
      </section>
    </div>
  );
}
