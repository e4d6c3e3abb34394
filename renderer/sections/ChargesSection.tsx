import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AccountSummary, ChargeListFilter } from '../../main/core/contract/types';
import { call } from '../bridge';
import { ChargeDetails } from '../charges/ChargeDetails';
import { Dashboard } from '../charges/Dashboard';
import { ReceivedPix } from '../charges/ReceivedPix';
import { ChargeTable } from '../charges/ChargeTable';
import { ExportBar } from '../charges/ExportBar';
import { FilterBar } from '../charges/FilterBar';
import { filterFromHash, filterKey, hashOfFilter } from '../charges/filter';
import { useChargeRows } from '../charges/useChargeRows';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { formatBRL } from '../format';
import { messages } from '../messages';

/**
 * Cobranças: the dashboard of what was received on top; then the list (filters kept in the URL hash, totals of the
 * filter, the virtualised table, details and export) or "Pix recebidos" (direct transfers and the daily
 * reconciliation with the bank).
 */
export function ChargesSection() {
  const m = messages.charges;
  const [filter, setFilter] = useState<ChargeListFilter>(() => filterFromHash(window.location.hash));
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [tab, setTab] = useState<'list' | 'received'>('list');
  const rows = useChargeRows(filter);

  useEffect(() => {
    void call('accounts:list', {}).then((r) => r.ok && setAccounts(r.value));
    // A shared link or the back button changes the hash: show that filter.
    const onHash = () => {
      const f = filterFromHash(window.location.hash);
      setFilter((old) => (filterKey(old) === filterKey(f) ? old : f));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const change = useCallback((f: ChargeListFilter) => {
    setFilter(f);
    const h = hashOfFilter(f);
    if (window.location.hash !== h) window.history.replaceState(null, '', h);
  }, []);

  const names = useMemo(() => new Map(accounts.map((a) => [a.id, a.name])), [accounts]);
  const accountName = useCallback((id: string) => names.get(id) ?? '—', [names]);
  const merchantOf = useCallback(
    (id: string) => {
      const a = accounts.find((x) => x.id === id);
      return a ? { name: a.company || a.name, city: a.state ? `${a.city}/${a.state}` : a.city } : undefined;
    },
    [accounts],
  );
  const s = rows.summary;
  const empty = s && s.count === 0 && filterKey(filter) === '#/cobrancas';

  return (
    <section className="charges">
      <PageHeader title={m.title} subtitle={m.subtitle} />
      {empty ? null : <Dashboard accounts={accounts} />}
      <div className="charges-tabs" role="tablist" aria-label={m.tabs.label}>
        {(['list', 'received'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t === 'list' ? m.tabs.list : m.tabs.received}
          </button>
        ))}
      </div>
      {tab === 'received' ? (
        <ReceivedPix accounts={accounts} />
      ) : empty ? (
        <EmptyState icon="receipt" title={m.emptyTitle} body={m.emptyBody} />
      ) : (
        <>
          <FilterBar filter={filter} accounts={accounts} onChange={change} />
          <div className="charges-bar">
            <p className="ctot" data-testid="charges-totals" aria-live="polite">
              {s ? (
                <>
                  <strong data-testid="totals-count">{s.count === 1 ? m.totals.one : m.totals.count(s.count.toLocaleString('pt-BR'))}</strong>
                  <span>
                    {m.totals.amount}: <strong data-testid="totals-amount">{formatBRL(s.amountCents, 'cents')}</strong>
                  </span>
                  <span>
                    {m.totals.paid}: <strong data-testid="totals-paid">{formatBRL(s.paidCents, 'cents')}</strong>
                  </span>
                </>
              ) : (
                <span className="muted">{m.totals.loading}</span>
              )}
            </p>
            <ExportBar filter={filter} />
          </div>
          {rows.error ? <div className="alert error">{`${m.loadFailed} ${rows.error}`}</div> : null}
          <div className={`charges-main${selected ? ' with-details' : ''}`}>
            {s && s.count === 0 ? (
              <EmptyState icon="receipt" title={m.noMatchTitle} body={m.noMatchBody} />
            ) : (
              <ChargeTable rows={rows} selected={selected} onOpen={setSelected} accountName={accountName} />
            )}
            {selected ? <ChargeDetails id={selected} accountName={accountName} merchantOf={merchantOf} onClose={() => setSelected(null)} onChanged={rows.reload} /> : null}
          </div>
        </>
      )}
    </section>
  );
}
