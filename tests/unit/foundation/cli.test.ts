import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe('pixdesk CLI shell', () => {
  it('prints every command of DESIGN.md in --help', async () => {
    const c = io();
    expect(await runCli(['--help'], c.io)).toBe(0);
    const text = c.out.join('\n');
    for (const cmd of ['brcode encode', 'brcode decode', 'qr', 'excel inspect', 'sandbox serve', 'accounts add', 'accounts list', 'charges create', 'apps create']) {
      expect(text).toContain(cmd);
    }
  });

  it('rejects an unknown command with one stderr line and exit 2', async () => {
    const c = io();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/Comando desconhecido/);
  });
});
