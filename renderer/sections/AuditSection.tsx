import { useCallback, useEffect, useState } from 'react';
import type { AuditEntryView, AuditVerifyView } from '../../main/core/contract';
import { call } from '../bridge';
import { saveBlob } from '../cashier/files';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';
import { useApp } from '../store';

const PAGE = 25;
const when = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'medium' });

/** Who did it, in words: the person logged in, the shell used, or the system itself. */
function actorLabel(actor: string): string {
  const m = messages.audit.actors;
  if (actor.startsWith('user:')) return actor.slice('user:'.length);
  return m[actor] ?? actor;
}

/** The details of an entry in one short line (`chave: valor · …`). */
function detailsText(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/**
 * Auditoria: the append-only log, newest first, a page at a time (keyset on seq); "Verificar" walks the hash chain
 * in main and says whether it is intact or which entry is the first broken one; "Exportar CSV" saves the whole log.
 */
export function AuditSection() {
  const m = messages.audit;
  const notify = useApp((s) => s.notify);
  const [items, setItems] = useState<AuditEntryView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<number | null>(null);
  // The `beforeSeq` of each page shown so far, so "Mais recentes" goes back exactly one page.
  const [starts, setStarts] = useState<(number | undefined)[]>([undefined]);
  const [verdict, setVerdict] = useState<AuditVerifyView | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (beforeSeq: number | undefined) => {
      const r = await call('audit:list', { limit: PAGE, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
      if (!r.ok) return notify('error', r.error.message);
      setItems(r.value.items);
      setTotal(r.value.total);
      setNext(r.value.nextBefore);
    },
    [notify],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  async function verify() {
    setBusy(true);
    const r = await call('audit:verify', {});
    setBusy(false);
    if (r.ok) setVerdict(r.value);
    else notify('error', r.error.message);
  }

  async function exportCsv() {
    const r = await call('audit:export', {});
    if (!r.ok) return notify('error', r.error.message);
    saveBlob(new Blob(['\ufeff', r.value.csv], { type: 'text/csv;charset=utf-8' }), r.value.fileName);
    notify('ok', m.exported);
  }

  function older() {
    if (next === null) return;
    setStarts([...starts, next]);
    void load(next);
  }

  function newer() {
    const prev = starts.slice(0, -1);
    setStarts(prev.length ? prev : [undefined]);
    void load(prev[prev.length - 1]);
  }

  return (
    <section className="audit">
      <PageHeader
        title={m.title}
        subtitle={m.subtitle}
        actions={
          <>
            <button type="button" onClick={() => void verify()} disabled={busy}>
              <Icon name="shield" size={16} /> {busy ? m.verifying : m.verify}
            </button>
            <button type="button" className="primary" onClick={() => void exportCsv()}>
              <Icon name="download" size={16} /> {m.export}
            </button>
          </>
        }
      />
      {verdict ? (
        verdict.ok ? (
          <div className="alert ok" role="status">{m.intact(verdict.entries)}</div>
        ) : (
          <div className="alert error" role="alert">{m.broken(verdict.seq, verdict.problem)}</div>
        )
      ) : null}
      {items === null ? (
        <p className="muted">{messages.common.loading}</p>
      ) : items.length === 0 ? (
        <p className="muted">{m.empty}</p>
      ) : (
        <>
          <table className="audit-table">
            <thead>
              <tr>
                <th>{m.cols.seq}</th>
                <th>{m.cols.at}</th>
                <th>{m.cols.actor}</th>
                <th>{m.cols.action}</th>
                <th>{m.cols.subject}</th>
                <th>{m.cols.details}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.seq}>
                  <td className="num">{e.seq}</td>
                  <td>{when.format(new Date(e.at))}</td>
                  <td>{actorLabel(e.actor)}</td>
                  <td>{m.actions[e.action] ?? e.action}</td>
                  <td className="mono">{e.subject ?? '—'}</td>
                  <td className="details">{detailsText(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="audit-pager">
            <span className="muted">{m.showing(items.length, total)}</span>
            <button type="button" onClick={newer} disabled={starts.length <= 1}>{m.newer}</button>
            <button type="button" onClick={older} disabled={next === null}>{m.older}</button>
          </div>
        </>
      )}
    </section>
  );
}
