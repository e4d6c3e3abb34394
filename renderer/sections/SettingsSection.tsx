import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../main/core/contract';
import { call } from '../bridge';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';
import { useApp } from '../store';

/** Ajustes: till name, renewal window, and where this profile lives. */
export function SettingsSection() {
  const m = messages.settings;
  const info = useApp((s) => s.info);
  const notify = useApp((s) => s.notify);
  const [form, setForm] = useState<Settings | null>(null);

  useEffect(() => {
    void call('settings:get', {}).then((r) => (r.ok ? setForm(r.value) : notify('error', r.error.message)));
  }, [notify]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    const r = await call('settings:set', form);
    if (r.ok) {
      setForm(r.value);
      notify('ok', m.saved);
    } else notify('error', r.error.message);
  }

  return (
    <section>
      <PageHeader title={m.title} subtitle={m.subtitle} />
      {form ? (
        <form className="card form" onSubmit={(e) => void save(e)}>
          <label>
            <span>{m.tillName}</span>
            <input value={form.tillName} maxLength={40} onChange={(e) => setForm({ ...form, tillName: e.target.value })} />
          </label>
          <label>
            <span>{m.renewalWindowDays}</span>
            <input
              type="number"
              min={7}
              max={90}
              value={form.renewalWindowDays}
              onChange={(e) => setForm({ ...form, renewalWindowDays: Number(e.target.value) })}
            />
          </label>
          <div className="form-actions">
            <button type="submit" className="primary">{m.save}</button>
          </div>
        </form>
      ) : (
        <p className="muted">{messages.common.loading}</p>
      )}
      {info ? (
        <dl className="card facts">
          <dt>{m.profile}</dt>
          <dd><code>{info.profileDir}</code></dd>
          <dt>{m.keyBackend}</dt>
          <dd data-testid="key-backend">
            {m.keyBackends[info.keyBackend] ?? info.keyBackend}
            {m.keyBackendWeak[info.keyBackend] ? <small className="ob-sub is-warn">{m.keyBackendWeak[info.keyBackend]}</small> : null}
          </dd>
          <dt>{m.shell}</dt>
          <dd>{info.shell === 'electron' ? m.shellElectron : m.shellBrowser}</dd>
          <dt>{m.version}</dt>
          <dd>{info.version}</dd>
        </dl>
      ) : null}
    </section>
  );
}
