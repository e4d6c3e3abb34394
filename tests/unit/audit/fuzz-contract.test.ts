import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthSession } from '../../../main/core/auth';
import type { Core } from '../../../main/core/app';
import { OPS } from '../../../main/core/contract';
import type { Dispatch } from '../../../main/core/contract/dispatch';
import { coreWithAccount, rmProfile } from '../charges/support';

/**
 * Hostile input, bounded: every operation of the contract with random payloads (mostly invalid: any JSON-ish value,
 * or an object with random keys and values). Nothing crashes (no INTERNAL), every refusal is a pt-BR message, and
 * no answer carries a secret of the profile or any JWT. Seeded, so a failure replays.
 */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./;
const ENGLISH = /\b(Expected|Invalid input|Required|must be|is not|null pointer|TypeError|at \S+\.ts)\b/;
let core: Core;
let profileDir: string;
let dispatch: Dispatch;
let secrets: string[];

beforeAll(async () => {
  const r = await coreWithAccount();
  core = r.core;
  profileDir = r.profileDir;
  dispatch = core.dispatcher();
  const creds = core.accounts.credentials(r.account.id);
  secrets = [creds.clientSecret, creds.keyPem.replace(/-----[^-]+-----|\s+/g, '').slice(40, 100)];
}, 30_000);
afterAll(async () => {
  await core.close();
  rmProfile(profileDir);
});

const payload = fc.oneof(
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
  fc.dictionary(fc.constantFrom('id', 'amountCents', 'name', 'password', 'key', 'payload', 'limit', 'cursor', 'beforeSeq', 'form', 'fileName', 'dataBase64', 'token', 'clientId', 'stsUrl', 'role'), fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uuid()), { maxKeys: 4 }),
);

describe('every operation against random payloads', () => {
  it('answers a Result with a pt-BR error, never INTERNAL, never a secret', async () => {
    let calls = 0;
    // Fuzzed on their own below: valid random names would create people, and every other call would need a login.
    const skip = new Set(['auth:setup', 'auth:createUser']);
    for (const op of OPS.filter((o) => !skip.has(o))) {
      await fc.assert(
        fc.asyncProperty(payload, async (input) => {
          calls++;
          const r = await dispatch(op, input);
          const text = JSON.stringify(r);
          for (const s of secrets) expect(text.includes(s), `${op}: a secret in the answer`).toBe(false);
          expect(JWT.test(text), `${op}: a JWT in the answer`).toBe(false);
          if (!r.ok) {
            expect(r.error.code, `${op} ${JSON.stringify(input)?.slice(0, 200)} → ${r.error.message}`).not.toBe('INTERNAL');
            expect(r.error.message.length).toBeGreaterThan(5);
            expect(r.error.message, `${op}: ${r.error.message}`).not.toMatch(ENGLISH);
          }
        }),
        { numRuns: 40, seed: 1414 },
      );
    }
    console.log(`fuzzed contract calls: ${calls}`);
    expect(calls).toBeGreaterThanOrEqual((OPS.length - skip.size) * 40);
  }, 120_000);
});

describe('the two operations that create people, against random payloads', () => {
  const PASSWORD = 'senha do fuzz 123';
  const credentials = fc.oneof(
    payload,
    fc.record({ name: fc.string({ maxLength: 80 }), password: fc.string({ maxLength: 300 }) }),
    fc.record({ name: fc.string({ maxLength: 80 }), password: fc.string({ maxLength: 80 }), role: fc.oneof(fc.constantFrom('admin', 'finance', 'cashier'), fc.string({ maxLength: 12 })) }),
  );
  const check = (op: string, input: unknown, r: Awaited<ReturnType<Dispatch>>, passwords: string[]): void => {
    const text = JSON.stringify(r);
    for (const p of passwords) if (p.length >= 8) expect(text.includes(p), `${op}: the password in the answer`).toBe(false);
    expect(text, `${op}: a password hash in the answer`).not.toMatch(/scrypt\$/);
    if (!r.ok) {
      expect(r.error.code, `${op} ${JSON.stringify(input)?.slice(0, 200)} → ${r.error.message}`).not.toBe('INTERNAL');
      expect(r.error.message.length).toBeGreaterThan(5);
      expect(r.error.message, `${op}: ${r.error.message}`).not.toMatch(ENGLISH);
    }
  };

  it('auth:setup on a fresh profile (at most one admin is ever created) and auth:createUser by a confirmed admin', async () => {
    const r = await coreWithAccount({ shell: 'browser', loginScrypt: { N: 2 ** 10, r: 8, p: 1 } });
    try {
      const d = r.core.dispatcher();
      let created = 0;
      const admin = new AuthSession(Date.now());
      let adminPassword = PASSWORD;
      await fc.assert(
        fc.asyncProperty(credentials, async (input) => {
          const session = new AuthSession(Date.now());
          const res = await d('auth:setup', input, { session });
          if (res.ok) {
            // The fuzz made the first admin: its page and password carry on in the second half.
            created++;
            admin.logIn(session.user!, Date.now());
            adminPassword = (input as { password: string }).password;
          }
          const pw = (input as { password?: unknown } | null)?.password;
          check('auth:setup', input, res, typeof pw === 'string' ? [pw] : []);
        }),
        { numRuns: 80, seed: 1415 },
      );
      expect(created).toBeLessThanOrEqual(1);
      // Once an admin exists, setup is refused to everyone.
      const again = await d('auth:setup', { name: 'Admin Fuzz', password: PASSWORD }, { session: created ? new AuthSession(Date.now()) : admin });
      if (created) expect(again).toMatchObject({ ok: false, error: { code: 'AUTH_SETUP_DONE' } });
      else expect(again).toMatchObject({ ok: true });
      expect((await d('auth:setup', { name: 'Outra Pessoa', password: PASSWORD }, { session: new AuthSession(Date.now()) }))).toMatchObject({ ok: false, error: { code: 'AUTH_SETUP_DONE' } });
      let users = 0;
      await fc.assert(
        fc.asyncProperty(credentials, async (input) => {
          expect(await d('auth:confirm', { password: adminPassword }, { session: admin })).toMatchObject({ ok: true });
          const res = await d('auth:createUser', input, { session: admin });
          if (res.ok) users++;
          const pw = (input as { password?: unknown } | null)?.password;
          check('auth:createUser', input, res, typeof pw === 'string' ? [pw] : []);
        }),
        { numRuns: 80, seed: 1416 },
      );
      const rows = r.core.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number };
      expect(rows.n).toBe(1 + users);
      console.log(`fuzzed people calls: 160, people created: ${1 + users}`);
    } finally {
      await r.core.close();
      rmProfile(r.profileDir);
    }
  }, 120_000);
});
