import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { ChargeExporter } from '../../../main/core/charges/export/export-service';
import { dayStartUtc, explainPage, nextDay, queryPage, querySummary } from '../../../main/core/charges/list-query';
import type { ChargeListFilter } from '../../../main/core/contract/types';
import { migrate, openDatabase, schemaVersion } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { m0006ChargesList } from '../../../main/core/db/migrations/0006-charges-list';
import { EventBus } from '../../../main/core/events';
import { seedCharges } from '../../fixtures/seed-charges';

/*
 * The Cobranças list queries on a real SQLite file seeded with the seeding script: every page walk, total and
 * export is compared with a brute-force reference computed in JS from all rows.
 */

let dir: string;
let file: string;
let db: Database.Database;
type Row = { id: string; txid: string; account_id: string; till: string | null; status: string; amount_cents: number; paid_cents: number | null; created_at: string; e2eid: string | null; payer_name: string | null; description: string | null };
let all: Row[];
let accounts: string[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-list-'));
  file = path.join(dir, 'app.sqlite');
  db = openDatabase({ file, migrations: appMigrations });
  accounts = seedCharges(db, { count: 6000, days: 40, end: new Date('2026-11-23T15:00:00Z'), seed: 7 }).accounts;
  all = db.prepare('SELECT * FROM charges').all() as Row[];
  // Newest first, then id descending: the list order.
  all.sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1));
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function reference(f: ChargeListFilter): Row[] {
  return all.filter(
    (r) =>
      (!f.status || r.status === f.status) && (!f.accountId || r.account_id === f.accountId) && (!f.till || r.till === f.till) &&
      (!f.from || r.created_at >= dayStartUtc(f.from)) && (!f.to || r.created_at < dayStartUtc(nextDay(f.to))) &&
      (f.minCents === undefined || r.amount_cents >= f.minCents) && (f.maxCents === undefined || r.amount_cents <= f.maxCents),
  );
}

const FILTERS: [string, ChargeListFilter][] = [
  ['none', {}],
  ['status', { status: 'paid' }],
  ['rare status', { status: 'cancelled' }],
  ['account', { accountId: '' }],
  ['till', { till: 'Caixa 2' }],
  ['status + till', { status: 'expired', till: 'Delivery' }],
  ['account + till + status', { accountId: '', till: 'Caixa 1', status: 'paid' }],
  ['period', { from: '2026-11-01', to: '2026-11-10' }],
  ['wide amount', { minCents: 2000, maxCents: 20000 }],
  ['narrow amount', { minCents: 4000, maxCents: 4100 }],
  ['everything', { status: 'paid', accountId: '', from: '2026-10-20', to: '2026-11-20', minCents: 1000 }],
];
const withAccount = (f: ChargeListFilter): ChargeListFilter => (f.accountId === '' ? { ...f, accountId: accounts[1] } : f);

describe('Cobranças list queries', () => {
  for (const [name, raw] of FILTERS) {
    it(`keyset pages, day seeks and totals agree with a brute-force reference: ${name}`, () => {
      const f = withAccount(raw);
      const want = reference(f);
      expect(want.length).toBeGreaterThan(0);
      // Walk every page by cursor.
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = queryPage(db, f, { cursor, limit: 97 });
        seen.push(...p.items.map((i) => i.id));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(want.map((r) => r.id));
      // Totals and the day histogram.
      const s = querySummary(db, f);
      expect(s.count).toBe(want.length);
      expect(s.amountCents).toBe(want.reduce((n, r) => n + r.amount_cents, 0));
      expect(s.paidCents).toBe(want.reduce((n, r) => n + (r.paid_cents ?? 0), 0));
      expect(s.days.reduce((n, [, c]) => n + c, 0)).toBe(want.length);
      // Jump to positions through the histogram: the page starts exactly at that position.
      for (const pos of [0, Math.floor(want.length / 3), want.length - 1]) {
        let before = 0;
        const hit = s.days.find(([, c]) => (before + c > pos ? true : ((before += c), false)))!;
        const page = queryPage(db, f, { seek: { day: hit[0], skip: pos - before }, limit: 5 });
        expect(page.items.map((i) => i.id)).toEqual(want.slice(pos, pos + 5).map((r) => r.id));
      }
    });
  }

  it('text finds payer and description words and the start of a txid or e2eid', () => {
    const maria = queryPage(db, { q: 'maria' }, { limit: 500 }).items;
    expect(maria.length).toBeGreaterThan(0);
    expect(maria.every((r) => /maria/i.test(`${r.payerName} ${r.description}`))).toBe(true);
    const target = all.find((r) => r.e2eid)!;
    expect(queryPage(db, { q: target.txid.slice(0, 10) }, { limit: 5 }).items.map((r) => r.id)).toContain(target.id);
    expect(queryPage(db, { q: target.e2eid!.slice(0, 24) }, { limit: 5 }).items.map((r) => r.id)).toContain(target.id);
    expect(querySummary(db, { q: '"*) OR 1' }).count).toBeGreaterThanOrEqual(0); // FTS syntax is neutralised, never an error
  });

  it('refuses a contradictory filter with a pt-BR message', () => {
    expect(() => queryPage(db, { minCents: 500, maxCents: 100 }, { limit: 5 })).toThrow(/mínimo é maior que o máximo/);
    expect(() => querySummary(db, { from: '2026-11-10', to: '2026-11-01' })).toThrow(/data inicial é depois da final/);
  });

  it('each filter combination walks an index in list order (no full scan, no sort) except amount ranges with few rows', () => {
    for (const [name, raw] of FILTERS) {
      const plan = explainPage(db, withAccount(raw));
      // Under 20,000 matching rows (always, in this 6,000-row table) an amount range is read by amount and sorted.
      if (raw.minCents !== undefined || raw.maxCents !== undefined) expect(plan, name).toMatch(/INDEX charges_by_amount/);
      else {
        expect(plan, name).toMatch(/USING (COVERING )?INDEX charges_by_/);
        expect(plan, name).not.toMatch(/TEMP B-TREE|SCAN charges\b/);
      }
    }
  });
});

