import type { AccountSummary, Environment } from '../../main/core/contract';
import { messages } from '../messages';

/** SANDBOX / PRODUÇÃO, coloured like the environment banner. */
export function EnvBadge({ env }: { env: Environment }) {
  return <span className={`badge badge-env-${env}`}>{messages.accounts.env[env]}</span>;
}

const RENEWAL_TONE: Record<AccountSummary['renewal']['state'], string> = {
  ok: 'ok',
  due: 'info',
  failed: 'danger',
  expired: 'danger',
  inactive: 'muted',
};

/** The certificate renewal state: Em dia, Renovação em breve, Falhou a renovação, Expirado, Desativada. */
export function RenewalBadge({ state }: { state: AccountSummary['renewal']['state'] }) {
  return (
    <span className={`badge badge-${RENEWAL_TONE[state]}`} data-testid="renewal-badge">
      <span className="badge-dot" aria-hidden="true" />
      {messages.accounts.badges[state]}
    </span>
  );
}
