import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { openSandboxState, writeTokenSheet } from '../../../main/core/sandbox';
import { tempProfile } from './support';

/** A killed `pixdesk accounts add` is finished by `pixdesk onboarding resume ID` from the stored session. */
const root = path.resolve(__dirname, '..', '..', '..');
let childJs: string;
beforeAll(() => {
  childJs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-clicrash-')), 'cli-crash-child.cjs');
  buildSync({ entryPoints: [path.join(__dirname, 'cli-crash-child.ts')], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: childJs, absWorkingDir: root, logLevel: 'error' });
});
afterAll(() => fs.rmSync(path.dirname(childJs), { recursive: true, force: true }));

function killedAdd(killAt: string, args: string[]): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childJs, killAt, 'accounts', 'add', ...args], { cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (_c, signal) => resolve({ signal, out }));
  });
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pixdesk onboarding resume', () => {
  for (const killAt of ['requesting', 'response_stored']) {
    it(`finishes an accounts add killed after "${killAt}"`, async () => {
      const profile = tempProfile();
      try {
        const st = openSandboxState(profile);
        const issued = st.issueToken({});
        st.close();
        const sheet = path.join(profile, 'Credencial e Token.xlsx');
        writeTokenSheet(sheet, issued);
        const r = await killedAdd(killAt, ['--excel', sheet, '--company', 'Padaria São João', '--city', 'Maceió', '--state', 'AL', '--env', 'sandbox', '--profile', profile]);
        expect(r.signal, r.out).toBe('SIGKILL');
        expect(r.out).not.toContain('finished');

        const list = await cli('onboarding', 'list', '--profile', profile, '--json');
        expect(list.code).toBe(0);
        const [s] = JSON.parse(list.out) as { id: string; step: string; clientId: string }[];
        expect(s).toMatchObject({ step: killAt, clientId: issued.clientId });
        const text = await cli('onboarding', 'list', '--profile', profile);
        expect(text.out).toContain(s!.id);

        const resumed = await cli('onboarding', 'resume', s!.id, '--profile', profile, '--json');
        expect(resumed.err).toBe('');
        expect(resumed.code).toBe(0);
        expect(JSON.parse(resumed.out)).toMatchObject({ clientId: issued.clientId, company: 'Padaria São João', city: 'Maceió', state: 'AL', environment: 'sandbox' });
        const after = await cli('onboarding', 'list', '--profile', profile, '--json');
        expect(JSON.parse(after.out)).toEqual([]);
        const again = await cli('onboarding', 'resume', s!.id, '--profile', profile);
        expect(again.code).toBe(0); // resuming a finished onboarding is a no-op that shows the account
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
    });
  }

  it('explains an unknown id and a session that has nothing to resume', async () => {
    const profile = tempProfile();
    try {
      const r = await cli('onboarding', 'resume', '00000000-0000-4000-8000-000000000000', '--profile', profile);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/Onboarding não encontrado/);
      const usage = await cli('onboarding', 'resume', '--profile', profile);
      expect(usage.code).toBe(2);
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
