import { useState } from 'react';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { messages } from '../messages';
import { Dropzone } from './Dropzone';
import { importCredentialFile, useAccounts } from './store';

/** No account and no interrupted onboarding: what to do first, with the drop zone right here. */
export function EmptyAccounts() {
  const m = messages.accounts;
  const openWizard = useAccounts((s) => s.openWizard);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onFile(f: File) {
    setBusy(messages.onboarding.import.reading(f.name));
    setError(null);
    const r = await importCredentialFile(f);
    setBusy(null);
    if (r.ok) openWizard({ kind: 'review', view: r.view });
    else setError(r.message);
  }

  async function sandbox() {
    setBusy(m.emptySandboxBusy);
    setError(null);
    const r = await call('onboarding:sandboxToken', {});
    setBusy(null);
    if (r.ok) openWizard({ kind: 'review', view: r.value });
    else setError(r.error.message);
  }

  return (
    <div className="acc-empty" data-testid="accounts-empty">
      <div className="acc-empty-intro">
        <span className="acc-empty-icon" aria-hidden="true">
          <Icon name="bank" size={30} />
        </span>
        <h2>{m.emptyTitle}</h2>
        <p>{m.emptyBody}</p>
        <ol className="acc-empty-steps">
          {m.emptySteps.map((s, i) => (
            <li key={s}>
              <span aria-hidden="true">{i + 1}</span>
              {s}
            </li>
          ))}
        </ol>
      </div>
      <div className="acc-empty-drop">
        <Dropzone onFile={(f) => void onFile(f)} busy={busy} error={error} inputLabel={m.emptyFileLabel} testId="credential-file-empty" size="md" />
        <div className="ob-or">
          <span>{messages.onboarding.import.or}</span>
        </div>
        <div className="acc-empty-alt">
          <button type="button" onClick={() => void sandbox()} disabled={!!busy}>
            <Icon name="flask" size={18} />
            {m.emptySandbox}
          </button>
          <small>{messages.onboarding.import.sandboxHint}</small>
        </div>
      </div>
    </div>
  );
}
