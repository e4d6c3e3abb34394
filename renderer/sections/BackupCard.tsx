import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BackupJobView, BackupRestoreView, Result } from '../../main/core/contract';
import { BACKUP_PASSPHRASE_MIN, BACKUP_UPLOAD_CHUNK } from '../../main/core/contract/limits';
import { Dialog } from '../accounts/Dialog';
import { fileToBase64 } from '../accounts/files';
import { useAuth } from '../auth/store';
import { call } from '../bridge';
import { downloadInPieces } from '../download';
import { formatDateTime } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';
import { passphraseStrength } from './backupStrength';

const n = (x: number) => x.toLocaleString('pt-BR');
const sleep = (ms: number) => new Promise((r) => window.setTimeout(r, ms));

/** Read a finished backup from main in pieces and hand it to the browser (or Electron's save dialog) as a download. */
function download(job: BackupJobView): Promise<string | null> {
  return downloadInPieces((offset) => call('backup:read', { id: job.id, offset }), job.fileName, 'application/octet-stream');
}

/** Send the chosen file to main in pieces (the same contract in Electron and the browser host). */
async function upload(file: File, onProgress: (pct: number) => void): Promise<Result<{ uploadId: string }>> {
  let uploadId: string | undefined;
  let offset = 0;
  do {
    const piece = file.slice(offset, offset + BACKUP_UPLOAD_CHUNK);
    const r = await call('backup:upload', { ...(uploadId ? { uploadId } : {}), offset, dataBase64: await fileToBase64(piece) });
    if (!r.ok) return r;
    uploadId = r.value.uploadId;
    offset = r.value.size;
    onProgress(file.size ? Math.round((offset / file.size) * 100) : 100);
  } while (offset < file.size);
  return { ok: true, value: { uploadId: uploadId! } };
}

