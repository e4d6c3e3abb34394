import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainPage, queryPage, querySummary, setTextHitCache } from '../../../main/core/charges/list-query';
import type { ChargeListFilter } from '../../../main/core/contract/types';
import { openDatabase } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { seedCharges } from '../../fixtures/seed-charges';

/*
 * The cached text search (matching rowids of the current search kept in a TEMP table): every page walk and total
 * equals the uncached search and a brute-force reference, and a write to the charges is seen at once.
 */

let dir: string;
let db: Database.Database;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-text-'));
  db = openDatabase({ file: path.join(dir, 'app.sqlite'), migrations: appMigrations });
  seedCharges(db, { count: 20_000, days: 30, end: new Date('2026-11-23T15:00:00Z'), seed: 3 });
});

afterAll(() => {
  setTextHitCache(true);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function walk(f: ChargeListFilter): string[] {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const p = queryPage(db, f, { cursor, limit: 100 });
    ids.push(...p.items.map((r) => r.id));
    if (!p.nextCursor) return ids;
    cursor = p.nextCursor;
  }
}

function reference(word: RegExp, extra: (r: { status: string; till: string | null }) => boolean = () => true): string[] {
  const rows = db.prepare('SELECT id, status, till, payer_name, description, created_at FROM charges ORDER BY created_at DESC, id DESC').all() as {
    id: string; status: string; till: string | null; payer_name: string | null; description: string | null;
  }[];
  const strip = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
  return rows.filter((r) => word.test(strip(`${r.payer_name ?? ''} ${r.description ?? ''}`)) && extra(r)).map((r) => r.id);
}

describe('text search with the hit cache', () => {
  const cases: [string, ChargeListFilter, RegExp, ((r: { status: string; till: string | null }) => boolean)?][] = [
    ['common word', { q: 'maria' }, /\bmaria/i],
    ['common word + status + till', { q: 'silva', status: 'paid', till: 'Caixa 1' }, /\bsilva/i, (r) => r.status === 'paid' && r.till === 'Caixa 1'],
    ['rare word (few matches: fetched by rowid and sorted)', { q: 'queijo 43' }, /queijo 43/i],
    ['one letter (thousands of matches: list order walked)', { q: 'a' }, /(^|[^\p{L}])a/iu],
    ['two words', { q: 'ana souza' }, /\bana\b.*\bsouza|\bsouza.*\bana\b/i],
  ];
  for (const [name, f, word, extra] of cases) {
    it(`${name}: pages and totals equal the uncached search and the brute force`, () => {
      setTextHitCache(false);
      const plain = walk(f);
      const plainSum = querySummary(db, f);
      setTextHitCache(true);
      const cached = walk(f);
      expect(cached).toEqual(plain);
      expect(querySummary(db, f)).toEqual(plainSum);
      if (!f.q!.includes(' ') || name === 'rare word (few matches: fetched by rowid and sorted)') expect(cached).toEqual(reference(word, extra));
      expect(cached.length).toBe(plainSum.count);
    });
  }

  it('a common word walks the list order; a rare one is fetched by rowid', () => {
    setTextHitCache(true);
    // "a*" matches thousands here (Ana, Alves, Açaí…); "queijo 4377" a handful.
    expect(querySummary(db, { q: 'a' }).count).toBeGreaterThan(2000);
    const wide = explainPage(db, { q: 'a' });
    expect(wide).toMatch(/(SEARCH|SCAN) charges USING (COVERING )?INDEX charges_by_created_amt/);
    expect(wide).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    const rare = explainPage(db, { q: 'queijo 4377' });
    expect(rare).toMatch(/INTEGER PRIMARY KEY/);
  });

  it('a new or changed charge shows at once (the cache follows writes)', () => {
    setTextHitCache(true);
    const before = querySummary(db, { q: 'zuleica' }).count;
    expect(before).toBe(0);
    const id = (db.prepare('SELECT id FROM charges ORDER BY created_at DESC LIMIT 1').get() as { id: string }).id;
    db.prepare("UPDATE charges SET payer_name = 'Zuleica Prado' WHERE id = ?").run(id);
    expect(queryPage(db, { q: 'zuleica' }, { limit: 10 }).items.map((r) => r.id)).toEqual([id]);
    db.prepare("UPDATE charges SET payer_name = 'Outra Pessoa' WHERE id = ?").run(id);
    expect(queryPage(db, { q: 'zuleica' }, { limit: 10 }).items).toEqual([]);
  });
});