describe('migration 0006-charges-list', () => {
  it('backfills the daily aggregate and keeps it in step through insert, update and delete', () => {
    const mem = new Database(':memory:');
    const idx = appMigrations.indexOf(m0006ChargesList);
    migrate(mem, appMigrations, idx);
    mem.prepare(`INSERT INTO accounts (id, name, environment, client_id, company, city, state, client_secret_enc, created_at, updated_at) VALUES ('a', 'Loja', 'sandbox', 'c', 'E', 'X', 'SP', x'00', 'x', 'x')`).run();
    const ins = mem.prepare(`INSERT INTO charges (id, txid, account_id, till, kind, status, amount_cents, pix_key, expires_in, expires_at, created_at, updated_at) VALUES (?, ?, 'a', ?, 'dynamic', ?, ?, 'k', 60, 'x', ?, 'x')`);
    ins.run('c1', 't1', 'Caixa 1', 'active', 100, '2026-11-23T02:59:59.000Z'); // 22/11 in São Paulo
    ins.run('c2', 't2', null, 'active', 200, '2026-11-23T03:00:00.000Z'); // 23/11
    migrate(mem, appMigrations, idx + 1);
    expect(schemaVersion(mem)).toBe(idx + 1);
    const daily = () => mem.prepare('SELECT day, till, status, n, amount_cents AS a, paid_cents AS p FROM charges_daily WHERE n > 0 ORDER BY day, till').all();
    expect(daily()).toEqual([
      { day: '2026-11-22', till: 'Caixa 1', status: 'active', n: 1, a: 100, p: 0 },
      { day: '2026-11-23', till: '', status: 'active', n: 1, a: 200, p: 0 },
    ]);
    mem.prepare("UPDATE charges SET status = 'paid', paid_cents = 200 WHERE id = 'c2'").run();
    ins.run('c3', 't3', null, 'active', 50, '2026-11-23T10:00:00.000Z');
    mem.prepare("DELETE FROM charges WHERE id = 'c1'").run();
    expect(daily()).toEqual([
      { day: '2026-11-23', till: '', status: 'active', n: 1, a: 50, p: 0 },
      { day: '2026-11-23', till: '', status: 'paid', n: 1, a: 200, p: 200 },
    ]);
    mem.close();
  });
});

describe('export', () => {
  const exporter = () => new ChargeExporter({ openReader: () => new Database(file, { readonly: true }), events: new EventBus(), dir });
  const f: ChargeListFilter = { status: 'paid', till: 'Caixa 2' };

  it('CSV: BOM, `;`, decimal comma, São Paulo times, one line per row of the filter', async () => {
    const out = path.join(dir, 'x.csv');
    const r = await exporter().writeFile(f, 'csv', out);
    const want = reference(f);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(r.rows).toBe(want.length);
    expect(lines).toHaveLength(want.length + 1);
    const first = lines[1]!.split(';');
    const at = new Date(Date.parse(want[0]!.created_at) - 3 * 3600_000).toISOString();
    expect(first[0]).toBe(`${at.slice(8, 10)}/${at.slice(5, 7)}/${at.slice(0, 4)} ${at.slice(11, 19)}`);
    expect(first[2]).toBe(`${Math.floor(want[0]!.amount_cents / 100)},${String(want[0]!.amount_cents % 100).padStart(2, '0')}`);
    expect(first[10]).toBe(want[0]!.txid);
  });

  it('XLSX (streamed zip) parses back with SheetJS: real numbers in BRL format, real dates, same rows and totals', async () => {
    const out = path.join(dir, 'x.xlsx');
    await exporter().writeFile(f, 'xlsx', out);
    const want = reference(f);
    const wb = XLSX.read(fs.readFileSync(out), { type: 'buffer', cellDates: true, cellNF: true });
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(ws);
    expect(rows).toHaveLength(want.length);
    expect(Math.round(rows.reduce((s, r) => s + (r['Valor (R$)'] as number), 0) * 100)).toBe(want.reduce((s, r) => s + r.amount_cents, 0));
    expect(ws['C2'].t).toBe('n');
    expect(ws['C2'].z).toContain('R$');
    expect(ws['A2'].v).toBeInstanceOf(Date);
    expect(rows[0]!['txid']).toBe(want[0]!.txid);
  });

  it('a cancelled export stops and leaves no file', async () => {
    const out = path.join(dir, 'c.csv');
    await expect(exporter().writeFile({}, 'csv', out, undefined, () => true)).rejects.toThrow(/cancelada/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
