import type { AccountStore } from '../accounts/account-store';
import { encodeDynamic } from '../brcode';
import type { ChargeView, TillLocationView } from '../contract/types';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { ItauPixClient } from '../itau/pix-client';
import { OPEN_STATES, type ChargeStore } from './charge-store';

export type { TillLocationView };

export interface TillLocationsDeps {
  db: Db;
  store: ChargeStore;
  accounts: AccountStore;
  events: EventBus;
  client: (accountId: string) => ItauPixClient;
  now: () => Date;
}

interface TillLocRow {
  account_id: string;
  till: string;
  loc_id: number;
  location: string;
  created_at: string;
}

/**
 * "QR fixo do caixa": one location per till (`POST /loc` once, stored), bound to each new charge of that till with
 * `loc: {id}` in `PUT /cob` and unlinked (`DELETE /loc/{id}/txid`) once the charge is paid, cancelled, expired or
 * failed, so the printed sticker always carries the till's current charge. A till holds one open charge at a time.
 */
export class TillLocations {
  private stopEvents: (() => void) | null = null;

  constructor(private readonly d: TillLocationsDeps) {}

  /** The stored location of a till, or null before the first `ensure`. */
  get(accountId: string, till: string): TillLocationView | null {
    const r = this.d.db.prepare('SELECT * FROM till_locations WHERE account_id = ? AND till = ?').get(accountId, till) as TillLocRow | undefined;
    return r ? this.view(r) : null;
  }

  /** The till's location, created at the bank the first time (one POST /loc per till, ever). */
  async ensure(accountId: string, till: string): Promise<TillLocationView> {
    const known = this.get(accountId, till);
    if (known) return known;
    const loc = await this.d.client(accountId).postLoc();
    this.d.db
      .prepare('INSERT OR IGNORE INTO till_locations (account_id, till, loc_id, location, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(accountId, till, loc.id, loc.location, this.d.now().toISOString());
    return this.get(accountId, till) as TillLocationView;
  }

  /**
   * Before a charge through the till's fixed QR: refuse while another charge of the till is open on it, finish the
   * unlinks a crash or a bank failure left behind, and return the location id to bind.
   */
  async prepare(accountId: string, till: string): Promise<number> {
    const loc = await this.ensure(accountId, till);
    for (const b of this.bound(accountId, loc.locId)) {
      const c = this.d.store.getCharge(b.charge_id);
      if (c && OPEN_STATES.includes(c.status) && Date.parse(c.expires_at) > this.d.now().getTime()) {
        throw new AppError(
          'TILL_BUSY',
          `O ${till} já tem uma cobrança aberta no QR fixo (R$ ${(c.amount_cents / 100).toFixed(2).replace('.', ',')}). Cancele-a ou aguarde o pagamento antes de cobrar de novo.`,
        );
      }
      await this.release(b.charge_id);
    }
    return loc.locId;
  }

  /** Record that `chargeId` goes on location `locId` (called after the charge is stored, before the PUT). */
  bind(chargeId: string, accountId: string, till: string, locId: number): void {
    this.d.db
      .prepare('INSERT INTO charge_till_locs (charge_id, account_id, till, loc_id, bound_at) VALUES (?, ?, ?, ?, ?)')
      .run(chargeId, accountId, till, locId, this.d.now().toISOString());
  }

  /** The location a stored charge is bound to while it still is (ChargeService puts it in the PUT body). */
  locOf(chargeId: string): number | null {
    const r = this.d.db.prepare('SELECT loc_id FROM charge_till_locs WHERE charge_id = ? AND unlinked_at IS NULL').get(chargeId) as { loc_id: number } | undefined;
    return r?.loc_id ?? null;
  }

  /** Unlink the charge from its location at the bank (idempotent there), then here. */
  async release(chargeId: string): Promise<void> {
    const r = this.d.db.prepare('SELECT account_id, loc_id FROM charge_till_locs WHERE charge_id = ? AND unlinked_at IS NULL').get(chargeId) as
      | { account_id: string; loc_id: number }
      | undefined;
    if (!r) return;
    const c = this.d.store.getCharge(chargeId);
    // A charge that never reached the bank holds nothing there.
    if (c && !(c.status === 'failed' && c.bank_status === null)) await this.d.client(r.account_id).unlinkLoc(r.loc_id);
    this.d.db.prepare('UPDATE charge_till_locs SET unlinked_at = ? WHERE charge_id = ?').run(this.d.now().toISOString(), chargeId);
  }

  /** Unlink as soon as a bound charge ends (a failure is retried by the next `prepare` of the till). */
  start(): void {
    if (this.stopEvents) return;
    this.stopEvents = this.d.events.subscribe((e) => {
      if (!e.name.startsWith('charge:')) return;
      const charge = (e.payload as { charge: ChargeView }).charge;
      if (['paid', 'cancelled', 'expired', 'failed'].includes(charge.status) && this.locOf(charge.id) !== null) {
        void this.release(charge.id).catch(() => undefined);
      }
    });
  }

  stop(): void {
    this.stopEvents?.();
    this.stopEvents = null;
  }

  private bound(accountId: string, locId: number): { charge_id: string }[] {
    return this.d.db.prepare('SELECT charge_id FROM charge_till_locs WHERE account_id = ? AND loc_id = ? AND unlinked_at IS NULL').all(accountId, locId) as { charge_id: string }[];
  }

  private view(r: TillLocRow): TillLocationView {
    const a = this.d.accounts.get(r.account_id);
    return {
      accountId: r.account_id,
      till: r.till,
      locId: r.loc_id,
      location: r.location,
      brCode: encodeDynamic({ url: r.location, name: a.company, city: a.city }),
      createdAt: r.created_at,
    };
  }
}
