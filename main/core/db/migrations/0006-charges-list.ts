import type { Migration } from '..';

/**
 * 0006: what the Cobranças list needs at a million rows.
 *
 * - `charges_daily`: counts and sums of charges per São Paulo day × account × till × status, kept in step by
 *   triggers. The totals of a filter (and the per-day histogram the virtual table uses to jump to a position) are
 *   read from here in well under a millisecond instead of scanning the charges. The day is the creation instant
 *   minus 3 hours: Brazil has had no daylight saving time since 2019, so São Paulo is UTC−3 all year.
 * - Indexes that lead with every equality filter the list offers and end in (created_at, id), so a keyset page is
 *   an index range walk; amount_cents is carried at the end so an amount range is checked in the index without
 *   reading the table row (see docs/charges-list.md for the query plans).
 * - Received Pix by day for the dashboard totals (an index range per day, covering).
 */
/** Recount `charges_daily` from the charges (the backfill here; bulk loaders run it after loading with triggers off). */
export const REBUILD_CHARGES_DAILY = `DELETE FROM charges_daily;
      INSERT INTO charges_daily (day, account_id, till, status, n, amount_cents, paid_cents)
        SELECT date(created_at, '-3 hours'), account_id, coalesce(till, ''), status, count(*), sum(amount_cents), sum(coalesce(paid_cents, 0))
        FROM charges GROUP BY 1, 2, 3, 4;`;

export const m0006ChargesList: Migration = {
  version: 6,
  name: '0006-charges-list',
  up(db) {
    db.exec(`
      CREATE TABLE charges_daily (
        day TEXT NOT NULL,
        account_id TEXT NOT NULL,
        till TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        amount_cents INTEGER NOT NULL,
        paid_cents INTEGER NOT NULL,
        PRIMARY KEY (day, account_id, till, status)
      ) WITHOUT ROWID;

      CREATE TRIGGER charges_daily_ai AFTER INSERT ON charges BEGIN
        INSERT INTO charges_daily (day, account_id, till, status, n, amount_cents, paid_cents)
          VALUES (date(new.created_at, '-3 hours'), new.account_id, coalesce(new.till, ''), new.status, 1, new.amount_cents, coalesce(new.paid_cents, 0))
          ON CONFLICT DO UPDATE SET n = n + 1, amount_cents = amount_cents + excluded.amount_cents, paid_cents = paid_cents + excluded.paid_cents;
      END;
      CREATE TRIGGER charges_daily_ad AFTER DELETE ON charges BEGIN
        UPDATE charges_daily SET n = n - 1, amount_cents = amount_cents - old.amount_cents, paid_cents = paid_cents - coalesce(old.paid_cents, 0)
          WHERE day = date(old.created_at, '-3 hours') AND account_id = old.account_id AND till = coalesce(old.till, '') AND status = old.status;
      END;
      CREATE TRIGGER charges_daily_au AFTER UPDATE OF status, amount_cents, paid_cents, account_id, till, created_at ON charges BEGIN
        UPDATE charges_daily SET n = n - 1, amount_cents = amount_cents - old.amount_cents, paid_cents = paid_cents - coalesce(old.paid_cents, 0)
          WHERE day = date(old.created_at, '-3 hours') AND account_id = old.account_id AND till = coalesce(old.till, '') AND status = old.status;
        INSERT INTO charges_daily (day, account_id, till, status, n, amount_cents, paid_cents)
          VALUES (date(new.created_at, '-3 hours'), new.account_id, coalesce(new.till, ''), new.status, 1, new.amount_cents, coalesce(new.paid_cents, 0))
          ON CONFLICT DO UPDATE SET n = n + 1, amount_cents = amount_cents + excluded.amount_cents, paid_cents = paid_cents + excluded.paid_cents;
      END;

      ${REBUILD_CHARGES_DAILY}

      -- Every equality filter of the list leads an index ending in (created_at, id, amount_cents): a page is a range
      -- walk in list order and an amount range is checked inside the index, never by reading the row. These replace
      -- the 0004 indexes with the same leading columns (kept name prefixes: charges_by_status…).
      DROP INDEX charges_by_created;
      DROP INDEX charges_by_status;
      DROP INDEX charges_by_account;
      DROP INDEX charges_by_account_status;
      DROP INDEX charges_by_till;
      CREATE INDEX charges_by_created_amt ON charges (created_at, id, amount_cents);
      CREATE INDEX charges_by_status_amt ON charges (status, created_at, id, amount_cents);
      CREATE INDEX charges_by_account_amt ON charges (account_id, created_at, id, amount_cents);
      CREATE INDEX charges_by_account_status_amt ON charges (account_id, status, created_at, id, amount_cents);
      CREATE INDEX charges_by_till_amt ON charges (till, created_at, id, amount_cents);
      CREATE INDEX charges_by_till_status_amt ON charges (till, status, created_at, id, amount_cents);
      CREATE INDEX charges_by_account_till_amt ON charges (account_id, till, created_at, id, amount_cents);
      CREATE INDEX charges_by_account_till_status_amt ON charges (account_id, till, status, created_at, id, amount_cents);

      -- Dashboard: received totals of a day range read from the index alone.
      CREATE INDEX received_pix_by_time_amount ON received_pix (received_at, account_id, amount_cents, charge_id);
    `);
  },
};
