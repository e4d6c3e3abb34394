import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const skip = new Set(['auth:setup', 'auth:createUser']); // valid random names would create people and lock the rest out
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
