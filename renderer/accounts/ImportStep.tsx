import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { OnboardingView } from '../../main/core/contract';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { messages } from '../messages';
import { Dropzone } from './Dropzone';
import { importCredentialFile, importResult, type ImportResult } from './store';

/** Step 1: the file Itaú e-mailed (dropped or chosen), a manual paste, or a test token from the local sandbox. */
export function ImportStep({ onImported }: { onImported: (v: OnboardingView) => void }) {
  const m = messages.onboarding.import;
  const [busy, setBusy] = useState<{ kind: 'file' | 'paste' | 'sandbox'; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paste, setPaste] = useState(false);
  const [clientId, setClientId] = useState('');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [sandboxError, setSandboxError] = useState<string | null>(null);
  const pasteId = useId();
  const pasteForm = useRef<HTMLFormElement>(null);
  const clientIdInput = useRef<HTMLInputElement>(null);

  // Opening the paste form brings all of it, "Importar" included, into view (a 1366×768 screen cut it off).
  useEffect(() => {
    if (!paste) return;
    clientIdInput.current?.focus({ preventScroll: true });
    pasteForm.current?.scrollIntoView({ block: 'end' });
  }, [paste]);

  async function run(kind: 'file' | 'paste' | 'sandbox', label: string, task: () => Promise<ImportResult>, onError: (msg: string) => void) {
    setBusy({ kind, label });
    setError(null);
    setPasteError(null);
    setSandboxError(null);
    const r = await task();
    setBusy(null);
    if (r.ok) onImported(r.view);
    else onError(r.message);
  }

  function onPaste(e: FormEvent) {
    e.preventDefault();
    if (!clientId.trim() || !token.trim()) return setPasteError(m.pasteMissing);
    void run('paste', m.pasteSubmit, async () => importResult(await call('onboarding:importPaste', { clientId: clientId.trim(), token: token.trim() })), setPasteError);
  }

  return (
    <div className="ob-import">
      <p className="ob-lead">{m.intro}</p>
      <Dropzone
        onFile={(f) => void run('file', m.reading(f.name), () => importCredentialFile(f), setError)}
        busy={busy && busy.kind !== 'paste' ? busy.label : null}
        error={error}
        inputLabel={m.fileLabel}
        testId="credential-file"
        size={paste ? 'md' : 'lg'}
      />
      <div className="ob-or">
        <span>{m.or}</span>
      </div>
      <div className="ob-alt">
        <button type="button" className="ob-alt-btn" aria-expanded={paste} aria-controls={pasteId} onClick={() => setPaste((p) => !p)} disabled={!!busy}>
          <Icon name="paste" size={18} />
          <span>{m.pasteToggle}</span>
          <Icon name={paste ? 'chevronDown' : 'chevronRight'} size={16} className="ob-alt-chevron" />
        </button>
        <button
          type="button"
          className="ob-alt-btn"
          disabled={!!busy}
          onClick={() => void run('sandbox', m.sandboxBusy, async () => importResult(await call('onboarding:sandboxToken', {})), setSandboxError)}
        >
          <Icon name="flask" size={18} />
          <span>{m.sandbox}</span>
        </button>
      </div>
      {sandboxError ? (
        <div className="alert error" role="alert">
          {sandboxError}
        </div>
      ) : null}
      {paste ? (
        <form id={pasteId} ref={pasteForm} className="ob-paste" onSubmit={onPaste} noValidate>
          <p className="hint">{m.pasteHint}</p>
          <label className="field">
            <span>{m.clientId}</span>
            <input ref={clientIdInput} value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder={m.clientIdPlaceholder} spellCheck={false} autoComplete="off" className="mono" />
          </label>
          <div className="field">
            <label htmlFor={`${pasteId}-token`}>{m.token}</label>
            <div className="ob-token">
              <textarea
                id={`${pasteId}-token`}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                placeholder={m.tokenPlaceholder}
                rows={3}
                spellCheck={false}
                autoComplete="off"
                className={`mono ${showToken ? '' : 'masked'}`}
              />
              <button type="button" className="icon-btn" onClick={() => setShowToken((s) => !s)} aria-label={showToken ? m.hideToken : m.showToken} aria-pressed={showToken}>
                <Icon name={showToken ? 'eyeOff' : 'eye'} size={18} />
              </button>
            </div>
          </div>
          {pasteError ? (
            <div className="alert error" role="alert">
              {pasteError}
            </div>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={!!busy}>
              {busy?.kind === 'paste' ? <span className="spinner" aria-hidden="true" /> : null}
              {m.pasteSubmit}
            </button>
          </div>
        </form>
      ) : null}
      <p className="ob-footnote">
        <Icon name="flask" size={14} /> {m.sandboxHint}
      </p>
    </div>
  );
}
