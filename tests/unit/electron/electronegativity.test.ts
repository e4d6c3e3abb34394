import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm run lint:electron` (scripts/electronegativity.mjs) is the CI gate for Doyensec's electronegativity. These
 * tests run it on a copy of the shell: as it is (passes, every finding explained) and broken on purpose (a window
 * without contextIsolation or sandbox, an unsafe CSP) — the gate must fail and name the new finding.
 */
const repo = path.resolve(__dirname, '..', '..', '..');
const script = path.join(repo, 'scripts', 'electronegativity.mjs');
const INPUTS = ['main/electron', 'preload', 'renderer/index.html', 'package.json'];
let dirs: string[] = [];

afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function copyOfShell(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-en-test-'));
  dirs.push(dir);
  for (const rel of INPUTS) fs.cpSync(path.join(repo, rel), path.join(dir, rel), { recursive: true });
  return dir;
}

function gate(root: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function edit(root: string, rel: string, from: string, to: string): void {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.replace(from, to));
}

describe('electronegativity gate', () => {
  it('passes on the shell as committed: every finding is explained, nothing unparsed', () => {
    const r = gate(copyOfShell());
    expect(r.out).toMatch(/0 novos, 0 erros de leitura/);
    expect(r.status).toBe(0);
  });

  it('fails on a window without contextIsolation and sandbox, naming both checks', () => {
    const root = copyOfShell();
    edit(root, 'main/electron/window.ts', 'contextIsolation: true,', 'contextIsolation: false,');
    edit(root, 'main/electron/window.ts', 'sandbox: true,', 'sandbox: false,');
    const r = gate(root);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/NOVO\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(r.out).toMatch(/NOVO\s+SANDBOX_JS_CHECK/);
  });

  it("fails on a CSP that allows inline scripts", () => {
    const root = copyOfShell();
    edit(root, 'renderer/index.html', "script-src 'self'", "script-src 'self' 'unsafe-inline'");
    const r = gate(root);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/NOVO\s+CSP_GLOBAL_CHECK/);
  });

  it('fails when an explained finding is gone (the list of explanations stays true)', () => {
    const root = copyOfShell();
    // Without the openExternal call the explanation for it no longer matches anything.
    edit(root, 'main/electron/safe-shell.ts', 'void shell.openExternal(url)', 'void Promise.resolve(url)');
    const r = gate(root);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/SUMIU\s+OPEN_EXTERNAL_JS_CHECK/);
  });
});
