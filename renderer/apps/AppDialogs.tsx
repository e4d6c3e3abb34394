import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AccountSummary, ApiAppCreated, ApiAppType, ApiScope } from '../../main/core/contract';
import { Dialog } from '../accounts/Dialog';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { messages } from '../messages';

const SCOPES: ApiScope[] = ['CHARGE_POST', 'CHARGE_GET', 'QRCODE_STATIC', 'REFUND', 'WEBHOOK'];
const TYPES: ApiAppType[] = ['REST_API', 'PLUGIN', 'POS'];

/** "Nova API": name, type, account, scopes, allowed IPs and rate limit → `apps:create`. */
export function NewAppDialog(props: { onClose: () => void; onCreated: (r: ApiAppCreated) => void }) {
  const m = messages.apps;
  const [name, setName] = useState('');
  const [type, setType] = useState<ApiAppType>('REST_API');
  const [accountId, setAccountId] = useState('');
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [scopes, setScopes] = useState<ApiScope[]>(['CHARGE_POST', 'CHARGE_GET']);
  const [ips, setIps] = useState('');
  const [rate, setRate] = useState('600');
  const [error, setError] = useState<{ field: 'name' | 'scopes' | 'rate' | 'form'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void call('accounts:list', {}).then((r) => r.ok && setAccounts(r.value.filter((a) => a.active)));
  }, []);

  function toggle(s: ApiScope) {
    if (error?.field === 'scopes') setError(null);
    setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : SCOPES.filter((x) => x === s || cur.includes(x))));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError({ field: 'name', text: m.nameEmpty });
    if (!scopes.length) return setError({ field: 'scopes', text: m.scopesEmpty });
    if (!/^\d{1,8}$/.test(rate.trim()) || Number(rate) < 1 || Number(rate) > 10_000_000) return setError({ field: 'rate', text: m.rateLimitInvalid });
    const allowedIps = ips.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
    setBusy(true);
    const r = await call('apps:create', { name: name.trim(), type, scopes, ...(accountId ? { accountId } : {}), ...(allowedIps.length ? { allowedIps } : {}), rateLimitPerMinute: Number(rate) });
    setBusy(false);
    if (!r.ok) return setError({ field: 'form', text: r.error.message });
    props.onCreated(r.value);
  }

  const err = (f: string) => (error?.field === f ? <p className="field-error" role="alert"><Icon name="alert" size={14} />{error.text}</p> : null);
  return (
    <Dialog title={m.newTitle} subtitle={m.newSubtitle} onClose={props.onClose} closable={!busy} size="lg" testId="new-app-dialog" initialFocus={nameRef}
      footer={<>
        <button type="button" onClick={props.onClose} disabled={busy}>{messages.common.cancel}</button>
        <button type="submit" form="new-app-form" className="primary" disabled={busy}>{m.create}</button>
      </>}>
      <form id="new-app-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className={`field${error?.field === 'name' ? ' has-error' : ''}`}>
          <label htmlFor="app-name">{m.name}</label>
          <input id="app-name" ref={nameRef} value={name} maxLength={60} placeholder={m.namePlaceholder} onChange={(e) => {
            setName(e.target.value);
            if (error?.field === 'name') setError(null);
          }} />
          {err('name')}
        </div>
        <div className="apps-grid">
          <div className="field">
            <label htmlFor="app-type">{m.type}</label>
            <select id="app-type" value={type} onChange={(e) => setType(e.target.value as ApiAppType)}>
              {TYPES.map((t) => <option key={t} value={t}>{m.types[t]}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="app-account">{m.account}</label>
            <select id="app-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">{m.defaultAccount}</option>
              {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </div>
        </div>
        <fieldset className={`apps-scopes${error?.field === 'scopes' ? ' has-error' : ''}`}>
          <legend className="field-label">{m.scopes}</legend>
          {SCOPES.map((s) => (
            <label key={s} className="apps-scope">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />
              <span>{m.scopeNames[s]}</span> <code>{s}</code>
            </label>
          ))}
          {err('scopes')}
        </fieldset>
        <div className="apps-grid">
          <div className="field">
            <label htmlFor="app-ips">{m.ips}</label>
            <textarea id="app-ips" rows={2} value={ips} onChange={(e) => setIps(e.target.value)} placeholder="192.168.0.10" />
            <span className="apps-hint">{m.ipsHint}</span>
          </div>
          <div className={`field${error?.field === 'rate' ? ' has-error' : ''}`}>
            <label htmlFor="app-rate">{m.rateLimit}</label>
            <input id="app-rate" inputMode="numeric" value={rate} onChange={(e) => {
            setRate(e.target.value);
            if (error?.field === 'rate') setError(null);
          }} />
            {err('rate')}
          </div>
        </div>
        {err('form')}
      </form>
    </Dialog>
  );
}

/** The AppID, shown once, with a copy button. Closing it forgets the AppID for good (nothing keeps it). */
export function AppIdDialog(props: { created: ApiAppCreated; onClose: () => void; notify: (kind: 'ok' | 'error', text: string) => void }) {
  const m = messages.apps;
  const doneRef = useRef<HTMLButtonElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.created.appId);
      props.notify('ok', m.copied);
    } catch {
      props.notify('error', m.copyFailed);
    }
  }
  return (
    <Dialog title={`${m.appIdTitle} "${props.created.app.name}"`} onClose={props.onClose} size="lg" testId="appid-dialog" initialFocus={doneRef}
      footer={<button type="button" ref={doneRef} className="primary" onClick={props.onClose}>{m.done}</button>}>
      <p className="apps-warning" role="note"><Icon name="alert" size={16} />{m.appIdWarning}</p>
      <label className="field-label" htmlFor="appid-value">{m.appIdLabel}</label>
      <div className="apps-appid">
        <textarea id="appid-value" readOnly rows={3} value={props.created.appId} data-testid="appid-value" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}><Icon name="copy" size={16} /> {m.copy}</button>
      </div>
    </Dialog>
  );
}
