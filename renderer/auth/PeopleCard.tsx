import { useEffect, useState, type FormEvent } from 'react';
import type { UserView } from '../../main/core/contract';
import { call } from '../bridge';
import { messages } from '../messages';
import { useApp } from '../store';
import { useAuth } from './store';

/** Ajustes → Pessoas e acesso: who uses this workstation and with which role (admins only; main enforces it). */
export function PeopleCard() {
  const m = messages.auth;
  const status = useAuth((s) => s.status);
  const notify = useApp((s) => s.notify);
  const [people, setPeople] = useState<UserView[]>([]);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserView['role']>('cashier');
  const [error, setError] = useState<string | null>(null);
  const admin = status?.user?.role === 'admin';
  const loadAuth = useAuth((s) => s.load);
  const [idle, setIdle] = useState(String(status?.idleMinutes ?? 10));

  useEffect(() => {
    if (admin) void call('auth:listUsers', {}).then((r) => r.ok && setPeople(r.value));
  }, [admin]);

  if (!status?.hasUsers || !admin) return null;

  async function add(e: FormEvent) {
    e.preventDefault();
    const r = await call('auth:createUser', { name: name.trim(), password, role });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setError(null);
    setName('');
    setPassword('');
    setPeople([...people, r.value]);
    notify('ok', m.created(r.value.name));
  }

  async function saveIdle(e: FormEvent) {
    e.preventDefault();
    const n = Number(idle);
    if (!/^\d+$/.test(idle.trim()) || n > 240) return setError(m.idleInvalid);
    const r = await call('settings:set', { idleLockMinutes: n });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setError(null);
    await loadAuth();
    notify('ok', m.idleSaved);
  }

  return (
    <div className="card form" data-testid="people-card">
      <form onSubmit={(e) => void saveIdle(e)} noValidate>
        <label>
          <span>{m.idleLabel}</span>
          <input inputMode="numeric" value={idle} onChange={(e) => setIdle(e.target.value)} maxLength={3} />
        </label>
        <div className="form-actions">
          <button type="submit">{m.idleSave}</button>
        </div>
      </form>
      <h2>{m.peopleTitle}</h2>
      <p className="muted">{m.peopleBody}</p>
      <ul className="people">
        {people.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong> <span className="muted">— {m.roles[p.role]}</span>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)} noValidate>
        <label>
          <span>{m.name}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        </label>
        <label>
          <span>{m.password}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        <label>
          <span>{m.role}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as UserView['role'])}>
            {(['cashier', 'finance', 'admin'] as const).map((r) => (
              <option key={r} value={r}>{m.roles[r]}</option>
            ))}
          </select>
        </label>
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        <div className="form-actions">
          <button type="submit" className="primary">{m.add}</button>
        </div>
      </form>
    </div>
  );
}
