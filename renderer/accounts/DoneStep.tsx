import type { AccountSummary, OnboardingView } from '../../main/core/contract';
import { Icon } from '../components/Icon';
import { formatDateTime } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';
import { EnvBadge } from './Badges';
import { PhaseList } from './ConnectStep';
import { PixKeysEditor } from './PixKeysEditor';

/**
 * Step 4: the account exists, its certificate is valid until…, and what comes next: the Pix key the account
 * receives on (added right here), the Caixa to charge with it, or back to the list.
 */
export function DoneStep(props: { view: OnboardingView; account: AccountSummary | null; onAccount: (a: AccountSummary) => void; onClose: () => void }) {
  const m = messages.onboarding.done;
  const a = props.account;
  return (
    <div className="ob-done" data-testid="onboarding-done">
      <div className="ob-done-hero">
        <span className="ob-done-icon">
          <Icon name="check" size={30} />
        </span>
        <h3>{m.heading}</h3>
        <p>{m.body}</p>
      </div>
      {a ? (
        <dl className="ob-done-facts">
          <div>
            <dt>{m.account}</dt>
            <dd data-testid="done-account-name">{a.name}</dd>
          </div>
          <div>
            <dt>{m.environment}</dt>
            <dd>
              <EnvBadge env={a.environment} />
            </dd>
          </div>
          <div className="wide">
            <dt>{m.clientId}</dt>
            <dd className="mono">{a.clientId}</dd>
          </div>
          <div className="wide">
            <dt>{m.certificate}</dt>
            <dd data-testid="done-cert-expiry">
              <strong>{formatDateTime(a.certificate.notAfter)}</strong>
              <span className="muted"> · {messages.accounts.daysText(a.renewal.daysLeft)}</span>
            </dd>
          </div>
        </dl>
      ) : null}
      <PhaseList phases={props.view.phases} running={false} />
      {a ? (
        <section className="ob-next-steps" aria-labelledby="ob-next-title" data-testid="done-next">
          <h4 id="ob-next-title">{m.nextTitle}</h4>
          <p className="muted small">{a.pixKeys.length ? m.nextKeysDone : m.nextKeysHint}</p>
          <PixKeysEditor account={a} onSaved={props.onAccount} />
        </section>
      ) : null}
      <div className="ob-actions center">
        <button type="button" onClick={props.onClose}>
          {m.viewAccounts}
        </button>
        <button
          type="button"
          className="primary lg"
          onClick={() => {
            props.onClose();
            useApp.getState().go('caixa');
          }}
        >
          <Icon name="qr" size={18} />
          {m.openCashier}
        </button>
      </div>
    </div>
  );
}
