import type { ChargeView } from '../contract/types';
import { AppError } from '../errors';
import type { EventBus } from '../events';

/** What the op needs: the charge as it is now (asked of the bank while open) and the bus the displays follow. */
export interface DisplayPushDeps {
  /** The current view of a charge; throws CHARGE_NOT_FOUND for an unknown id. */
  current: (id: string) => Promise<ChargeView>;
  events: EventBus;
  now: () => Date;
}

/** Why a charge in this state cannot go to the customer display (what happened + what to do next). */
const NOT_OPEN: Partial<Record<ChargeView['status'], string>> = {
  paid: 'Esta cobrança já foi paga: não há o que mostrar no display do cliente. Para cobrar de novo, crie uma nova cobrança no Caixa.',
  expired: 'Esta cobrança expirou e não pode mais ser paga, por isso não vai ao display do cliente. Crie uma nova cobrança no Caixa.',
  cancelled: 'Esta cobrança foi cancelada e não pode mais ser paga, por isso não vai ao display do cliente. Crie uma nova cobrança no Caixa.',
  failed: 'Esta cobrança não foi registrada no banco e não pode ser paga. Crie uma nova cobrança no Caixa.',
  creating: 'Esta cobrança ainda está sendo registrada no banco. Aguarde alguns segundos e tente de novo.',
};

/**
 * Send an open charge to the customer display of its till again: publishes `display:show {chargeId, till}`, which
 * every display tab of that till follows (renderer/display). Refused, with a pt-BR reason, for a charge the
 * customer can no longer pay, for one past its expiry and for one with no till (no display follows it).
 */
export async function showOnDisplay(d: DisplayPushDeps, id: string): Promise<{ chargeId: string; till: string }> {
  const c = await d.current(id);
  const refused = NOT_OPEN[c.status];
  if (refused) throw new AppError('CHARGE_NOT_OPEN', refused);
  if (Date.parse(c.expiresAt) <= d.now().getTime()) throw new AppError('CHARGE_NOT_OPEN', NOT_OPEN.expired as string);
  if (!c.till) {
    throw new AppError('CHARGE_NO_TILL', 'Esta cobrança não é de nenhum caixa, então nenhum display do cliente a acompanha. Crie a cobrança pelo Caixa para mostrá-la ao cliente.');
  }
  const payload = { chargeId: c.id, till: c.till };
  d.events.publish('display:show', payload);
  return payload;
}