/** Ajustes → Backup: what is and is not in a backup, create one (passphrase twice, strength, progress), restore one. */
export function BackupCard() {
  const m = messages.backup;
  const notify = useApp((s) => s.notify);
  const status = useAuth((s) => s.status);
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const [job, setJob] = useState<BackupJobView | null>(null);
  const [phase, setPhase] = useState<'idle' | 'running' | 'downloading'>('idle');
  const [file, setFile] = useState<File | null>(null);
  const [restorePass, setRestorePass] = useState('');
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [asking, setAsking] = useState<null | { replace: false } | { replace: true; detail: string }>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<BackupRestoreView | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) resultRef.current?.scrollIntoView({ block: 'center' });
  }, [result]);

  // Admins only (main refuses anyone else); before the first admin exists the workstation is an implicit admin.
  if (status?.hasUsers && status.user?.role !== 'admin') return null;
  const strength = passphraseStrength(pass);

  async function create(e: FormEvent) {
    e.preventDefault();
    if (pass.length < BACKUP_PASSPHRASE_MIN) return setCreateError(m.tooShort);
    if (pass !== again) return setCreateError(m.mismatch);
    setCreateError(null);
    const r = await call('backup:create', { passphrase: pass });
    if (!r.ok) return setCreateError(r.error.message);
    setPass('');
    setAgain('');
    setPhase('running');
    let view = r.value;
    setJob(view);
    while (view.state === 'running') {
      await sleep(250);
      const s = await call('backup:status', { id: view.id });
      if (!s.ok) break;
      view = s.value;
      setJob(view);
    }
    if (view.state !== 'done') {
      setPhase('idle');
      return setCreateError(view.error ?? m.createFailed);
    }
    setPhase('downloading');
    const err = await download(view);
    setPhase('idle');
    setJob(null);
    if (err) setCreateError(err);
    else notify('ok', m.created(view.fileName));
  }

  function askRestore(e: FormEvent) {
    e.preventDefault();
    if (!file) return setRestoreError(m.noFile);
    if (!restorePass) return setRestoreError(m.noPassphrase);
    setRestoreError(null);
    setAsking({ replace: false });
  }

  async function restore(replace: boolean) {
    if (!file) return;
    setAsking(null);
    setBusy(m.uploading(0));
    const up = await upload(file, (pct) => setBusy(m.uploading(pct)));
    if (!up.ok) {
      setBusy(null);
      return setRestoreError(up.error.message);
    }
    setBusy(m.restoring);
    const r = await call('backup:restore', { uploadId: up.value.uploadId, passphrase: restorePass, ...(replace ? { replace: true } : {}) });
    setBusy(null);
    if (!r.ok) {
      if (r.error.code === 'BACKUP_TARGET_NOT_EMPTY') return setAsking({ replace: true, detail: r.error.message.split('. Nada foi alterado')[0] + '.' });
      return setRestoreError(r.error.message);
    }
    setRestorePass('');
    setFile(null);
    if (input.current) input.current.value = '';
    setResult(r.value);
    notify('ok', m.restoredTitle);
  }

  const pct = job && job.total ? Math.min(100, Math.round((job.rows / job.total) * 100)) : 0;
  return (
    <div className="card form backup-card" data-testid="backup-card">
      <h2>{m.title}</h2>
      <p className="muted">{m.intro}</p>
      <div className="backup-lists">
        <div>
          <h3>{m.inTitle}</h3>
          <ul>{m.inList.map((t) => <li key={t}>{t}</li>)}</ul>
        </div>
        <div>
          <h3>{m.outTitle}</h3>
          <ul>{m.outList.map((t) => <li key={t}>{t}</li>)}</ul>
        </div>
      </div>

      <form onSubmit={(e) => void create(e)} noValidate aria-label={m.createTitle}>
        <h3>{m.createTitle}</h3>
        <label>
          <span>{m.passphrase}</span>
          <input type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="new-password" data-testid="backup-pass" disabled={phase !== 'idle'} />
        </label>
        <small className={`backup-strength${pass ? ` is-${strength}` : ''}`} data-testid="backup-strength" aria-live="polite">
          {pass ? m.strength[strength] : m.passphraseHint}
        </small>
        <label>
          <span>{m.passphraseAgain}</span>
          <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" data-testid="backup-pass-again" disabled={phase !== 'idle'} />
        </label>
        {createError ? <div className="alert error" role="alert">{createError}</div> : null}
        {phase !== 'idle' ? (
          <div className="ce running" data-testid="backup-progress">
            <progress max={100} value={phase === 'downloading' ? 100 : pct} aria-label={m.preparing} />
            <span>{phase === 'downloading' ? m.downloading : job && job.total ? m.creating(n(job.rows), n(job.total)) : m.preparing}</span>
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={phase !== 'idle'}>{m.create}</button>
        </div>
      </form>

      <form onSubmit={askRestore} noValidate aria-label={m.restoreTitle}>
        <h3>{m.restoreTitle}</h3>
        <p className="muted">{m.restoreIntro}</p>
        <div className="backup-file">
          <span className="backup-file-label">{m.file}</span>
          <input ref={input} type="file" className="visually-hidden" tabIndex={-1} accept=".pixdesk-backup" aria-label={m.file} data-testid="backup-file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} disabled={!!busy} />
          <button type="button" onClick={() => input.current?.click()} disabled={!!busy}>{m.chooseFile}</button>
          <span className={file ? '' : 'muted'} data-testid="backup-file-name">{file ? file.name : m.noFileChosen}</span>
        </div>
        <label>
          <span>{m.passphrase}</span>
          <input type="password" value={restorePass} onChange={(e) => setRestorePass(e.target.value)} autoComplete="off" data-testid="backup-restore-pass" disabled={!!busy} />
        </label>
        {restoreError ? <div className="alert error" role="alert">{restoreError}</div> : null}
        {busy ? (
          <div className="ce running" role="status">
            <span>{busy}</span>
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" disabled={!!busy}>{m.restore}</button>
        </div>
      </form>

      {result ? (
        <div className="alert ok backup-result" data-testid="backup-result" role="status" ref={resultRef}>
          <strong>{m.restoredTitle}</strong>
          <p>{m.restoredSummary(formatDateTime(result.createdAt), result.appVersion)}</p>
          <p>{m.restoredCounts(n(result.restored.charges ?? 0), n(result.restored.received_pix ?? 0), n(result.restored.refunds ?? 0), n(result.restored.users ?? 0), n(result.restored.api_apps ?? 0))}</p>
          <p>{m.restoredAudit(n(result.auditEntries))}</p>
          {result.accountsToOnboard.length ? (
            <>
              <p>{m.onboardTitle}</p>
              <ul>
                {result.accountsToOnboard.map((a) => (
                  <li key={`${a.clientId}-${a.environment}`}>
                    <strong>{a.name}</strong> — Client ID <code>{a.clientId}</code> ({m.environment[a.environment]})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {result.appsNeedingAppId ? <p>{m.appsNeedingAppId(result.appsNeedingAppId)}</p> : null}
        </div>
      ) : null}

      {asking && !asking.replace ? (
        <Dialog title={m.confirmTitle} subtitle={m.confirmBody(file?.name ?? '')} onClose={() => setAsking(null)} size="sm" testId="backup-confirm">
          <ul className="backup-confirm-list">{m.confirmList.map((t) => <li key={t}>{t}</li>)}</ul>
          <div className="form-actions">
            <button type="button" onClick={() => setAsking(null)}>{messages.common.cancel}</button>
            <button type="button" className="primary" onClick={() => void restore(false)}>{m.confirm}</button>
          </div>
        </Dialog>
      ) : null}
      {asking && asking.replace ? (
        <Dialog title={m.replaceTitle} onClose={() => setAsking(null)} size="sm" role="alertdialog" testId="backup-replace">
          <p>{m.replaceBody(asking.detail)}</p>
          <div className="form-actions">
            <button type="button" onClick={() => setAsking(null)}>{messages.common.cancel}</button>
            <button type="button" className="danger" onClick={() => void restore(true)}>{m.replace}</button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
