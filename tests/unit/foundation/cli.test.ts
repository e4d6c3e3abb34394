import { describe, expect, it } from 'vitest';
import { commands, runCli } from '../../../main/cli/index';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe('pixdesk CLI shell', () => {
  it('lists in --help exactly the commands that exist, each answering its own --help', async () => {
    const c = io();
    expect(await runCli(['--help'], c.io)).toBe(0);
    const listed = c.out
      .join('\n')
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim().split(/ {2,}/)[0]);
    expect(listed).toEqual(commands.map((cmd) => cmd.path));
    for (const cmd of ['brcode encode', 'brcode decode', 'qr', 'excel inspect', 'sandbox serve', 'accounts add', 'accounts list']) {
      expect(listed).toContain(cmd);
    }
    for (const path of listed) {
      const h = io();
      expect(await runCli([...path!.split(' '), '--help'], h.io)).toBe(0);
      expect(h.out.join('\n')).toMatch(/^Uso: pixdesk /);
    }
  });

  it('has no placeholder commands that only say "not available"', () => {
    expect(commands.map((cmd) => cmd.summary).join('\n')).not.toMatch(/não está disponível/);
  });

  it('rejects an unknown command with one stderr line and exit 2', async () => {
    const c = io();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(/Comando desconhecido/);
  });
});
