import type { AccountStore } from '../../accounts/account-store';
import { parsePixKey } from '../../brcode';
import type { ChargeEngine } from '../../charges';
import { showOnDisplay } from '../../charges/display-push';
import { chargeView, receivedPixView } from '../../charges/views';
import type { AccountSummary, Handlers } from '../../contract';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';

type ChargeHandlers = Pick<
  Handlers,
  | 'charges:create' | 'charges:get' | 'charges:list' | 'charges:cancel' | 'charges:refund' | 'charges:watch' | 'charges:unwatch'
  | 'charges:showOnDisplay'
  | 'pix:listReceived' | 'accounts:addPixKey' | 'accounts:removePixKey'
>;

export interface ChargeHandlerDeps {
  engine: ChargeEngine;
  accounts: AccountStore;
  /** The account's secret-free summary (shared with the accounts handlers). */
  summary: (accountId: string) => AccountSummary;
  /** The bus the customer displays follow (charges:showOnDisplay publishes on it). */
  events: EventBus;
  now: () => Date;
}

/** Charges, received Pix and account Pix keys. Results are views with no secret (nothing secret is stored with them). */
export function chargeHandlers(d: ChargeHandlerDeps): ChargeHandlers {
  const e = d.engine;
  return {
    // Who created it, stored with the row (a cashier later sees and cancels only their own: OP_ACCESS `own`).
    'charges:create': (i, ctx) => e.charges.create(i, ctx?.session?.user?.id ?? null),
    'charges:get': (i) => e.charges.refresh(i.id),
    'charges:list': (i) => {
      const page = e.store.list({ status: i.status, accountId: i.accountId, till: i.till, text: i.q, cursor: i.cursor, limit: i.limit });
      return { items: page.rows.map((r) => chargeView(e.store, r)), nextCursor: page.nextCursor };
    },
    'charges:cancel': (i) => e.charges.cancel(i.id),
    'charges:refund': (i) => e.refunds.refund(i.id, i.amountCents, i.reason),
    'charges:watch': (i) => e.watcher.watch(i.id),
    'charges:unwatch': (i) => e.watcher.unwatch(i.id),
    'charges:showOnDisplay': (i) => showOnDisplay({ current: (id) => e.charges.refresh(id), events: d.events, now: d.now }, i.id),
    'pix:listReceived': (i) => {
      const page = e.store.listPix({ accountId: i.accountId, unmatchedOnly: i.unmatchedOnly, text: i.q, cursor: i.cursor, limit: i.limit });
      return { items: page.rows.map(receivedPixView), nextCursor: page.nextCursor };
    },
    'accounts:addPixKey': (i) => {
      const a = d.accounts.get(i.id);
      const key = parsePixKey(i.key).key;
      if (!a.pixKeys.includes(key)) {
        if (a.pixKeys.length >= 20) throw new AppError('TOO_MANY_KEYS', 'Uma conta tem no máximo 20 chaves Pix no PixDesk. Remova uma antes de adicionar outra.');
        d.accounts.setPixKeys(a.id, [...a.pixKeys, key]);
      }
      return d.summary(a.id);
    },
    'accounts:removePixKey': (i) => {
      const a = d.accounts.get(i.id);
      let key: string;
      try {
        key = parsePixKey(i.key).key;
      } catch {
        key = i.key.trim();
      }
      if (!a.pixKeys.includes(key)) throw new AppError('KEY_NOT_ON_ACCOUNT', `A chave ${key} não está cadastrada na conta "${a.name}".`);
      d.accounts.setPixKeys(a.id, a.pixKeys.filter((k) => k !== key));
      return d.summary(a.id);
    },
  };
}
