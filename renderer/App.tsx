import { useEffect, useState } from 'react';
import { ConfirmPassword } from './auth/ConfirmPassword';
import { LoginScreen } from './auth/LoginScreen';
import { reportActivity } from './auth/activity';
import { useAuth } from './auth/store';
import { call } from './bridge';
import { EnvBanner } from './components/EnvBanner';
import { Icon, type IconName } from './components/Icon';
import { messages } from './messages';
import { AccountsSection } from './sections/AccountsSection';
import { AppsSection } from './sections/AppsSection';
import { AuditSection } from './sections/AuditSection';
import { CashierSection } from './sections/CashierSection';
import { ChargesSection } from './sections/ChargesSection';
import { SettingsSection } from './sections/SettingsSection';
import { SECTIONS, useApp, type Section } from './store';

const LABELS: Record<Section, string> = {
  contas: messages.nav.accounts,
  cobrancas: messages.nav.charges,
  caixa: messages.nav.cashier,
  apps: messages.nav.apps,
  ajustes: messages.nav.settings,
  auditoria: messages.nav.audit,
};

const ICONS: Record<Section, IconName> = { contas: 'bank', cobrancas: 'receipt', caixa: 'qr', apps: 'plug', ajustes: 'gear', auditoria: 'shield' };

function Current({ section }: { section: Section }) {
  switch (section) {
    case 'contas':
      return <AccountsSection />;
    case 'cobrancas':
      return <ChargesSection />;
    case 'caixa':
      return <CashierSection />;
    case 'apps':
      return <AppsSection />;
    case 'ajustes':
      return <SettingsSection />;
    case 'auditoria':
      return <AuditSection />;
  }
}

/** The shell: environment banner, navigation, the open section and notices. */
export function App() {
  const { info, loadError, section, toast, go, syncFromHash, loadInfo, dismiss } = useApp();

  const auth = useAuth((s) => s.status);
  const loadAuth = useAuth((s) => s.load);
  const [creatingAdmin, setCreatingAdmin] = useState(false);

  // Main decides who is logged in; the page asks now and then, so an idle lock shows up without a click.
  useEffect(() => {
    void loadAuth();
    const t = window.setInterval(() => void loadAuth(), 30_000);
    return () => window.clearInterval(t);
  }, [loadAuth]);

  // The idle lock counts people, not calls: keys, clicks and scrolls on this page are what keep it unlocked.
  const loggedIn = auth?.user != null;
  useEffect(() => {
    if (!loggedIn) return;
    return reportActivity(window, () => void call('auth:activity', {}));
  }, [loggedIn]);

  useEffect(() => {
    void loadInfo();
    const onHash = () => syncFromHash();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [loadInfo, syncFromHash]);

  // The window (and the task bar, and the browser tab) says where the person is: "Caixa · PixDesk".
  useEffect(() => {
    document.title = messages.pageTitle(LABELS[section]);
  }, [section]);

  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(dismiss, 5000);
    return () => window.clearTimeout(t);
  }, [toast, dismiss]);

  if (auth?.hasUsers && !auth.user) return <LoginScreen key={auth.lockedName ?? 'login'} mode="login" lockedName={auth.lockedName} />;
  if (creatingAdmin && auth && !auth.hasUsers) return <LoginScreen mode="setup" lockedName={null} onCancel={() => setCreatingAdmin(false)} />;

  return (
    <div className="shell">
      <EnvBanner env={info?.environment ?? 'sandbox'} />
      <div className="body">
        <nav className="sidebar" aria-label={messages.nav.label}>
          <div className="brand">
            <Icon name="logo" size={30} className="logo" />
            <div>
              <strong>{messages.appName}</strong>
              <small>{messages.tagline}</small>
            </div>
          </div>
          <ul>
            {SECTIONS.map((s) => (
              <li key={s}>
                <a
                  href={`#/${s}`}
                  className={s === section ? 'active' : undefined}
                  aria-current={s === section ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go(s);
                  }}
                >
                  <Icon name={ICONS[s]} className="nav-icon" />
                  {LABELS[s]}
                </a>
              </li>
            ))}
          </ul>
          {auth?.user ? (
            <div className="who" data-testid="who">
              <strong>{auth.user.name}</strong>
              <small>{messages.auth.roles[auth.user.role]}</small>
              <div className="who-actions">
                <button type="button" onClick={() => void call('auth:logout', {}).then(() => loadAuth())}>
                  {messages.auth.logout}
                </button>
              </div>
            </div>
          ) : null}
        </nav>
        <main className="content">
          {loadError ? <div className="alert error">{loadError}</div> : null}
          {auth && !auth.hasUsers && section === 'ajustes' ? (
            <div className="alert warn no-admin">
              <span>{messages.auth.noAdmin}</span>
              <button type="button" onClick={() => setCreatingAdmin(true)}>
                {messages.auth.noAdminAction}
              </button>
            </div>
          ) : null}
          <Current section={section} />
        </main>
      </div>
      <ConfirmPassword />
      {toast ? (
        <div className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} onClick={dismiss}>
          {toast.text}
        </div>
      ) : null}
    </div>
  );
}
