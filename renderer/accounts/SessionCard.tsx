import { useState } from 'react';
import type { OnboardingView } from '../../main/core/contract';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { formatDateTime } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';
import { ConfirmDialog } from './Dialog';
import { canReviewAgain, isResumable } from './form';
import { useAccounts } from './store';

/** An onboarding that started and did not finish: where it stopped and what can be done with it. */
export function SessionCard({ session: s }: { session: OnboardingView }) {
  const m = messages.accounts;
  const { openWizard, reload } = useAccounts();
  const notify = useApp((st) => st.notify);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const resumable = isResumable(s);
  const review = !resumable && canReviewAgain(s);
  const inFlight = s.step === 'requesting' || s.step === 'response_stored';
  const hint = s.resumeHint ?? (s.step === 'imported' ? m.sessionImportedHint : review ? m.sessionImportedHint : m.sessionFailedHint);

  async function discard() {
    setBusy(true);
    const r = await call('onboarding:discard', { id: s.id });
    setBusy(false);
    setConfirm(false);
    if (!r.ok) return notify('error', r.error.message);
    notify('ok', m.discarded);
    await reload();
  }

  return (
    <article className={`ob-session ${s.step === 'failed' ? 'is-failed' : ''}`} data-testid="onboarding-session" aria-label={`${messages.onboarding.review.clientId} ${s.clientId}`}>
      <span className="ob-session-icon" aria-hidden="true">
        <Icon name={s.step === 'failed' ? 'alert' : 'clock'} size={20} />
      </span>
      <div className="ob-session-main">
        <div className="ob-session-top">
          <span className="ob-session-id">
            <small>{m.sessionClientId}</small> <span className="mono">{s.clientId}</span>
          </span>
          <span className="muted small">{m.sessionStartedAt(formatDateTime(s.createdAt))}</span>
          <span className={`small ${s.tokenExpired ? 'text-danger' : 'muted'}`}>
            {s.tokenExpired ? m.sessionTokenExpired : m.sessionTokenUntil(formatDateTime(s.tokenExpiresAt))}
          </span>
        </div>
        <p className="ob-session-hint">{hint}</p>
        {s.error ? <p className="ob-session-error">{s.error.message}</p> : null}
        {inFlight ? <p className="muted small">{m.sessionInFlight}</p> : null}
      </div>
      <div className="ob-session-actions">
        {resumable ? (
          <button type="button" className="primary" onClick={() => openWizard({ kind: 'resume', view: s })}>
            <Icon name="play" size={15} />
            {m.resume}
          </button>
        ) : review ? (
          <button type="button" className="primary" onClick={() => openWizard({ kind: 'review', view: s })}>
            <Icon name="chevronRight" size={15} />
            {m.continue}
          </button>
        ) : null}
        {!inFlight ? (
          <button type="button" className="ghost-danger" onClick={() => setConfirm(true)}>
            <Icon name="trash" size={15} />
            {m.discard}
          </button>
        ) : null}
      </div>
      {confirm ? (
        <ConfirmDialog
          title={m.discardTitle}
          body={<p>{m.discardBody(s.clientId)}</p>}
          confirmLabel={m.discard}
          danger
          busy={busy}
          onConfirm={() => void discard()}
          onCancel={() => setConfirm(false)}
        />
      ) : null}
    </article>
  );
}
