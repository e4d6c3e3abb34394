import { useEffect, useRef, useState } from 'react';
import type { AccountSummary, OnboardingView } from '../../main/core/contract';
import { call } from '../bridge';
import { Icon } from '../components/Icon';
import { messages } from '../messages';
import { useApp } from '../store';
import { ConnectStep } from './ConnectStep';
import { ConfirmDialog, Dialog } from './Dialog';
import { onEvent } from '../live-events';
import { DoneStep } from './DoneStep';
import { endpointsCall, initialForm, isDirty, reviewErrorsOf, toFormInput, type ReviewErrors, type ReviewForm } from './form';
import { ImportStep } from './ImportStep';
import { ReviewStep } from './ReviewStep';
import type { WizardStart } from './store';

type Stage = 'import' | 'review' | 'connect' | 'done';
const STAGES: Stage[] = ['import', 'review', 'connect', 'done'];

function Stepper({ stage }: { stage: Stage }) {
  const m = messages.onboarding.steps;
  const current = STAGES.indexOf(stage);
  return (
    <ol className="ob-steps">
      {STAGES.map((s, i) => (
        <li key={s} className={i < current ? 'is-done' : i === current ? 'is-current' : ''} aria-current={i === current ? 'step' : undefined}>
          <span className="ob-step-num" aria-hidden="true">
            {i < current ? <Icon name="check" size={13} /> : i + 1}
          </span>
          {m[s]}
        </li>
      ))}
    </ol>
  );
}

/**
 * The onboarding wizard: Arquivo do Itaú → Revisão → Conectando → Pronto. Runs `onboarding:run` and polls
 * `onboarding:get` meanwhile to show each phase; on failure offers the next step the session allows.
 */
export function OnboardingWizard({ start, onClose }: { start: WizardStart; onClose: () => void }) {
  const m = messages.onboarding;
  const [stage, setStage] = useState<Stage>(start.kind === 'new' ? 'import' : start.kind === 'review' ? 'review' : 'connect');
  const [view, setView] = useState<OnboardingView | null>(start.kind === 'new' ? null : start.view);
  const [form, setForm] = useState<ReviewForm | null>(start.kind === 'new' ? null : initialForm(start.view));
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [reviewError, setReviewError] = useState<string | null>(null);
  const [account, setAccount] = useState<AccountSummary | null>(null);
  const [reviewErrors, setReviewErrors] = useState<ReviewErrors | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const alive = useRef(true);
  const started = useRef(false);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  async function run(v: OnboardingView, f: ReviewForm | null) {
    // Advanced addresses are their own confirmed act, before (and apart from) the call that spends the token.
    setReviewError(null);
    const ep = f ? endpointsCall(v, f) : null;
    if (ep) {
      const set = await call('onboarding:setEndpoints', ep);
      if (!alive.current) return;
      if (!set.ok) {
        setReviewError(set.error.message);
        return;
      }
      v = set.value;
      setView(v);
    }
    setStage('connect');
    setRunning(true);
    setError(null);
    // Each step main takes arrives as an event: the progress follows it, no polling.
    let following = true;
    const stopFollowing = onEvent((e) => {
      if (e.name !== 'onboarding:changed' || e.payload.id !== v.id) return;
      void call('onboarding:get', { id: v.id }).then((g) => {
        if (following && alive.current && g.ok) setView(g.value);
      });
    });
    const r = await call('onboarding:run', f ? { id: v.id, form: toFormInput(f) } : { id: v.id });
    following = false;
    stopFollowing();
    if (!alive.current) return;
    if (r.ok && r.value.step === 'done') {
      setView(r.value);
      const list = await call('accounts:list', {});
      if (list.ok) setAccount(list.value.find((a) => a.id === r.value.accountId) ?? null);
      void useApp.getState().loadInfo();
      if (!alive.current) return;
      setRunning(false);
      setStage('done');
      return;
    }
    // Main refused a field of the form (its limits are the form's own, but it has the last word): back to the review, on the field.
    const onFields = !r.ok && r.error.code === 'INVALID_INPUT' ? reviewErrorsOf(r.error) : null;
    if (onFields) {
      setReviewErrors(onFields);
      setRunning(false);
      setStage('review');
      return;
    }
    const g = await call('onboarding:get', { id: v.id });
    if (!alive.current) return;
    const fresh = g.ok ? g.value : r.ok ? r.value : v;
    setView(fresh);
    setError(r.ok ? (fresh.error ?? { code: 'UNKNOWN', message: messages.errors.generic }) : r.error);
    setRunning(false);
  }

  // Resuming an interrupted session starts at once.
  useEffect(() => {
    if (start.kind === 'resume' && !started.current) {
      started.current = true;
      void run(start.view, null);
    }
  }, []);

  // Each new step takes the focus (the previous step's controls are gone).
  const firstStage = useRef(true);
  useEffect(() => {
    if (firstStage.current) {
      firstStage.current = false;
      return;
    }
    const box = document.querySelector<HTMLElement>('[data-testid="onboarding-wizard"]');
    const target = box?.querySelector<HTMLElement>('.dlg-body input:not([tabindex="-1"]), .dlg-body button:not([disabled]), .dlg-body select') ?? box;
    target?.focus();
  }, [stage]);

  function onImported(v: OnboardingView) {
    setView(v);
    setForm((prev) => ({ ...initialForm(v), ...(prev ? { name: prev.name, company: prev.company, city: prev.city, state: prev.state } : {}) }));
    setStage('review');
  }

  /** Esc or ×: in the review, what was typed is lost on closing, so ask first. */
  function requestClose() {
    if (stage === 'review' && view && form && isDirty(form, initialForm(view))) setConfirmClose(true);
    else onClose();
  }

  function importAnother() {
    setError(null);
    setStage('import');
  }

  const title = start.kind === 'resume' ? m.resumeTitle : m.title;
  return (
    <Dialog title={title} subtitle={<Stepper stage={stage} />} onClose={requestClose} closable={!running} size="lg" testId="onboarding-wizard">
      {stage === 'import' ? <ImportStep onImported={onImported} /> : null}
      {stage === 'review' && view && form ? (
        <ReviewStep
          view={view}
          form={form}
          serverErrors={reviewErrors}
          submitError={reviewError}
          onChange={setForm}
          onSubmit={() => {
            setReviewErrors(null);
            void run(view, form);
          }}
          onImportAnother={importAnother}
        />
      ) : null}
      {stage === 'connect' && view ? (
        <ConnectStep
          view={view}
          running={running}
          error={error}
          onRetry={() => void run(view, null)}
          onReview={() => {
            setError(null);
            setStage('review');
          }}
          onImportAnother={importAnother}
        />
      ) : null}
      {stage === 'done' && view ? <DoneStep view={view} account={account} onAccount={setAccount} onClose={onClose} /> : null}
      {confirmClose ? (
        <ConfirmDialog
          title={m.discardTypedTitle}
          body={<p>{m.discardTypedBody}</p>}
          confirmLabel={m.discardTyped}
          cancelLabel={m.keepEditing}
          danger
          onConfirm={() => {
            setConfirmClose(false);
            onClose();
          }}
          onCancel={() => setConfirmClose(false)}
        />
      ) : null}
    </Dialog>
  );
}
