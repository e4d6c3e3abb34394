import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { openSandboxState, writeTokenSheet } from '../../../main/core/sandbox';
import { openCore, tempProfile } from '../accounts/support';
import { FAST, coreWithAccount, rmProfile } from '../charges/support';
import { buildChildren, integrityOk, runChild, spread } from './kill-support';

/**
 * SIGKILL at many points of migration, charge creation and onboarding. After each kill: PRAGMA integrity_check
 * passes, everything the process had reported committed is there, and nothing is duplicated (one charge at the bank
 * per local charge, at most one account per Client ID). The number of kill points tried is printed.
 */
let childJs: string;
let migrateJs: string;
let cleanup = () => {};
const tried = { migration: 0, charges: 0, onboarding: 0 };

beforeAll(() => {
  const built = buildChildren(['kill-child', 'kill-migrate-child']);
  childJs = built.js['kill-child']!;
  migrateJs = built.js['kill-migrate-child']!;
  cleanup = built.cleanup;
});
afterAll(() => {
  cleanup();
  const total = tried.migration + tried.charges + tried.onboarding;
  console.log(`kill points tried: ${total} (migration ${tried.migration}, charge creation ${tried.charges}, onboarding ${tried.onboarding})`);
});

describe('kill points', () => {
  it('migration: killed inside the transaction after each step (plus a random spin), the schema is the old one or the new one, never half', async () => {
    const dir = tempProfile();
    const rnd = spread(7);
    try {
      for (let round = 0; round < 14; round++) {
        for (let step = 1; step <= appMigrations.length; step++) {
          // Half the rounds start from an empty file, half from the schema before the last two steps, with data.
          const file = path.join(dir, `m-${round}-${step}.sqlite`);
          const from = round % 2 === 0 ? 0 : appMigrations.length - 2;
          if (from > 0) {
            const db = new Database(file);
            db.pragma('journal_mode = WAL');
            migrate(db, appMigrations, from);
            db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('tillName', '\"Caixa 7\"', 'x')").run();
            db.close();
          }
          const r = await runChild(migrateJs, [file, String(step), String(Math.floor(rnd() * 3000))]);
          tried.migration++;
          integrityOk(file);
          const db = new Database(file);
          const v = schemaVersion(db);
          if (step > from) {
            expect(r.signal, r.out).toBe('SIGKILL');
            expect(v).toBe(from); // the transaction died with the process: nothing of it stayed
          } else {
            expect(r.out).toContain('migrated');
            expect(v).toBe(appMigrations.length);
          }
          if (from > 0) expect(db.prepare("SELECT value FROM settings WHERE key = 'tillName'").get()).toEqual({ value: '"Caixa 7"' });
          migrate(db, appMigrations); // the next start finishes it
          expect(schemaVersion(db)).toBe(appMigrations.length);
          db.close();
          fs.rmSync(file, { force: true });
          for (const ext of ['-wal', '-shm']) fs.rmSync(file + ext, { force: true });
        }
      }
    } finally {
      rmProfile(dir);
    }
  }, 60_000);

  it('charge creation: killed at random instants while creating charges in a loop; nothing committed lost, one charge at the bank per local charge', async () => {
    const setup = await coreWithAccount();
    const { profileDir, account } = setup;
    await setup.core.close();
    const rnd = spread(11);
    const committed = new Set<string>();
    try {
      for (let round = 0; round < 18; round++) {
        // Every sixth round arms the kill on the first committed charge, not on start-up: on a loaded machine the
        // first charge can take longer than any delay from "ready", and the rounds must still cover committed ones.
        const r = await runChild(childJs, ['charges', profileDir], Math.floor(rnd() * 300), round % 6 === 5 ? 'committed' : 'ready');
        tried.charges++;
        expect(r.signal, r.out).toBe('SIGKILL');
        for (const m of r.out.matchAll(/committed (\S+)/g)) committed.add(m[1]!);
        integrityOk(path.join(profileDir, 'pixdesk.sqlite'));
      }
      const core = openCore(profileDir, { charges: FAST });
      try {
        await core.charges.charges.recoverPending();
        const rows = core.db.prepare('SELECT id, txid, status, kind FROM charges').all() as { id: string; txid: string; status: string; kind: string }[];
        const ids = new Set(rows.map((x) => x.id));
        for (const id of committed) expect(ids.has(id), `committed charge ${id} lost`).toBe(true);
        expect(new Set(rows.map((x) => x.txid)).size).toBe(rows.length);
        expect(rows.filter((x) => x.status === 'creating')).toEqual([]);
        const atBank = (await core.sandbox.stats()).charges[account.clientId] ?? 0;
        const live = rows.filter((x) => x.kind === 'dynamic' && x.status !== 'failed').length;
        expect(atBank).toBe(live);
        expect(committed.size).toBeGreaterThan(0);
      } finally {
        await core.close();
      }
    } finally {
      rmProfile(profileDir);
    }
  }, 90_000);

  it('onboarding: killed at random instants of the exchange; resuming completes it or asks for a new token, never two accounts', async () => {
    const profileDir = tempProfile();
    const rnd = spread(5);
    try {
      for (let round = 0; round < 6; round++) {
        const st = openSandboxState(profileDir);
        const issued = st.issueToken({});
        st.close();
        const sheet = path.join(profileDir, `token-${round}.xlsx`);
        writeTokenSheet(sheet, issued);
        const r = await runChild(childJs, ['onboarding', profileDir, sheet], Math.floor(rnd() * 900));
        fs.rmSync(sheet, { force: true });
        tried.onboarding++;
        integrityOk(path.join(profileDir, 'pixdesk.sqlite'));
        const session = /ready (\S+)/.exec(r.out)?.[1];
        const core = openCore(profileDir);
        try {
          if (session && !r.out.includes('finished')) {
            await core.onboarding.run(session).catch((e: { code?: string }) => expect(e.code, JSON.stringify(e)).toMatch(/TOKEN|ONBOARDING|STS/));
          }
          const n = core.db.prepare('SELECT count(*) AS n FROM accounts WHERE client_id = ?').get(issued.clientId) as { n: number };
          expect(n.n).toBeLessThanOrEqual(1);
        } finally {
          await core.close();
        }
      }
    } finally {
      rmProfile(profileDir);
    }
  }, 90_000);
});
