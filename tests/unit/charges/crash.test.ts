import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../accounts/support';
import { FAST, coreWithAccount, rmProfile } from './support';

/**
 * A process killed (SIGKILL) between storing a charge and applying the bank's answer loses nothing: the next start
 * finishes the charge with the same txid (one charge at the bank) or explains why it could not.
 */
const root = path.resolve(__dirname, '..', '..', '..');
let childJs: string;

beforeAll(() => {
  childJs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-charge-crash-')), 'crash-child.cjs');
  buildSync({ entryPoints: [path.join(__dirname, 'crash-child.ts')], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: childJs, absWorkingDir: root, logLevel: 'error' });
});
afterAll(() => fs.rmSync(path.dirname(childJs), { recursive: true, force: true }));

function runChild(profileDir: string, killAt: string, expiresIn?: number): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const args = [childJs, profileDir, killAt, ...(expiresIn ? [String(expiresIn)] : [])];
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (_code, signal) => resolve({ signal, out }));
  });
}

const CASES = [
  { killAt: 'stored', later: 0, outcome: 'active', atBankBefore: 0 },
  { killAt: 'answered', later: 0, outcome: 'active', atBankBefore: 1 },
  { killAt: 'stored', later: 2 * 3600_000, outcome: 'failed', atBankBefore: 0 },
] as const;

describe('a charge survives SIGKILL between store and answer', () => {
  for (const c of CASES) {
    it(`killed after "${c.killAt}"${c.later ? ', restarted after it would have expired' : ''} → ${c.outcome}`, async () => {
      const setup = await coreWithAccount();
      const { profileDir, account } = setup;
      await setup.core.close();
      try {
        const r = await runChild(profileDir, c.killAt, 60);
        expect(r.signal, r.out).toBe('SIGKILL');
        expect(r.out).not.toContain('finished');

        const core = openCore(profileDir, { charges: FAST, now: () => new Date(Date.now() + c.later) });
        try {
          const [row] = core.charges.store.inStates(['creating']);
          expect(row?.description).toBe('interrompida');
          expect((await core.sandbox.stats()).charges[account.clientId] ?? 0).toBe(c.atBankBefore);
          await core.charges.charges.recoverPending();
          const v = core.charges.charges.view(row!.id);
          expect(v.status).toBe(c.outcome);
          if (c.outcome === 'active') {
            expect(v.brCode).toMatch(/^000201/);
            expect((await core.sandbox.stats()).charges[account.clientId]).toBe(1);
            const cob = await core.charges.client(account.id).getCob(row!.txid);
            expect(cob.valor.original).toBe('33.33');
          } else {
            expect(v.error?.message).toMatch(/nada foi cobrado/);
            expect((await core.sandbox.stats()).charges[account.clientId] ?? 0).toBe(0);
          }
        } finally {
          await core.close();
        }
      } finally {
        rmProfile(profileDir);
      }
    });
  }
});
