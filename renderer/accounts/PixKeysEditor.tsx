import { useId, useState, type FormEvent } from 'react';
import type { AccountSummary } from '../../main/core/contract';
import { call } from '../bridge';
import { formatPixKey } from '../format';
import { Icon } from '../components/Icon';
import { issuesAt } from '../issues';
import { messages } from '../messages';
import { useApp } from '../store';
import { ConfirmDialog } from './Dialog';

/** The Pix keys an account receives on: chips with a remove button, and a field to add one (main validates). */
export function PixKeysEditor({ account, onSaved }: { account: AccountSummary; onSaved: (a: AccountSummary) => void }) {
  const m = messages.accounts;
  const id = useId();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);

  async function save(keys: string[]): Promise<boolean> {
    setBusy(true);
    setError(null);
    const r = await call('accounts:setPixKeys', { id: account.id, keys });
    setBusy(false);
    if (!r.ok) {
      // A key main refused is named on its own (issue `keys.N`), not as the whole request's summary.
      setError(issuesAt(r.error).keys ?? r.error.message);
      return false;
    }
    onSaved(r.value);
    useApp.getState().notify('ok', m.pixKeysSaved);
    return true;
  }

  async function add(e: FormEvent) {
    e.preventDefault();
    const k = value.trim();
    if (!k) return;
    if (account.pixKeys.includes(k)) return setError(m.pixKeyDuplicate);
    if (await save([...account.pixKeys, k])) setValue('');
  }

  return (
    <div className="acc-keys">
      {account.pixKeys.length ? (
        <ul className="acc-key-list" aria-label={m.pixKeys}>
          {account.pixKeys.map((k) => (
            <li key={k} className="chip">
              <Icon name="key" size={13} />
              <span className="mono">{formatPixKey(k)}</span>
              <button type="button" className="chip-x" aria-label={m.pixKeyRemove(k)} disabled={busy} onClick={() => setRemoving(k)}>
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{m.pixKeysEmpty}</p>
      )}
      <form className="acc-key-add" onSubmit={add} noValidate>
        <input
          id={`${id}-key`}
          aria-label={m.pixKeyNew}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          placeholder={m.pixKeyPlaceholder}
          maxLength={100}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-err` : undefined}
          disabled={busy}
        />
        <button type="submit" disabled={busy || !value.trim()}>
          <Icon name="plus" size={16} />
          {m.pixKeyAdd}
        </button>
      </form>
      {error ? (
        <p className="field-error" id={`${id}-err`} role="alert">
          <Icon name="alert" size={14} />
          {error}
        </p>
      ) : null}
      {removing !== null ? (
        <ConfirmDialog
          title={m.pixKeyRemoveTitle}
          body={
            <>
              <p>{m.pixKeyRemoveBody(formatPixKey(removing), account.name)}</p>
              <p className="muted">{m.pixKeyRemoveNote}</p>
            </>
          }
          confirmLabel={m.pixKeyRemoveConfirm}
          danger
          busy={busy}
          onConfirm={() => {
            const k = removing;
            void save(account.pixKeys.filter((x) => x !== k)).then(() => setRemoving(null));
          }}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
    </div>
  );
}
