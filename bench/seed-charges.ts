/**
 * `npm run seed:charges -- --profile DIR [--count 1000000] [--seed N] [--days 365]`: fill a profile with a year of
 * charges (see tests/fixtures/seed-charges.ts). The profile is created and migrated if needed; run it while the
 * app is closed.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../main/core/db';
import { appMigrations } from '../main/core/db/migrations';
import { profileFiles, resolveProfileDir } from '../main/core/profile';
import { seedCharges } from '../tests/fixtures/seed-charges';

function main(): number {
  const { values } = parseArgs({
    options: { profile: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' } },
  });
  const count = Number(values.count ?? 1_000_000);
  if (!Number.isInteger(count) || count < 1 || count > 20_000_000) {
    console.error('erro: --count deve ser um número inteiro de 1 a 20.000.000.');
    return 2;
  }
  const dir = resolveProfileDir(values.profile);
  const db = openDatabase({ file: path.join(dir, profileFiles.appDb), migrations: appMigrations });
  try {
    // Test data only: a crash mid-seed loses the seed, never real data (the profile is the caller's scratch profile).
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const r = seedCharges(db, { count, seed: values.seed ? Number(values.seed) : undefined, days: values.days ? Number(values.days) : undefined });
    db.pragma('optimize');
    if (values.json) console.log(JSON.stringify(r));
    else console.log(`${r.charges.toLocaleString('pt-BR')} cobranças, ${r.receivedPix.toLocaleString('pt-BR')} Pix recebidos, ${r.refunds} devoluções em ${r.seconds.toFixed(1)} s (${dir})`);
    return 0;
  } finally {
    db.close();
  }
}

process.exitCode = main();
