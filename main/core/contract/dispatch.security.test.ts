import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../app';
import { writeTokenSheet } from '../sandbox';
import { FileKeyProvider } from '../vault';
import { createDispatcher, type Dispatch } from './dispatch';
import { OPS } from './ops';

/**
 * Every operation of the contract called with hostile input, on a profile that holds a real onboarded account:
 * nothing throws past the dispatcher, malformed input never reaches a handler, and no answer — success or
 * error — ever carries a secret (temporary token, client secret, private key, access token).
 */
let core: Core;
let dispatch: Dispatch;
let profileDir: string;
const secrets: string[] = [];

beforeAll(async () => {
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-sec-'));
  core = new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId: 'sec' }), shell: 'browser' });
  dispatch = createDispatcher(core.handlers());
  const sb = await core.sandbox.get();
  const issued = sb.state.issueToken({});
  const file = path.join(profileDir, 't.xlsx');
  writeTokenSheet(file, issued);
  const s = core.onboarding.importFile(fs.readFileSync(file), 't.xlsx');
  const done = await core.onboarding.run(s.id, { name: 'Conta', company: 'Empresa', city: 'Recife', state: 'PE', environment: 'sandbox' });
  const creds = core.accounts.credentials(done.accountId!);
  const accessToken = await core.tokens.get(done.accountId!);
  secrets.push(issued.token, creds.clientSecret, creds.keyPem.split('\n')[3]!, accessToken);
});

afterAll(async () => {
  await core.close();
  fs.rmSync(profileDir, { recursive: true, force: true });
});

const HOSTILE: unknown[] = [
  null,
  'texto',
  42,
  [],
  [{ id: 'x' }],
  { id: '../../etc/passwd' },
  { id: "' OR 1=1 --" },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  { id: '00000000-0000-4000-8000-000000000000', name: 'x'.repeat(100_000) },
  { fileName: 'a.xlsx', dataBase64: '!!!não é base64!!!' },
  { payload: '\u0000'.repeat(600) },
  { clientId: 'x', token: 'y', extra: 1 },
];

function assertNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const s of secrets) expect(text.includes(s), 'a secret leaked into a contract answer').toBe(false);
}

describe('contract under hostile input', () => {
  for (const op of OPS) {
    it(`${op} validates what it is given and never answers with a secret`, async () => {
      for (const input of HOSTILE) {
        const r = await dispatch(op, input);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(r.error.message.length).toBeGreaterThan(0);
          expect(r.error.message).not.toMatch(/\bat .*\.(ts|js):\d+/); // never a stack
        }
        assertNoSecret(r);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('the normal answers are secret-free too', async () => {
    for (const op of ['app:info', 'accounts:list', 'onboarding:listOpen', 'settings:get'] as const) {
      const r = await dispatch(op, {});
      expect(r.ok).toBe(true);
      assertNoSecret(r);
    }
  });

  it('refuses operation names that are not in the contract', async () => {
    for (const op of ['__proto__', 'constructor', 'accounts:export', 'vault:dump', '', 7]) {
      expect(await dispatch(op, {})).toEqual({ ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } });
    }
  });
});
