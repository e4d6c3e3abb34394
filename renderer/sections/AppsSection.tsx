import { useCallback, useEffect, useState } from 'react';
import type { ApiAppCreated, ApiAppView } from '../../main/core/contract';
import { ConfirmDialog } from '../accounts/Dialog';
import { AppIdDialog, NewAppDialog } from '../apps/AppDialogs';
import { DeliveryLog } from '../apps/DeliveryLog';
import { call } from '../bridge';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';

type Pending = { kind: 'regenerate' | 'revoke'; app: ApiAppView } | null;

function AppCard({ a, onAct, notify }: { a: ApiAppView; onAct: (kind: 'regenerate' | 'revoke') => void; notify: (kind: 'ok' | 'error', text: string) => void }) {
  const m = messages.apps;
  const revoked = a.status === 'revoked';
  const [log, setLog] = useState(false);
  return (
    <article className={`card apps-card${revoked ? ' is-revoked' : ''}`} data-testid="app-card" aria-label={a.name}>
      <header className="apps-card-head">
        <h3>{a.name}</h3>
        <span className="badge badge-muted">{m.types[a.type]}</span>
        <span className={`badge ${revoked ? 'badge-danger' : a.needsNewAppId ? 'badge-warn' : 'badge-ok'}`}>{revoked ? m.revoked : a.needsNewAppId ? m.needsNewAppId : m.active}</span>
      </header>
      {a.needsNewAppId ? <p className="ob-sub is-warn" data-testid="app-needs-appid">{m.needsNewAppIdHint}</p> : null}
      <dl className="apps-facts">
        <dt>clientId</dt><dd><code>{a.clientId}</code></dd>
        <dt>{m.scopes}</dt><dd>{a.scopes.map((s) => m.scopeNames[s]).join(' · ')}</dd>
        <dt>{m.ips}</dt><dd>{a.allowedIps.length ? a.allowedIps.join(', ') : m.anyIp}</dd>
        <dt>{m.rateLimit}</dt><dd>{m.perMinute(a.rateLimitPerMinute)}</dd>
      </dl>
      <p className="apps-usage" data-testid="app-usage">
        <Icon name="clock" size={14} /> {a.lastUsedAt ? m.lastUsed(formatDateTime(a.lastUsedAt)) : m.neverUsed} · {m.requests(a.requestCount)}
      </p>
      <div className="apps-actions">
        {a.scopes.includes('WEBHOOK') ? (
          <button type="button" className="ghost" aria-expanded={log} onClick={() => setLog((v) => !v)}>{log ? m.hideDeliveries : m.deliveries}</button>
        ) : null}
        {revoked ? null : (
          <>
          <button type="button" className="ghost" onClick={() => onAct('regenerate')}><Icon name="refresh" size={15} /> {m.regenerate}</button>
          <button type="button" className="ghost-danger" onClick={() => onAct('revoke')}><Icon name="power" size={15} /> {m.revoke}</button>
          </>
        )}
      </div>
      {log ? <DeliveryLog appId={a.id} notify={notify} /> : null}
    </article>
  );
}

/** Apps de API: create ("Nova API" → AppID shown once), list with use counts, regenerate and revoke with confirmation. */
export function AppsSection() {
  const m = messages.apps;
  const notify = useApp((s) => s.notify);
  const [apps, setApps] = useState<ApiAppView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ApiAppCreated | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    const r = await call('apps:list', {});
    if (r.ok) {
      setApps(r.value);
      setLoadError(null);
    } else setLoadError(r.error.message || m.loadFailed);
  }, [m.loadFailed]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function act() {
    if (!pending) return;
    setBusy(true);
    const r = pending.kind === 'revoke' ? await call('apps:revoke', { id: pending.app.id }) : await call('apps:regenerate', { id: pending.app.id });
    setBusy(false);
    setPending(null);
    if (!r.ok) return notify('error', r.error.message);
    if (pending.kind === 'regenerate') {
      setShown(r.value as ApiAppCreated);
      notify('ok', m.regenerated);
    } else notify('ok', m.revokedToast);
    await reload();
  }

  const newButton = (
    <button type="button" className="primary" onClick={() => setCreating(true)}>
      <Icon name="plus" size={16} /> {m.newApp}
    </button>
  );
  return (
    <section className="accounts apps">
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <div className="apps-toolbar">{newButton}</div>
      {loadError ? <p className="field-error" role="alert">{loadError}</p> : null}
      {apps && apps.length === 0 ? <EmptyState icon="plug" title={m.emptyTitle} body={m.emptyBody} /> : null}
      {apps?.map((a) => <AppCard key={a.id} a={a} notify={notify} onAct={(kind) => setPending({ kind, app: a })} />)}
      {creating ? (
        <NewAppDialog
          onClose={() => setCreating(false)}
          onCreated={(r) => {
            setCreating(false);
            setShown(r);
            notify('ok', m.created);
            void reload();
          }}
        />
      ) : null}
      {shown ? <AppIdDialog created={shown} notify={notify} onClose={() => setShown(null)} /> : null}
      {pending ? (
        <ConfirmDialog
          title={pending.kind === 'revoke' ? m.revokeTitle : m.regenerateTitle}
          body={pending.kind === 'revoke' ? m.revokeBody(pending.app.name) : m.regenerateBody(pending.app.name)}
          confirmLabel={pending.kind === 'revoke' ? m.revoke : m.regenerate}
          danger={pending.kind === 'revoke'}
          busy={busy}
          onConfirm={() => void act()}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </section>
  );
}
