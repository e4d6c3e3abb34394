import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../main/core/app';
import { openDatabase } from '../main/core/db';
import { appMigrations } from '../main/core/db/migrations';
import { FileKeyProvider } from '../main/core/vault';
import { seedCharges } from '../tests/fixtures/seed-charges';
import { profileWithAccount } from './charges.bench';
import type { BenchResult, BenchSuite } from './harness';

/*
 * Encrypted backup and restore (core/backup) of a profile with 200,000 charges (PIXDESK_BENCH_BACKUP_CHARGES), at
 * the product's scrypt cost (N = 2^17).
 * - create: snapshot on its own connection, JSON lines, AES-256-GCM frames; baseline, same run: SQLite's own
 *   `VACUUM INTO` of the whole database (a plain, unencrypted copy, secrets included: what a naive backup would be).
 * - restore into a new profile on "another machine" (another vault key): file checked in full, then written in one
 *   transaction, derived tables rebuilt once; baseline, same run: the same three history tables copied with
 *   `INSERT INTO … SELECT` from the plain copy into a fresh profile database (no decryption, no checks, triggers on).
 */

const COUNT = Number(process.env.PIXDESK_BENCH_BACKUP_CHARGES ?? 200_000);
const PASSPHRASE = 'frase longa do backup de bench';

function secs(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export const backupSuite: BenchSuite = {
  name: 'backup',
  async run(): Promise<BenchResult[]> {
    const { core, dir } = await profileWithAccount();
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-bk-'));
    try {
      seedCharges(core.db, { count: COUNT, seed: 11 });
      const file = path.join(dir, 'bench.pixdesk-backup');
      let t = process.hrtime.bigint();
      await core.backups.create(file, PASSPHRASE, 'shell:bench');
      const create = secs(t);
      const plain = path.join(dir, 'plain-copy.db');
      t = process.hrtime.bigint();
      core.db.exec(`VACUUM INTO '${plain.replace(/'/g, "''")}'`);
      const vacuum = secs(t);
      console.log(`backup file ${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB, plain copy ${(fs.statSync(plain).size / 2 ** 20).toFixed(1)} MiB`);

      const restored = new Core({ profileDir: target, keyProvider: new FileKeyProvider({ profileDir: target, machineId: 'bench-other-machine' }), shell: 'cli' });
      t = process.hrtime.bigint();
      const r = await restored.backups.restore(file, PASSPHRASE, 'shell:bench');
      const restore = secs(t);
      if ((r.restored.charges ?? 0) !== COUNT) throw new Error(`restore wrote ${r.restored.charges} charges, expected ${COUNT}`);
      await restored.close();

      const naiveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-bk-naive-'));
      try {
        const db = openDatabase({ file: path.join(naiveDir, 'pixdesk.sqlite'), migrations: appMigrations });
        db.pragma('foreign_keys = OFF');
        t = process.hrtime.bigint();
        db.exec(`ATTACH '${plain.replace(/'/g, "''")}' AS src`);
        db.transaction(() => {
          for (const table of ['charges', 'received_pix', 'refunds']) db.exec(`INSERT INTO main.${table} SELECT * FROM src.${table}`);
        })();
        const naive = secs(t);
        db.close();
        return [
          { name: `backup create (${COUNT.toLocaleString('en-US')} charges, encrypted)`, value: create, unit: 's', baseline: 'VACUUM INTO (plain copy, secrets included)', baselineValue: vacuum, ratio: vacuum / create },
          { name: `backup restore (${COUNT.toLocaleString('en-US')} charges, checked, one transaction)`, value: restore, unit: 's', baseline: 'INSERT … SELECT from the plain copy', baselineValue: naive, ratio: naive / restore },
        ];
      } finally {
        fs.rmSync(naiveDir, { recursive: true, force: true });
      }
    } finally {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(target, { recursive: true, force: true });
    }
  },
};
