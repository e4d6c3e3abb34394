import { useEffect, useState } from 'react';
import type { RestoredAccountView } from '../../main/core/contract';
import { call } from '../bridge';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { AccountCard } from '../accounts/AccountCard';
import { EmptyAccounts } from '../accounts/EmptyAccounts';
import { OnboardingWizard } from '../accounts/OnboardingWizard';
import { SessionCard } from '../accounts/SessionCard';
import { useAccounts } from '../accounts/store';
import { messages } from '../messages';

/** Contas: the company's Itaú accounts, interrupted onboardings, and the wizard that adds an account. */
export function AccountsSection() {
  const m = messages.accounts;
  const { accounts, sessions, loaded, error, wizard, reload, openWizard, closeWizard } = useAccounts();

  // Accounts a backup brought back without certificate: listed until onboarded again (same Client ID).
  const [restored, setRestored] = useState<RestoredAccountView[]>([]);
  useEffect(() => {
    void reload();
    if (!wizard) void call('accounts:awaitingOnboarding', {}).then((r) => r.ok && setRestored(r.value));
  }, [reload, wizard]);

  // A file dropped beside a drop zone must not make the window open it (and leave PixDesk).
  useEffect(() => {
    const block = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      if (!(e.target instanceof Element && e.target.closest('.dz'))) e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', block);
    window.addEventListener('drop', block);
    return () => {
      window.removeEventListener('dragover', block);
      window.removeEventListener('drop', block);
    };
  }, []);

  // The account main uses by default: the one marked, else the first active one (as main's defaultAccount()).
  const defaultId = (accounts.find((a) => a.active && a.isDefault) ?? accounts.find((a) => a.active))?.id;
  const empty = loaded && !error && accounts.length === 0 && sessions.length === 0;
  return (
    <section className="accounts">
      <PageHeader
        title={m.title}
        subtitle={m.subtitle}
        actions={
          <button type="button" className="primary" onClick={() => openWizard({ kind: 'new' })}>
            <Icon name="plus" size={18} />
            {m.add}
          </button>
        }
      />
      {!loaded ? (
        <p className="muted acc-loading" role="status">
          <span className="spinner" aria-hidden="true" /> {m.loading}
        </p>
      ) : null}
      {error ? (
        <div className="alert error" role="alert">
          {m.loadFailed} {error}
        </div>
      ) : null}
      {restored.length ? (
        <div className="alert warn acc-restored" data-testid="acc-restored">
          <strong>{m.restoredTitle}</strong>
          <p>{m.restoredBody}</p>
          <ul>
            {restored.map((a) => (
              <li key={`${a.clientId}-${a.environment}`}>
                <strong>{a.name}</strong> — Client ID <code>{a.clientId}</code> ({a.environment === 'production' ? m.restoredProduction : m.restoredSandbox})
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => openWizard({ kind: 'new' })}>{m.restoredAction}</button>
        </div>
      ) : null}
      {empty ? <EmptyAccounts /> : null}

      {sessions.length ? (
        <section className="acc-group" aria-labelledby="acc-sessions-title">
          <div className="acc-group-head">
            <h2 id="acc-sessions-title">{m.sessionsTitle}</h2>
            <p>{m.sessionsHint}</p>
          </div>
          {sessions.map((s) => (
            <SessionCard key={s.id} session={s} />
          ))}
        </section>
      ) : null}

      {accounts.length ? (
        <section className="acc-group" aria-labelledby="acc-list-title">
          <div className="acc-group-head row">
            <h2 id="acc-list-title">{m.listTitle}</h2>
            <span className="muted small">{m.count(accounts.length)}</span>
          </div>
          {accounts.map((a) => (
            <AccountCard key={a.id} account={a} isDefault={a.id === defaultId} />
          ))}
        </section>
      ) : null}
      {loaded && error && accounts.length === 0 ? <EmptyState icon="bank" title={m.emptyTitle} body={m.emptyBody} /> : null}

      {wizard ? (
        <OnboardingWizard
          start={wizard}
          onClose={() => {
            closeWizard();
            void reload();
          }}
        />
      ) : null}
    </section>
  );
}
