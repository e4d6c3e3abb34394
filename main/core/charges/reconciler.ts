import type { AccountStore } from '../accounts/account-store';
import { toErrorInfo } from '../errors';
import type { ItauPixClient } from '../itau/pix-client';
import { learnZuluFromWindow } from './bank-time';
import type { ChargeStore } from './charge-store';
import type { PaymentRecorder } from './payment-recorder';
import { pixPages } from './pix-window';

export interface ReconcilerDeps {
  store: ChargeStore;
  accounts: AccountStore;
  payments: PaymentRecorder;
  client: (accountId: string) => ItauPixClient;
  now: () => Date;
  /** Page size of GET /pix (≤ 1000). */
  pageSize?: number;
}

/** Each run re-reads this much before the confirmed point: Pix the bank indexes late are not missed. */
export const OVERLAP_MS = 5 * 60_000;
/** A new account's first run starts this long before it was created. */
const FIRST_LOOKBACK_MS = 10 * 60_000;

/** What one account's reconciliation found. */
export interface ReconcileResult {
  accountId: string;
  seen: number;
  fresh: number;
  fromMs: number;
  toMs: number;
}

/**
 * Confirmation without a webhook: `GET /pix` windows from the last confirmed point of each account to now, so a
 * payment made while PixDesk was closed is found on the next start. Every received Pix is stored and matched to
 * its charge by txid; one with no charge stays as "Pix recebido". The cursor only moves after a window was read to
 * its end.
 */
export class Reconciler {
  private readonly running = new Map<string, Promise<ReconcileResult>>();

  constructor(private readonly d: ReconcilerDeps) {}

  /** Reconcile one account (concurrent calls share the run in flight). */
  run(accountId: string): Promise<ReconcileResult> {
    const cur = this.running.get(accountId);
    if (cur) return cur;
    const p = this.runOnce(accountId).finally(() => this.running.delete(accountId));
    this.running.set(accountId, p);
    return p;
  }

  private async runOnce(accountId: string): Promise<ReconcileResult> {
    const s = this.d.store;
    const account = this.d.accounts.get(accountId);
    const c = s.cursor(accountId);
    const confirmed = c?.confirmed_until ? Date.parse(c.confirmed_until) : Date.parse(account.createdAt) - FIRST_LOOKBACK_MS + OVERLAP_MS;
    const fromMs = confirmed - OVERLAP_MS;
    const toMs = this.d.now().getTime();
    let zulu = this.d.payments.zulu(accountId);
    let seen = 0;
    let fresh = 0;
    try {
      for await (const page of pixPages(this.d.client(accountId), fromMs, toMs, { pageSize: this.d.pageSize ?? 1000 })) {
        const learnt = learnZuluFromWindow(page.items.map((p) => p.horario), page.fromMs, page.toMs);
        if (learnt !== null && learnt !== zulu) {
          zulu = learnt;
          this.d.payments.setZulu(accountId, learnt);
        }
        seen += page.items.length;
        fresh += this.d.payments.recordPage(accountId, page.items, zulu);
      }
    } catch (e) {
      const prev = s.cursor(accountId);
      s.saveCursor({
        account_id: accountId, confirmed_until: prev?.confirmed_until ?? '', zulu_is_local: prev?.zulu_is_local ?? null,
        last_run_at: this.d.now().toISOString(), last_error: toErrorInfo(e).message,
      });
      throw e;
    }
    const prev = s.cursor(accountId);
    s.saveCursor({
      account_id: accountId, confirmed_until: new Date(toMs).toISOString(), zulu_is_local: prev?.zulu_is_local ?? null,
      last_run_at: this.d.now().toISOString(), last_error: null,
    });
    return { accountId, seen, fresh, fromMs, toMs };
  }
}
