import { useEffect, useState } from 'react';
import type { AccountSummary, ChargeListFilter, ChargeStatus } from '../../main/core/contract/types';
import { messages } from '../messages';
import { reaisToCents, STATUSES } from './filter';

const centsText = (c: number | undefined) => (c === undefined ? '' : `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')}`);

/** The filters of the list. Text and amounts apply after typing stops (or on Enter); selects and dates at once. */
export function FilterBar(props: { filter: ChargeListFilter; accounts: AccountSummary[]; onChange: (f: ChargeListFilter) => void }) {
  const m = messages.charges.filters;
  const { filter, onChange } = props;
  const [q, setQ] = useState(filter.q ?? '');
  const [till, setTill] = useState(filter.till ?? '');
  const [min, setMin] = useState(centsText(filter.minCents));
  const [max, setMax] = useState(centsText(filter.maxCents));
  const [error, setError] = useState<string | null>(null);

  // A new filter from outside (hash change, "Limpar") resets the typed fields.
  useEffect(() => {
    setQ(filter.q ?? '');
    setTill(filter.till ?? '');
    setMin(centsText(filter.minCents));
    setMax(centsText(filter.maxCents));
  }, [filter.q, filter.till, filter.minCents, filter.maxCents]);

  const set = (patch: Partial<ChargeListFilter>) => {
    const next: ChargeListFilter = { ...filter, ...patch };
    for (const k of Object.keys(next) as (keyof ChargeListFilter)[]) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next);
  };

  const applyTyped = () => {
    const lo = reaisToCents(min);
    const hi = reaisToCents(max);
    if (Number.isNaN(lo)) return setError(m.badAmount(m.min));
    if (Number.isNaN(hi)) return setError(m.badAmount(m.max));
    setError(null);
    const patch = { q: q.trim() || undefined, till: till.trim() || undefined, minCents: lo ?? undefined, maxCents: hi ?? undefined };
    if (patch.q !== filter.q || patch.till !== filter.till || patch.minCents !== filter.minCents || patch.maxCents !== filter.maxCents) set(patch);
  };

  useEffect(() => {
    const t = window.setTimeout(applyTyped, 400);
    return () => window.clearTimeout(t);
  }, [q, till, min, max]);

  const onEnter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') applyTyped();
  };

  return (
    <form className="cf" aria-label={m.label} onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>{m.status}</span>
        <select value={filter.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as ChargeStatus | undefined })}>
          <option value="">{m.anyStatus}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {messages.charges.status[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{m.account}</span>
        <select value={filter.accountId ?? ''} onChange={(e) => set({ accountId: e.target.value || undefined })}>
          <option value="">{m.anyAccount}</option>
          {props.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{m.till}</span>
        <input value={till} placeholder={m.tillPlaceholder} maxLength={40} onChange={(e) => setTill(e.target.value)} onKeyDown={onEnter} />
      </label>
      <label>
        <span>{m.from}</span>
        <input type="date" value={filter.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
      </label>
      <label>
        <span>{m.to}</span>
        <input type="date" value={filter.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
      </label>
      <label className="cf-amount">
        <span>{m.min}</span>
        <input inputMode="decimal" value={min} placeholder={m.amountPlaceholder} onChange={(e) => setMin(e.target.value)} onKeyDown={onEnter} />
      </label>
      <label className="cf-amount">
        <span>{m.max}</span>
        <input inputMode="decimal" value={max} placeholder={m.amountPlaceholder} onChange={(e) => setMax(e.target.value)} onKeyDown={onEnter} />
      </label>
      <label className="cf-q">
        <span>{m.q}</span>
        <input type="search" value={q} placeholder={m.qPlaceholder} maxLength={100} onChange={(e) => setQ(e.target.value)} onKeyDown={onEnter} />
      </label>
      <button type="button" className="cf-clear" onClick={() => onChange({})}>
        {m.clear}
      </button>
      {error ? (
        <p className="alert error cf-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
