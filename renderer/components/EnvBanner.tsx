import type { Environment } from '../../main/core/contract';
import { messages } from '../messages';

/** A banner that never lets anyone mistake the sandbox for production (or the reverse). */
export function EnvBanner({ env }: { env: Environment }) {
  const m = messages.env;
  return (
    <div className={`env-banner env-${env}`} role="note" data-testid="env-banner">
      <strong>{env === 'sandbox' ? m.sandbox : m.production}</strong>
      <span>{env === 'sandbox' ? m.sandboxHint : m.productionHint}</span>
    </div>
  );
}
