import { useState, type FormEvent } from 'react';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { messages } from '../messages';
import { useAuth } from './store';

/**
 * Full-screen login: "Criar administrador" on first run (mode `setup`), "Entrar" once people exist, and the lock
 * screen after idle time (the name is fixed: only the same person unlocks). Nothing behind it is rendered.
 */
export function LoginScreen(props: { mode: 'setup' | 'login'; lockedName: string | null; onCancel?: () => void }) {
  const m = messages.auth;
  const load = useAuth((s) => s.load);
  const [name, setName] = useState(props.lockedName ?? '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setup = props.mode === 'setup';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (setup && password !== again) return setError(m.mismatch);
    setBusy(true);
    const r = await call(setup ? 'auth:setup' : 'auth:login', { name: name.trim(), password });
    setBusy(false);
    if (!r.ok) {
      setPassword('');
      return setError(r.error.issues?.[0]?.message ?? r.error.message);
    }
    await load();
  }

  const title = setup ? m.setupTitle : props.lockedName ? m.lockedTitle : m.loginTitle;
  const subtitle = setup ? m.setupBody : props.lockedName ? m.lockedBody(props.lockedName) : m.loginBody;
  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="login-title">
        <Icon name={props.lockedName ? 'key' : 'shield'} size={34} className="login-icon" />
        <h1 id="login-title">{title}</h1>
        <p className="muted">{subtitle}</p>
        {!props.lockedName ? (
          <label>
            <span>{m.name}</span>
            <input autoFocus value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" maxLength={60} />
          </label>
        ) : null}
        <label>
          <span>{m.password}</span>
          <input type="password" autoFocus={!!props.lockedName} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={setup ? 'new-password' : 'current-password'} />
        </label>
        {setup ? (
          <label>
            <span>{m.passwordAgain}</span>
            <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
          </label>
        ) : null}
        {setup ? <p className="muted small">{m.setupHint}</p> : null}
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        <div className="form-actions">
          {props.onCancel ? (
            <button type="button" onClick={props.onCancel}>
              {messages.common.cancel}
            </button>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {setup ? m.create : props.lockedName ? m.unlock : m.enter}
          </button>
        </div>
      </form>
    </div>
  );
}
