import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../main/core/contract';
import { RENEWAL_WINDOW_DAYS, TEXT_LIMITS } from '../../main/core/contract/limits';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { issuesAt } from '../issues';
import { messages } from '../messages';
import { useApp } from '../store';
import { PeopleCard } from '../auth/PeopleCard';
import { PrinterCard } from './PrinterCard';
import { BackupCard } from './BackupCard';

/** What Ajustes edits: the renewal window as typed (a text, so a half-typed number is not lost or coerced). */
interface SettingsForm {
  tillName: string;
  renewalWindowDays: string;
}

type SettingsErrors = Partial<Record<keyof SettingsForm, string>>;

/** Our own pt-BR checks with the contract's limits (the browser's English bubbles are off: `noValidate`). */
export function validateSettings(f: SettingsForm): SettingsErrors {
  const m = messages.settings;
  const e: SettingsErrors = {};
  const till = f.tillName.trim();
  if (!till) e.tillName = m.tillNameRequired;
  else if (till.length > TEXT_LIMITS.tillName) e.tillName = m.tillNameTooLong;
  const days = f.renewalWindowDays.trim();
  const n = Number(days);
  if (!/^\d+$/.test(days) || n < RENEWAL_WINDOW_DAYS.min || n > RENEWAL_WINDOW_DAYS.max) e.renewalWindowDays = m.renewalWindowInvalid;
  return e;
}

function toForm(s: Settings): SettingsForm {
  return { tillName: s.tillName, renewalWindowDays: String(s.renewalWindowDays) };
}

/** Ajustes: till name, renewal window, and (under "Avançado") where this profile lives and how keys are kept. */
export function SettingsSection() {
  const m = messages.settings;
  const id = useId();
  const info = useApp((s) => s.info);
  const notify = useApp((s) => s.notify);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [advanced, setAdvanced] = useState(false);

  useEffect(() => {
    void call('settings:get', {}).then((r) => (r.ok ? setForm(toForm(r.value)) : notify('error', r.error.message)));
  }, [notify]);

  function set(key: keyof SettingsForm, value: string) {
    if (!form) return;
    setForm({ ...form, [key]: value });
    if (errors[key]) setErrors({ ...errors, [key]: undefined });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    const errs = validateSettings(form);
    setErrors(errs);
    const first = (Object.keys(errs) as (keyof SettingsForm)[])[0];
    if (first) return document.getElementById(`${id}-${first}`)?.focus();
    const r = await call('settings:set', { tillName: form.tillName.trim(), renewalWindowDays: Number(form.renewalWindowDays) });
    if (r.ok) {
      setForm(toForm(r.value));
      notify('ok', m.saved);
      return;
    }
    const placed = issuesAt(r.error);
    if (placed.tillName || placed.renewalWindowDays) setErrors({ tillName: placed.tillName, renewalWindowDays: placed.renewalWindowDays });
    else notify('error', r.error.message);
  }

  const field = (key: keyof SettingsForm, label: string, hint: string, input: (describedBy: string) => ReactNode) => (
    <div className={`field ${errors[key] ? 'has-error' : ''}`}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {input(`${id}-${key}-${errors[key] ? 'err' : 'hint'}`)}
      {errors[key] ? (
        <span className="field-error" id={`${id}-${key}-err`} role="alert">
          <Icon name="alert" size={14} />
          {errors[key]}
        </span>
      ) : (
        <span className="hint" id={`${id}-${key}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );

  return (
    <section className="settings">
      <PageHeader title={m.title} subtitle={m.subtitle} />
      {form ? (
        <form className="card form" onSubmit={(e) => void save(e)} noValidate>
          {field('tillName', m.tillName, m.tillNameHint, (d) => (
            <input id={`${id}-tillName`} value={form.tillName} maxLength={TEXT_LIMITS.tillName + 20} aria-invalid={!!errors.tillName} aria-describedby={d} onChange={(e) => set('tillName', e.target.value)} />
          ))}
          {field('renewalWindowDays', m.renewalWindowDays, m.renewalWindowHint, (d) => (
            <input
              id={`${id}-renewalWindowDays`}
              className="settings-days"
              inputMode="numeric"
              value={form.renewalWindowDays}
              maxLength={3}
              aria-invalid={!!errors.renewalWindowDays}
              aria-describedby={d}
              onChange={(e) => set('renewalWindowDays', e.target.value)}
            />
          ))}
          <div className="form-actions">
            <button type="submit" className="primary">
              {m.save}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{messages.common.loading}</p>
      )}
      {info ? (
        <div className="card facts-card">
          <dl className="facts">
            <dt>{m.keyBackend}</dt>
            <dd data-testid="key-backend">
              {m.keyBackends[info.keyBackend] ?? info.keyBackend}
              {m.keyBackendWeak[info.keyBackend] ? <small className="ob-sub is-warn">{m.keyBackendWeak[info.keyBackend]}</small> : null}
            </dd>
            <dt>{m.version}</dt>
            <dd>{info.version}</dd>
            <dt>{m.shell}</dt>
            <dd>{info.shell === 'electron' ? m.shellElectron : m.shellBrowser}</dd>
          </dl>
          <button type="button" className="settings-advanced-toggle" aria-expanded={advanced} aria-controls={`${id}-adv`} onClick={() => setAdvanced((v) => !v)}>
            <Icon name={advanced ? 'chevronDown' : 'chevronRight'} size={16} />
            {m.advanced}
            <small>{m.advancedHint}</small>
          </button>
          {advanced ? (
            <dl className="facts" id={`${id}-adv`}>
              <dt>{m.profile}</dt>
              <dd>
                <code>{info.profileDir}</code>
              </dd>
            </dl>
          ) : null}
        </div>
      ) : null}
      {window.pixdesk?.shell === 'electron' && window.pixdesk.listPrinters ? <PrinterCard /> : null}
      <PeopleCard />
      <BackupCard />
    </section>
  );
}
