import { useState, type FormEvent } from 'react';
import { Dialog } from '../accounts/Dialog';
import { call } from '../bridge';
import { messages } from '../messages';
import { useAuth } from './store';

/** "Confirme sua senha": asked by main before a sensitive operation; on success the operation is retried once. */
export function ConfirmPassword() {
  const m = messages.auth;
  const confirming = useAuth((s) => s.confirming);
  const settle = useAuth((s) => s.settle);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!confirming) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await call('auth:confirm', { password });
    setPassword('');
    if (!r.ok) return setError(r.error.message);
    setError(null);
    settle(true);
  }

  return (
    <Dialog title={m.confirmTitle} subtitle={m.confirmBody} onClose={() => settle(false)} size="sm" testId="confirm-password">
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <label>
          <span>{m.password}</span>
          <input type="password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        <div className="form-actions">
          <button type="button" onClick={() => settle(false)}>{messages.common.cancel}</button>
          <button type="submit" className="primary">{messages.common.confirm}</button>
        </div>
      </form>
    </Dialog>
  );
}
