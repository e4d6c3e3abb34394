import type { ChargeDashboard, DashboardTotals } from '../contract/types';
import type { Db } from '../db';
import { dayStartUtc, nextDay, spDay } from './list-query';

/*
 * The Cobranças dashboard: what was RECEIVED (received Pix, with or without a charge of ours: a direct transfer to
 * the key is money in the account too), by São Paulo day. Read from `received_pix` through the covering index
 * `received_pix_by_time_amount (received_at, account_id, amount_cents, charge_id)` of migration 0006, so a day range
 * is an index range walk: the year of data before it is never touched. Only the "by till" split needs the charge
 * row (a primary-key lookup per Pix of the current week).
 *
 * Why not `charges_daily`: it is keyed by the day a charge was CREATED and knows nothing of direct transfers; a
 * charge created at 23:58 and paid at 00:01 belongs to the next day's takings.
 */

/** Days of the chart the dashboard offers. */
export type DashboardRange = 7 | 30;

/** Monday of the São Paulo week holding `day` (weeks run Monday–Sunday, as in a shop's weekly close). */
export function weekStart(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The São Paulo day `n` days before `day`. */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

function totals(count: number, cents: number): DashboardTotals {
  return { count, cents, avgCents: count ? Math.round(cents / count) : 0 };
}

type SumRow = { n: number; cents: number | null };

/**
 * Dashboard figures at `now`: today's and this week's received total, count and average ticket (all accounts, and
 * split by account and by till), and the received amount per day of the last `range` days (today included, days
 * with nothing received as zeros). `accountId` narrows everything to one account.
 */
export function dashboard(db: Db, now: Date, range: DashboardRange, accountId?: string): ChargeDashboard {
  const today = spDay(now);
  const week = weekStart(today);
  const first = daysBefore(today, range - 1);
  const end = dayStartUtc(nextDay(today));
  const todayAt = dayStartUtc(today);
  const weekAt = dayStartUtc(week);
  const acc = accountId ? 'AND account_id = @acc' : '';
  const p = { end, todayAt, weekAt, acc: accountId ?? '' };

  const sum = (fromAt: string) =>
    db.prepare(`SELECT count(*) AS n, sum(amount_cents) AS cents FROM received_pix WHERE received_at >= @from AND received_at < @end ${acc}`).get({ ...p, from: fromAt }) as SumRow;
  const t = sum(todayAt);
  const w = sum(weekAt);

  // One pass over the week, split per account and per "today or earlier this week".
  const byAccount = db
    .prepare(
      `SELECT account_id AS k, sum(received_at >= @todayAt) AS tn, sum(CASE WHEN received_at >= @todayAt THEN amount_cents ELSE 0 END) AS tc,
              count(*) AS wn, sum(amount_cents) AS wc
       FROM received_pix WHERE received_at >= @weekAt AND received_at < @end ${acc} GROUP BY account_id ORDER BY wc DESC`,
    )
    .all(p) as { k: string; tn: number; tc: number; wn: number; wc: number }[];
  // The till is the charge's; a Pix with no charge (direct transfer) has none: key NULL, `direct` set.
  const byTill = db
    .prepare(
      `SELECT CASE WHEN r.charge_id IS NULL THEN NULL ELSE coalesce(c.till, '') END AS k,
              sum(r.received_at >= @todayAt) AS tn, sum(CASE WHEN r.received_at >= @todayAt THEN r.amount_cents ELSE 0 END) AS tc,
              count(*) AS wn, sum(r.amount_cents) AS wc
       FROM received_pix r INDEXED BY received_pix_by_time_amount LEFT JOIN charges c ON c.id = r.charge_id
       WHERE r.received_at >= @weekAt AND r.received_at < @end ${accountId ? 'AND r.account_id = @acc' : ''} GROUP BY 1 ORDER BY wc DESC`,
    )
    .all(p) as { k: string | null; tn: number; tc: number; wn: number; wc: number }[];

  const perDay = db
    .prepare(
      `SELECT date(received_at, '-3 hours') AS day, count(*) AS n, sum(amount_cents) AS cents
       FROM received_pix WHERE received_at >= @from AND received_at < @end ${acc} GROUP BY 1`,
    )
    .all({ ...p, from: dayStartUtc(first) }) as { day: string; n: number; cents: number }[];
  const got = new Map(perDay.map((d) => [d.day, d]));
  const series: ChargeDashboard['series'] = [];
  for (let d = first; d <= today; d = nextDay(d)) {
    const r = got.get(d);
    series.push({ day: d, count: r?.n ?? 0, cents: r?.cents ?? 0 });
  }

  return {
    day: today,
    weekStart: week,
    range,
    today: totals(t.n, t.cents ?? 0),
    week: totals(w.n, w.cents ?? 0),
    byAccount: byAccount.map((r) => ({ accountId: r.k, today: totals(r.tn, r.tc), week: totals(r.wn, r.wc) })),
    byTill: byTill.map((r) => ({ till: r.k === null || r.k === '' ? null : r.k, direct: r.k === null, today: totals(r.tn, r.tc), week: totals(r.wn, r.wc) })),
    series,
  };
}
