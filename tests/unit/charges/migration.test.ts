import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { m0004Charges } from '../../../main/core/db/migrations/0004-charges';
import { ChargeStore } from '../../../main/core/charges/charge-store';

const idx = appMigrations.indexOf(m0004Charges);

function before(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, appMigrations, idx);
  db.prepare(
    `INSERT INTO accounts (id, name, environment, client_id, company, city, state, client_secret_enc, created_at, updated_at)
     VALUES ('acc', 'Loja', 'sandbox', 'cid', 'Empresa', 'Maceio', 'AL', x'00', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
  ).run();
  return db;
}

function charge(db: Database.Database, n: number, extra: Record<string, unknown> = {}): void {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0, n)).toISOString();
  db.prepare(
    `INSERT INTO charges (id, txid, account_id, till, kind, status, amount_cents, description, pix_key, expires_in, expires_at, created_at, updated_at, payer_name)
     VALUES (@id, @txid, 'acc', @till, 'dynamic', @status, @amount, @description, 'k', 60, @at, @at, @at, @payer)`,
  ).run({ id: `c${String(n).padStart(4, '0')}`, txid: `T${String(n).padStart(30, '0')}`, till: 'Caixa 1', status: 'active', amount: 100 + n, description: `item ${n}`, at, payer: null, ...extra });
}

describe('migration 0004-charges', () => {
  it('adds charges, received Pix, refunds and cursors on top of existing accounts, with constraints', () => {
    const db = before();
    migrate(db, appMigrations, idx + 1);
    expect(schemaVersion(db)).toBe(idx + 1);
    expect((db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n).toBe(1);
    for (const t of ['charges', 'received_pix', 'refunds', 'reconciliation_cursor', 'charges_fts', 'received_pix_fts']) {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = ?").get(t), t).toBeTruthy();
    }
    charge(db, 1);
    expect(() => charge(db, 1)).toThrow(/UNIQUE/); // txid (and id) unique
    expect(() => charge(db, 2, { amount: 0 })).toThrow(/CHECK/);
    expect(() => charge(db, 3, { status: 'whatever' })).toThrow(/CHECK/);
    expect(() => charge(db, 4, { amount: 1_000_000_000_000 })).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO refunds (id, e2eid, account_id, amount_cents, status, requested_at, updated_at) VALUES ('r', 'nope', 'acc', 1, 'EM_PROCESSAMENTO', 'x', 'x')").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('lists use the indexes (keyset on created_at, id; never a full sort) and text search finds payer and description', () => {
    const db = before();
    migrate(db, appMigrations);
    for (let i = 0; i < 30; i++) charge(db, i, i === 7 ? { payer: 'José Antônio', description: 'Pão de queijo' } : {});
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT * FROM charges WHERE status = 'active' AND (created_at, id) < ('z', 'z') ORDER BY created_at DESC, id DESC LIMIT 10")).toMatch(/charges_by_status/);
    expect(plan("SELECT * FROM charges WHERE account_id = 'acc' ORDER BY created_at DESC, id DESC LIMIT 10")).toMatch(/charges_by_account/);
    expect(plan("SELECT * FROM charges WHERE till = 'Caixa 1' ORDER BY created_at DESC, id DESC LIMIT 10")).toMatch(/charges_by_till/);
    expect(plan('SELECT * FROM charges ORDER BY created_at DESC, id DESC LIMIT 10')).not.toMatch(/TEMP B-TREE/);
    expect(plan("SELECT * FROM received_pix WHERE txid = 'x'")).toMatch(/received_pix_by_txid/);

    const store = new ChargeStore(db);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.list({ limit: 7, cursor });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen[0]).toBe('c0029');
    // accent-insensitive prefix search over payer name and description
    expect(store.list({ limit: 10, text: 'jose' }).rows.map((r) => r.id)).toEqual(['c0007']);
    expect(store.list({ limit: 10, text: 'pao quei' }).rows.map((r) => r.id)).toEqual(['c0007']);
    expect(store.list({ limit: 10, text: '"; DROP TABLE charges; --' }).rows).toEqual([]);
    db.prepare("UPDATE charges SET payer_name = 'Outra Pessoa' WHERE id = 'c0007'").run();
    expect(store.list({ limit: 10, text: 'jose' }).rows).toEqual([]);
    expect(() => store.list({ limit: 5, cursor: 'garbage' })).toThrow(/Posição de página inválida/);
    db.close();
  });
});
