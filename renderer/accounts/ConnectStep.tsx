import type { OnboardingPhase, OnboardingView } from '../../main/core/contract';
import { Icon } from '../components/Icon';
import { messages } from '../messages';
import { canReviewAgain, errorKind, isResumable } from './form';

/** The four phases, shown while the run goes and (all ✓) once it is done. */
export function PhaseList({ phases, running }: { phases: OnboardingPhase[]; running: boolean }) {
  const m = messages.onboarding.connect;
  // Between the click and the first poll, the server has not marked anything as running yet.
  const shown = phases.map((p) => ({ ...p }));
  if (running && !shown.some((p) => p.state === 'running' || p.state === 'failed')) {
    const next = shown.find((p) => p.state === 'pending');
    if (next) next.state = 'running';
  }
  if (!running) for (const p of shown) if (p.state === 'running') p.state = 'pending';
  return (
    <ol className="ob-phases" aria-label={m.heading} data-testid="onboarding-phases">
      {shown.map((p, i) => (
        <li key={p.name} className={`ob-phase is-${p.state}`} data-phase={p.name} data-state={p.state}>
          <span className="ob-phase-mark" aria-hidden="true">
            {p.state === 'done' ? (
              <Icon name="check" size={16} />
            ) : p.state === 'running' ? (
              <span className="spinner" />
            ) : p.state === 'failed' ? (
              <Icon name="close" size={16} />
            ) : (
              i + 1
            )}
          </span>
          <span className="ob-phase-label">{m.phases[p.name]}</span>
          <span className="ob-phase-state">{m.states[p.state]}</span>
        </li>
      ))}
    </ol>
  );
}

/** Step 3: progress through key, exchange, verification and first token; on failure, the reason and what to do. */
export function ConnectStep(props: {
  view: OnboardingView;
  running: boolean;
  error: { code: string; message: string } | null;
  onRetry: () => void;
  onReview: () => void;
  onImportAnother: () => void;
}) {
  const m = messages.onboarding.connect;
  const { view, running, error } = props;
  const kind = errorKind(error?.code);
  const resumable = isResumable(view);
  const review = !resumable && canReviewAgain(view);
  const title = kind === 'token' ? m.tokenErrorTitle : kind === 'network' ? m.networkErrorTitle : m.errorTitle;
  const next = resumable ? m.nextRetry : kind === 'token' ? null : review ? m.nextReview : m.nextImport;

  return (
    <div className="ob-connect" aria-busy={running}>
      <p className="ob-lead">{m.intro}</p>
      <PhaseList phases={view.phases} running={running} />
      {running ? (
        <p className="ob-dont-close" role="status">
          <span className="spinner" aria-hidden="true" />
          {m.dontClose}
        </p>
      ) : null}
      {!running && error ? (
        <div className="ob-failure" role="alert" data-testid="onboarding-error">
          <span className="ob-failure-icon">
            <Icon name={kind === 'token' ? 'key' : kind === 'network' ? 'server' : 'alert'} size={22} />
          </span>
          <div>
            <strong>{title}</strong>
            <p>{error.message}</p>
            {next ? (
              <p className="ob-next">
                <b>{m.nextStep}:</b> {next}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      {!running && error ? (
        <div className="ob-actions">
          {resumable ? (
            <button type="button" className="primary" onClick={props.onRetry}>
              <Icon name="refresh" size={16} />
              {m.retry}
            </button>
          ) : (
            <>
              {review ? (
                <button type="button" onClick={props.onReview}>
                  {m.reviewAgain}
                </button>
              ) : null}
              <button type="button" className="primary" onClick={props.onImportAnother}>
                <Icon name="upload" size={16} />
                {m.importAnother}
              </button>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}
