import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { FILE_FALLBACK_WARNING } from '../../../main/core/vault/node-providers';

/** `pixdesk vault status|protect` and unlocking with PIXDESK_PASSWORD, through the real CLI entry. */
function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}
const dirs: string[] = [];
const saved = { ...process.env };
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const k of ['PIXDESK_PASSWORD', 'PIXDESK_NEW_PASSWORD']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('pixdesk vault', () => {
  it('falls back to the key file with one warning, then moves the profile to the admin password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-vcli-'));
    dirs.push(dir);
    const first = io();
    expect(await runCli(['accounts', 'list', '--profile', dir], first.io)).toBe(0);
    expect(first.err).toEqual([FILE_FALLBACK_WARNING]);
    const again = io();
    expect(await runCli(['accounts', 'list', '--profile', dir], again.io)).toBe(0);
    expect(again.err).toEqual([]); // said once, when chosen

    process.env.PIXDESK_NEW_PASSWORD = 'frase longa do caixa';
    const p = io();
    expect(await runCli(['vault', 'protect', '--with', 'password', '--profile', dir], p.io)).toBe(0);
    expect(p.out.join('\n')).toMatch(/senha de administrador/);
    delete process.env.PIXDESK_NEW_PASSWORD;

    // No password available (no variable, no terminal): a clear refusal, exit 1.
    const locked = io();
    expect(await runCli(['accounts', 'list', '--profile', dir], locked.io)).toBe(1);
    expect(locked.err.join('\n')).toMatch(/senha de administrador.*PIXDESK_PASSWORD/);
    process.env.PIXDESK_PASSWORD = 'senha errada qualquer';
    const wrong = io();
    expect(await runCli(['accounts', 'list', '--profile', dir], wrong.io)).toBe(1);
    expect(wrong.err.join('\n')).toMatch(/Senha de administrador incorreta/);
    process.env.PIXDESK_PASSWORD = 'frase longa do caixa';
    const ok = io();
    expect(await runCli(['accounts', 'list', '--profile', dir], ok.io)).toBe(0);
    const status = io();
    expect(await runCli(['vault', 'status', '--profile', dir, '--json'], status.io)).toBe(0);
    expect(JSON.parse(status.out.join(''))).toMatchObject({ backend: { kind: 'password', backend: 'scrypt' }, keychainReachable: false });
    // Back to the key file needs the password (the current protection opens the key).
    expect(await runCli(['vault', 'protect', '--with', 'file', '--profile', dir], io().io)).toBe(0);
    delete process.env.PIXDESK_PASSWORD;
    expect(await runCli(['accounts', 'list', '--profile', dir], io().io)).toBe(0);
  });
});
