import type { AccountStore } from '../accounts/account-store';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { ResolvedEndpoints } from '../itau/endpoints';
import { ItauPixClient, type PixClientOptions } from '../itau/pix-client';
import { ChargeService } from './charge-service';
import { ChargeStore } from './charge-store';
import { Reconciler, type ReconcileResult } from './reconciler';
import { RefundService } from './refund-service';
import { TillLocations } from './till-locations';
import { realTimers, type Timers } from './timers';
import { ChargeWatcher } from './watcher';

export { ChargeService, DEFAULT_EXPIRES_IN, STATUS_PT, type CreateChargeInput } from './charge-service';
export { ChargeStore, type ChargeStatus } from './charge-store';
export { checkCents, formatBrl, MAX_CENTS, parseAmountText, centsToValor } from './amount';
export type { Timers } from './timers';
export { TillLocations, type TillLocationView } from './till-locations';

/** Where a fresh access token for an account comes from (the shared TokenCache, or a benchmark's baseline). */
export interface TokenSource {
  get(accountId: string): Promise<string>;
  invalidate(accountId: string): void;
}

export interface ChargeEngineDeps {
  db: Db;
  accounts: AccountStore;
  tokens: TokenSource;
  endpoints: (accountId: string) => Promise<ResolvedEndpoints>;
  events: EventBus;
  now: () => Date;
  till: () => string;
  timers?: Timers;
  client?: PixClientOptions;
  /** Watcher poll interval (default 2 s). */
  watchIntervalMs?: number;
  /** Background round: recover, reconcile, follow refunds, expire (default 30 s). */
  backgroundIntervalMs?: number;
  pageSize?: number;
  afterStep?: (step: 'stored' | 'answered') => void;
}

/**
 * The charges engine of one profile: charges, refunds, the on-screen watcher and the background reconciliation.
 * `start()` runs a first round at once (so a payment made while the app was closed is found) and then one every
 * 30 s; `stop()` ends every timer. No electron import.
 */
export class ChargeEngine {
  readonly store: ChargeStore;
  readonly charges: ChargeService;
  readonly refunds: RefundService;
  readonly reconciler: Reconciler;
  readonly watcher: ChargeWatcher;
  /** The fixed till QR: one reusable location per till (till-locations.ts). */
  readonly tills: TillLocations;
  private readonly timers: Timers;
  private readonly clients = new Map<string, ItauPixClient>();
  private timer: unknown = null;
  private round: Promise<void> | null = null;
  private started = false;

  constructor(private readonly d: ChargeEngineDeps) {
    this.timers = d.timers ?? realTimers;
    this.store = new ChargeStore(d.db);
    const client = (id: string) => this.client(id);
    this.tills = new TillLocations({ db: d.db, store: this.store, accounts: d.accounts, events: d.events, client, now: d.now });
    // Unlinking follows the charge events from the first moment (not only once the background rounds start).
    this.tills.start();
    this.charges = new ChargeService({ store: this.store, accounts: d.accounts, events: d.events, client, now: d.now, till: d.till, tillLocs: this.tills, ...(d.afterStep ? { afterStep: d.afterStep } : {}) });
    const view = (id: string) => this.charges.view(id);
    this.refunds = new RefundService({ store: this.store, events: d.events, payments: this.charges.payments, client, now: d.now, view });
    this.reconciler = new Reconciler({ store: this.store, accounts: d.accounts, payments: this.charges.payments, client, now: d.now, ...(d.pageSize ? { pageSize: d.pageSize } : {}) });
    this.watcher = new ChargeWatcher(this.charges, this.timers, d.watchIntervalMs ? { intervalMs: d.watchIntervalMs } : {});
  }

  /** The Pix API client of an account, built once; credentials are read from the vault at each call. */
  client(accountId: string): ItauPixClient {
    let c = this.clients.get(accountId);
    if (!c) {
      c = new ItauPixClient(async () => {
        const ep = await this.d.endpoints(accountId);
        const creds = this.d.accounts.credentials(accountId);
        return {
          pixUrl: ep.pixUrl,
          clientId: creds.clientId,
          tls: { ...ep.tls, certPem: creds.certPem, keyPem: creds.keyPem },
          token: () => this.d.tokens.get(accountId),
          invalidateToken: () => this.d.tokens.invalidate(accountId),
        };
      }, this.d.client);
      this.clients.set(accountId, c);
    }
    return c;
  }

  /** Forget cached clients (after credentials change). */
  resetClients(): void {
    this.clients.clear();
  }

  /**
   * One background round: finish or explain pending creations, reconcile every active account with API access,
   * follow open refunds, expire what is due. Errors of one account never stop the others.
   */
  runRound(): Promise<void> {
    if (!this.round) this.round = this.doRound().finally(() => (this.round = null));
    return this.round;
  }

  /** Reconcile every active account that can use the API; returns what each found (failures are skipped). */
  async reconcileAll(): Promise<ReconcileResult[]> {
    const out: ReconcileResult[] = [];
    for (const a of this.d.accounts.list()) {
      if (!a.active || this.charges.apiProblem(a)) continue;
      try {
        out.push(await this.reconciler.run(a.id));
      } catch {
        /* recorded on the cursor; next round */
      }
    }
    return out;
  }

  private async doRound(): Promise<void> {
    await this.charges.recoverPending();
    await this.reconcileAll();
    await this.refunds.refreshOpen();
    this.charges.expireDue();
  }

  /** Start the background rounds (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const loop = () => {
      this.timer = null;
      void this.runRound()
        // A failing round (bank down, a bug) must never take the app down: the next one tries again.
        .catch(() => undefined)
        .finally(() => {
          if (this.started) this.timer = this.timers.setTimeout(loop, this.d.backgroundIntervalMs ?? 30_000);
        });
    };
    this.timer = this.timers.setTimeout(loop, 0);
  }

  /** Stop every timer; waits for a round in flight so the database can close after it. */
  async stop(): Promise<void> {
    this.started = false;
    this.tills.stop();
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.watcher.stop();
    if (this.round) await this.round.catch(() => undefined);
  }
}
