import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ChargeExporter } from '../main/core/charges/export/export-service';
import { queryPage, setTextHitCache } from '../main/core/charges/list-query';
import type { ChargeListFilter } from '../main/core/contract/types';
import { openDatabase } from '../main/core/db';
import { appMigrations } from '../main/core/db/migrations';
import { EventBus } from '../main/core/events';
import { seedCharges } from '../tests/fixtures/seed-charges';
import { durations, quantile, type BenchResult, type BenchSuite } from './harness';

/*
 * The Cobranças list at 1,000,000 charges (seeded with tests/fixtures/seed-charges.ts into a temp profile):
 * - seeding time;
 * - a filtered page (100 rows, a random keyset position) p95 over several filters; baseline, same run, same data:
 *   the same queries with the list indexes of 0005/0007 dropped inside a transaction that is rolled back;
 * - exporting all 1,000,000 rows to CSV and to XLSX (time, peak RSS).
 */

const COUNT = Number(process.env.PIXDESK_BENCH_CHARGES ?? 1_000_000);

function filters(accountId: string): ChargeListFilter[] {
  return [
    {}, { status: 'paid' }, { status: 'cancelled' }, { accountId }, { till: 'Caixa 3' }, { status: 'expired', till: 'Delivery' },
    { accountId, till: 'Caixa 1', status: 'paid' }, { from: '2026-03-01', to: '2026-03-31' }, { minCents: 10_000, maxCents: 20_000 },
    { minCents: 100_000, status: 'paid' },
  ];
}

async function pageP95(db: Database.Database, fs_: ChargeListFilter[], cursors: (string | undefined)[]): Promise<number> {
  const ts = await durations((i) => queryPage(db, fs_[i % fs_.length]!, { cursor: cursors[i % cursors.length], limit: 100 }), 200, 20);
  return quantile(ts, 0.95);
}

/**
 * Pages of a text search as the screen reads them: the first page, then 30 pages following each one's cursor, for a
 * common word and a common word with a status. Per-page times (every page, the first included).
 */
function textPages(db: Database.Database): number[] {
  const out: number[] = [];
  for (const f of [{ q: 'maria' }, { q: 'silva', status: 'paid' as const }, { q: 'pedido' }]) {
    for (let rep = 0; rep < 3; rep++) {
      let cursor: string | undefined;
      for (let k = 0; k < 30; k++) {
        const t = process.hrtime.bigint();
        const p = queryPage(db, f, { cursor, limit: 100 });
        out.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
    }
  }
  return out;
}

async function peakRss(fn: () => Promise<unknown>): Promise<{ secs: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t = process.hrtime.bigint();
  await fn();
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  clearInterval(timer);
  return { secs, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
}

export const chargesListSuite: BenchSuite = {
  name: 'charges-list',
  async run(): Promise<BenchResult[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-list-'));
    const file = path.join(dir, 'pixdesk.sqlite');
    try {
      const db = openDatabase({ file, migrations: appMigrations });
      db.pragma('synchronous = OFF');
      const seeded = seedCharges(db, { count: COUNT, end: new Date('2026-11-23T18:00:00Z') });
      console.log(`seeded ${COUNT} charges in ${seeded.seconds.toFixed(1)} s`);
      const acc = seeded.accounts[1] ?? seeded.accounts[0]!;
      const fl = filters(acc);
      // Random keyset positions: cursors of rows spread over the year.
      const cursors: (string | undefined)[] = [undefined];
      for (let k = 1; k < 8; k++) {
        const r = db.prepare('SELECT created_at, id FROM charges ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?').get(Math.floor((COUNT * k) / 9)) as { created_at: string; id: string };
        cursors.push(Buffer.from(JSON.stringify([r.created_at, r.id])).toString('base64url'));
      }
      const indexed = await pageP95(db, fl, cursors);
      setTextHitCache(false);
      const textBare = quantile(textPages(db), 0.95);
      setTextHitCache(true);
      const textCached = quantile(textPages(db), 0.95);
      console.log(`text pages p95: ${textCached.toFixed(2)} ms with the hit cache, ${textBare.toFixed(2)} ms re-running the FTS match per page`);
      db.exec('BEGIN');
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'charges' AND name LIKE 'charges_by_%' AND name NOT IN ('charges_by_e2eid', 'charges_by_amount')").all() as { name: string }[];
      for (const n of names) db.exec(`DROP INDEX "${n.name}"`);
      const bare = await pageP95(db, fl, cursors);
      db.exec('ROLLBACK');
      db.close();

      const exporter = new ChargeExporter({ openReader: () => new Database(file, { readonly: true }), events: new EventBus(), dir });
      const csv = await peakRss(() => exporter.writeFile({}, 'csv', path.join(dir, 'all.csv')));
      const xlsx = await peakRss(() => exporter.writeFile({}, 'xlsx', path.join(dir, 'all.xlsx')));
      console.log(`csv ${csv.secs.toFixed(1)} s peak ${csv.peakMb.toFixed(0)} MB; xlsx ${xlsx.secs.toFixed(1)} s peak ${xlsx.peakMb.toFixed(0)} MB; xlsx ${(fs.statSync(path.join(dir, 'all.xlsx')).size / 2 ** 20).toFixed(0)} MB`);
      return [
        { name: `charges list: filtered page p95 (${COUNT} rows)`, value: indexed, unit: 'ms', baseline: 'same queries without the list indexes (dropped in a rolled-back transaction)', baselineValue: bare, ratio: bare / indexed },
        { name: `charges list: text search page p95 (common words, 30 pages each, ${COUNT} rows)`, value: textCached, unit: 'ms', baseline: 'same pages re-running the FTS match per page (no hit cache)', baselineValue: textBare, ratio: textBare / textCached },
        { name: `charges seed ${COUNT} rows`, value: seeded.seconds, unit: 's', baseline: 'goal: under 60 s', baselineValue: 60, ratio: 60 / seeded.seconds },
        { name: `charges export CSV ${COUNT} rows`, value: csv.secs, unit: 's', baseline: `peak RSS MB (value of this run): ${csv.peakMb.toFixed(0)}`, baselineValue: csv.peakMb, ratio: 1 },
        { name: `charges export XLSX ${COUNT} rows`, value: xlsx.secs, unit: 's', baseline: `peak RSS MB (value of this run): ${xlsx.peakMb.toFixed(0)}`, baselineValue: xlsx.peakMb, ratio: 1 },
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
