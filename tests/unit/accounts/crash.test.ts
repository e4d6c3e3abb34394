import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandboxState, writeTokenSheet } from '../../../main/core/sandbox';
import { openCore, tempProfile } from './support';

/**
 * A process killed (SIGKILL) at each step of the exchange loses nothing: after a restart the session says
 * where it stopped and resuming either completes the onboarding or explains that a new token is needed.
 */
const root = path.resolve(__dirname, '..', '..', '..');
let childJs: string;

beforeAll(() => {
  childJs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-crash-')), 'crash-child.cjs');
  buildSync({ entryPoints: [path.join(__dirname, 'crash-child.ts')], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: childJs, absWorkingDir: root, logLevel: 'error' });
});
afterAll(() => fs.rmSync(path.dirname(childJs), { recursive: true, force: true }));

function runChild(profileDir: string, sheet: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childJs, profileDir, sheet, killAt], { cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (_code, signal) => resolve({ signal, out }));
  });
}

async function issueSheet(profileDir: string): Promise<string> {
  const st = openSandboxState(profileDir);
  const issued = st.issueToken({});
  st.close();
  const file = path.join(profileDir, 'token.xlsx');
  writeTokenSheet(file, issued);
  return file;
}

const CASES: { killAt: string; stoppedAt: string; outcome: 'done' | 'new-token' }[] = [
  { killAt: 'prepared', stoppedAt: 'prepared', outcome: 'done' },
  { killAt: 'requesting', stoppedAt: 'requesting', outcome: 'done' },
  // The bank answered (and consumed the single-use token) but the answer died with the process.
  { killAt: 'response-received', stoppedAt: 'requesting', outcome: 'new-token' },
  { killAt: 'response_stored', stoppedAt: 'response_stored', outcome: 'done' },
  { killAt: 'account_created', stoppedAt: 'account_created', outcome: 'done' },
];

describe('onboarding survives SIGKILL at every step', () => {
  for (const c of CASES) {
    it(`killed after "${c.killAt}": resumes from "${c.stoppedAt}" → ${c.outcome}`, async () => {
      const profileDir = tempProfile();
      try {
        const sheet = await issueSheet(profileDir);
        const r = await runChild(profileDir, sheet, c.killAt);
        expect(r.signal, r.out).toBe('SIGKILL');
        expect(r.out).not.toContain('finished');

        const core = openCore(profileDir);
        try {
          const [s] = core.onboarding.listOpen();
          expect(s?.step).toBe(c.stoppedAt);
          expect(s?.resumeHint).toBeTruthy();
          if (c.outcome === 'done') {
            const done = await core.onboarding.run(s!.id);
            expect(done.step).toBe('done');
            expect(core.accounts.list()).toHaveLength(1);
            // The stored certificate opens with the stored key (nothing lost or mixed up).
            const creds = core.accounts.credentials(done.accountId!);
            expect(creds.certificate.commonName).toBe(s!.clientId);
          } else {
            await expect(core.onboarding.run(s!.id)).rejects.toMatchObject({ code: 'TOKEN_CONSUMED' });
            const v = core.onboarding.get(s!.id);
            expect(v.step).toBe('failed');
            expect(v.error?.message).toMatch(/peça ao gerente Itaú um novo token/);
            expect(core.accounts.list()).toHaveLength(0);
          }
        } finally {
          await core.close();
        }
      } finally {
        fs.rmSync(profileDir, { recursive: true, force: true });
      }
    });
  }
});
