import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboard, weekStart } from '../../../main/core/charges/dashboard';
import { contract } from '../../../main/core/contract';
import { openDatabase } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { seedCharges } from '../../fixtures/seed-charges';

/*
 * The dashboard against references computed independently over the same seeded SQLite file: São Paulo days from
 * Intl (the IANA zone, not the module's fixed −3 h), sums in JS over every received Pix row, and a plain SQL sum
 * per window written here.
 */

let dir: string;
let db: Database.Database;
// Wednesday 2026-11-25, 21:30 in São Paulo (the seeded day runs to 22:00 there); the week started on Monday the 23rd.
const NOW = new Date('2026-11-26T00:30:00Z');
type Pix = { account_id: string; amount_cents: number; received_at: string; till: string | null; charge_id: string | null };
let pix: Pix[];

const spFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', year: 'numeric', month: '2-digit', day: '2-digit' });
const spDayOf = (iso: string) => spFmt.format(new Date(iso));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-dash-'));
  db = openDatabase({ file: path.join(dir, 'app.sqlite'), migrations: appMigrations });
  seedCharges(db, { count: 12_000, days: 45, end: NOW, seed: 11 });
  pix = db.prepare('SELECT r.account_id, r.amount_cents, r.received_at, r.charge_id, c.till FROM received_pix r LEFT JOIN charges c ON c.id = r.charge_id').all() as Pix[];
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function ref(pred: (p: Pix) => boolean) {
  const xs = pix.filter(pred);
  const cents = xs.reduce((s, p) => s + p.amount_cents, 0);
  return { count: xs.length, cents, avgCents: xs.length ? Math.round(cents / xs.length) : 0 };
}

describe('charges:dashboard', () => {
  it('today and this week (São Paulo, Monday–Sunday) equal the sums over every received Pix', () => {
    const d = dashboard(db, NOW, 7);
    expect(d.day).toBe('2026-11-25');
    expect(d.weekStart).toBe('2026-11-23');
    const today = ref((p) => spDayOf(p.received_at) === '2026-11-25');
    const week = ref((p) => spDayOf(p.received_at) >= '2026-11-23' && spDayOf(p.received_at) <= '2026-11-25');
    expect(today.count).toBeGreaterThan(50);
    expect(week.count).toBeGreaterThan(today.count);
    expect(d.today).toEqual(today);
    expect(d.week).toEqual(week);
    // The same figures as a plain SQL sum over the UTC bounds of the São Paulo days (03:00Z).
    const sql = db.prepare("SELECT count(*) AS count, sum(amount_cents) AS cents FROM received_pix WHERE received_at >= '2026-11-23T03:00:00.000Z' AND received_at < '2026-11-26T03:00:00.000Z'").get() as { count: number; cents: number };
    expect({ count: d.week.count, cents: d.week.cents }).toEqual(sql);
  });

  it('by account and by till add up to the totals; direct transfers are their own line', () => {
    const d = dashboard(db, NOW, 7);
    const inWeek = (p: Pix) => spDayOf(p.received_at) >= '2026-11-23';
    const isToday = (p: Pix) => spDayOf(p.received_at) === '2026-11-25';
    const accounts = [...new Set(pix.map((p) => p.account_id))];
    expect(d.byAccount.length).toBe(accounts.filter((a) => pix.some((p) => p.account_id === a && inWeek(p))).length);
    for (const a of d.byAccount) {
      expect(a.week).toEqual(ref((p) => p.account_id === a.accountId && inWeek(p)));
      expect(a.today).toEqual(ref((p) => p.account_id === a.accountId && isToday(p)));
    }
    const direct = d.byTill.find((t) => t.direct);
    expect(direct?.week).toEqual(ref((p) => p.charge_id === null && inWeek(p)));
    expect(direct!.week.count).toBeGreaterThan(0);
    for (const t of d.byTill.filter((x) => !x.direct)) {
      expect(t.week).toEqual(ref((p) => p.charge_id !== null && (p.till ?? null) === t.till && inWeek(p)));
      expect(t.today).toEqual(ref((p) => p.charge_id !== null && (p.till ?? null) === t.till && isToday(p)));
    }
    expect(d.byTill.reduce((s, t) => s + t.week.cents, 0)).toBe(d.week.cents);
    expect(d.byAccount.reduce((s, t) => s + t.today.count, 0)).toBe(d.today.count);
  });

  it('the chart has 7 or 30 days ending today, zeros included, each equal to that day\'s sum', () => {
    for (const range of [7, 30] as const) {
      const d = dashboard(db, NOW, range);
      expect(d.series).toHaveLength(range);
      expect(d.series.at(-1)!.day).toBe('2026-11-25');
      for (const s of d.series) expect({ count: s.count, cents: s.cents }).toEqual((({ count, cents }) => ({ count, cents }))(ref((p) => spDayOf(p.received_at) === s.day)));
    }
    // Before the data starts the days are zeros, not missing.
    const early = dashboard(db, new Date('2026-10-13T12:00:00Z'), 30);
    expect(early.day).toBe('2026-10-13');
    expect(early.series).toHaveLength(30);
    expect(early.series[0]).toEqual({ day: '2026-09-14', count: 0, cents: 0 });
  });

  it('one account narrows every figure; a new received Pix shows at once', () => {
    const acc = pix[0]!.account_id;
    const d = dashboard(db, NOW, 7, acc);
    expect(d.today).toEqual(ref((p) => p.account_id === acc && spDayOf(p.received_at) === '2026-11-25'));
    expect(d.byAccount.map((a) => a.accountId)).toEqual([acc]);
    db.prepare("INSERT INTO received_pix (e2eid, account_id, amount_cents, received_at, created_at) VALUES ('E00000000202611251900TESTDASH01', ?, 12345, '2026-11-25T23:00:00.000Z', '2026-11-25T23:00:01.000Z')").run(acc);
    const after = dashboard(db, NOW, 7, acc);
    expect(after.today.count).toBe(d.today.count + 1);
    expect(after.today.cents).toBe(d.today.cents + 12345);
    db.prepare("DELETE FROM received_pix WHERE e2eid = 'E00000000202611251900TESTDASH01'").run();
  });

  it('weeks start on Monday; the contract takes only 7 or 30 days', () => {
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
    expect(weekStart('2026-01-01')).toBe('2025-12-29');
    expect(contract['charges:dashboard'].input.safeParse({ range: 14 }).success).toBe(false);
    expect(contract['charges:dashboard'].input.parse({})).toEqual({ range: 7 });
  });
});
