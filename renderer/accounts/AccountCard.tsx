import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AccountSummary } from '../../main/core/contract';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { formatDateTime } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';
import { EnvBadge, RenewalBadge } from './Badges';
import { ConfirmDialog } from './Dialog';
import { PixKeysEditor } from './PixKeysEditor';
import { useAccounts } from './store';
import { formatMmSs, useNow } from './time';

function TokenState({ seconds, fetchedAt }: { seconds: number | null; fetchedAt: number }) {
  const now = useNow(1000);
  const m = messages.accounts;
  const left = seconds === null ? 0 : seconds - Math.floor((now - fetchedAt) / 1000);
  return left > 0 ? (
    <span className="acc-token is-active">
      <span className="badge-dot" aria-hidden="true" />
      {m.tokenActive(formatMmSs(left))}
    </span>
  ) : (
    <span className="acc-token">{m.tokenNone}</span>
  );
}

/** One Itaú account: identity, certificate, renewal, endpoints, Pix keys and the actions on it. */
export function AccountCard({ account: a, isDefault }: { account: AccountSummary; isDefault: boolean }) {
  const m = messages.accounts;
  const { put, reload, fetchedAt } = useAccounts();
  const notify = useApp((s) => s.notify);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(a.name);
  const [renameError, setRenameError] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'rename' | 'default' | 'renew' | 'active'>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const [confirmRenew, setConfirmRenew] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const advId = useId();
  const nameInput = useRef<HTMLInputElement>(null);
  const renameBtn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (renaming) nameInput.current?.select();
  }, [renaming]);

  async function saveName(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (!n) return setRenameError(m.renameEmpty);
    if (n === a.name) return stopRename();
    setBusy('rename');
    const r = await call('accounts:rename', { id: a.id, name: n });
    setBusy(null);
    if (!r.ok) return setRenameError(r.error.message);
    put(r.value);
    stopRename();
    notify('ok', m.renamed);
  }

  function stopRename() {
    setRenaming(false);
    setRenameError(null);
    window.setTimeout(() => renameBtn.current?.focus(), 0);
  }

  async function makeDefault() {
    setBusy('default');
    const r = await call('accounts:setDefault', { id: a.id });
    setBusy(null);
    if (!r.ok) return notify('error', r.error.message);
    await reload();
    void useApp.getState().loadInfo();
    notify('ok', m.defaultSet(r.value.name));
  }

  async function renew() {
    setBusy('renew');
    const r = await call('accounts:renew', { id: a.id });
    setBusy(null);
    setConfirmRenew(false);
    if (!r.ok) {
      notify('error', r.error.message);
      await reload();
      return;
    }
    put(r.value);
    notify('ok', m.renewed(r.value.certificate.version, formatDateTime(r.value.certificate.notAfter)));
  }

  async function setActive(active: boolean) {
    setBusy('active');
    const r = await call('accounts:setActive', { id: a.id, active });
    setBusy(null);
    setConfirmOff(false);
    if (!r.ok) return notify('error', r.error.message);
    await reload();
    void useApp.getState().loadInfo();
    notify('ok', active ? m.reactivated(r.value.name) : m.deactivated(r.value.name));
  }

  const r = a.renewal;
  const ep = a.endpoints;
  const local = a.environment === 'sandbox';
  const warn =
    r.state === 'expired'
      ? m.expiredStrip
      : r.warnLevel !== null
        ? m.warnStrip(m.daysText(Math.max(0, r.daysLeft)), r.state === 'inactive' ? m.warnInactive : (r.lastError?.message ?? m.warnUnknown))
        : null;

  return (
    <article className={`acc-card ${a.active ? '' : 'is-inactive'} ${isDefault ? 'is-default' : ''}`} data-testid="account-card" aria-label={a.name}>
      <header className="acc-head">
        <span className={`acc-avatar acc-avatar-${a.environment}`} aria-hidden="true">
          <Icon name="bank" size={22} />
        </span>
        <div className="acc-title">
          {renaming ? (
            <form className="acc-rename" onSubmit={saveName} noValidate>
              <input
                ref={nameInput}
                aria-label={m.renameLabel}
                value={name}
                maxLength={60}
                onChange={(e) => {
                  setName(e.target.value);
                  setRenameError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setName(a.name);
                    stopRename();
                  }
                }}
                aria-invalid={!!renameError}
                disabled={busy === 'rename'}
              />
              <button type="submit" className="primary" disabled={busy === 'rename'}>
                {m.save}
              </button>
              <button
                type="button"
                onClick={() => {
                  setName(a.name);
                  stopRename();
                }}
              >
                {m.cancel}
              </button>
              {renameError ? (
                <span className="field-error" role="alert">
                  {renameError}
                </span>
              ) : null}
            </form>
          ) : (
            <h3 data-testid="account-name">{a.name}</h3>
          )}
          <div className="acc-badges">
            <EnvBadge env={a.environment} />
            {isDefault ? (
              <span className="badge badge-default">
                <Icon name="star" size={12} />
                {m.badges.default}
              </span>
            ) : null}
            <RenewalBadge state={r.state} />
            <span className="acc-sub">
              {a.company} · {a.city}/{a.state}
            </span>
          </div>
        </div>
        <div className="acc-actions">
          <button
            type="button"
            ref={renameBtn}
            onClick={() => {
              setName(a.name);
              setRenaming(true);
            }}
            disabled={renaming || !!busy}
          >
            <Icon name="edit" size={16} />
            {m.rename}
          </button>
          {a.active && !isDefault ? (
            <button type="button" onClick={() => void makeDefault()} disabled={!!busy}>
              <Icon name="star" size={16} />
              {m.makeDefault}
            </button>
          ) : null}
          {a.active && r.state !== 'expired' ? (
            <button type="button" onClick={() => setConfirmRenew(true)} disabled={!!busy} aria-busy={busy === 'renew'}>
              {busy === 'renew' ? <span className="spinner" aria-hidden="true" /> : <Icon name="refresh" size={16} />}
              {busy === 'renew' ? m.renewing : m.renew}
            </button>
          ) : null}
          {a.active ? (
            <button type="button" className="ghost-danger" onClick={() => setConfirmOff(true)} disabled={!!busy}>
              <Icon name="power" size={16} />
              {m.deactivate}
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => void setActive(true)} disabled={!!busy}>
              <Icon name="power" size={16} />
              {m.reactivate}
            </button>
          )}
        </div>
      </header>

      {warn ? (
        <div className={`acc-warn level-${r.state === 'expired' ? 'expired' : r.warnLevel}`} role="alert">
          <Icon name="alert" size={18} />
          <span>{warn}</span>
        </div>
      ) : null}
      {r.state === 'failed' && r.lastError && r.warnLevel === null ? (
        <div className="acc-warn level-soft" role="note">
          <Icon name="alert" size={18} />
          <span>
            <b>{m.fields.lastError}:</b> {r.lastError.message}
          </span>
        </div>
      ) : null}

      <dl className="acc-stats">
        <div className="acc-stat">
          <dt>
            <Icon name="shield" size={14} />
            {m.fields.validity}
          </dt>
          <dd data-testid="cert-validity" className={r.daysLeft <= 30 ? 'is-warn' : undefined}>
            {m.validUntil(formatDateTime(a.certificate.notAfter), r.daysLeft)}
          </dd>
        </div>
        <div className="acc-stat">
          <dt>
            <Icon name="clock" size={14} />
            {m.fields.token}
          </dt>
          <dd>
            <TokenState seconds={a.tokenSecondsLeft} fetchedAt={fetchedAt[a.id] ?? Date.now()} />
          </dd>
        </div>
        <div className="acc-stat">
          <dt>
            <Icon name="key" size={14} />
            {m.fields.clientId}
          </dt>
          <dd className="mono">{a.clientId}</dd>
        </div>
      </dl>

      <section className="acc-keys-row">
        <h4>{m.pixKeys}</h4>
        <PixKeysEditor account={a} onSaved={put} />
      </section>

      {/* Technical facts (certificate subject, bank addresses, CA) only on request: most people never need them. */}
      <div className="acc-advanced">
        <button type="button" className="acc-advanced-toggle" aria-expanded={advanced} aria-controls={advId} onClick={() => setAdvanced((v) => !v)}>
          <Icon name={advanced ? 'chevronDown' : 'chevronRight'} size={16} />
          {m.advanced}
          <small>{m.advancedHint}</small>
        </button>
        {advanced ? (
          <div className="acc-body" id={advId}>
            <section className="acc-col">
              <h4>{m.sectionCertificate}</h4>
              <dl className="acc-facts">
                <dt>{m.fields.subject}</dt>
                <dd className="mono">{a.certificate.subject}</dd>
                <dt>{m.fields.serial}</dt>
                <dd className="mono">{a.certificate.serial}</dd>
                <dt>{m.fields.version}</dt>
                <dd>{m.certVersion(a.certificate.version)}</dd>
              </dl>
            </section>
            <section className="acc-col">
              <h4>{m.sectionEndpoints}</h4>
              <dl className="acc-facts">
                <dt>{m.fields.sts}</dt>
                <dd className={ep.stsUrl ? 'mono' : undefined}>{ep.stsUrl ?? (local ? m.endpointSandbox : m.endpointItau)}</dd>
                <dt>{m.fields.pix}</dt>
                <dd className={ep.pixUrl ? 'mono' : undefined}>{ep.pixUrl ?? (local ? m.endpointSandbox : m.endpointItau)}</dd>
                <dt>{m.fields.ca}</dt>
                <dd>{ep.customCa ? m.caYes : m.caNo}</dd>
                <dt>{m.fields.renewalPath}</dt>
                <dd>{ep.renewalPath === 'v2' ? m.renewalV2 : m.renewalV1}</dd>
              </dl>
            </section>
          </div>
        ) : null}
      </div>

      {confirmRenew ? (
        <ConfirmDialog
          title={m.renewTitle(a.name)}
          body={
            <>
              <p>{m.renewBody(formatDateTime(a.certificate.notAfter))}</p>
              <p className="muted">{m.renewAuto}</p>
            </>
          }
          confirmLabel={m.renew}
          busy={busy === 'renew'}
          onConfirm={() => void renew()}
          onCancel={() => setConfirmRenew(false)}
        />
      ) : null}
      {confirmOff ? (
        <ConfirmDialog
          title={m.deactivateTitle(a.name)}
          body={
            <>
              <p>{m.deactivateBody}</p>
              {isDefault ? <p className="muted">{m.deactivateDefault}</p> : null}
            </>
          }
          confirmLabel={m.deactivate}
          danger
          busy={busy === 'active'}
          onConfirm={() => void setActive(false)}
          onCancel={() => setConfirmOff(false)}
        />
      ) : null}
    </article>
  );
}
