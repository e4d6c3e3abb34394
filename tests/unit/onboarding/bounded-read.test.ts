import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoundedFile } from '../../../main/cli/bounded-read';

/**
 * Files named on the command line are read bounded in size and time. The CLI runs in a child process with a
 * deadline, so a regression (reading /dev/zero forever, blocking on a FIFO) fails the test instead of hanging it.
 */
const root = path.resolve(__dirname, '..', '..', '..');
let dir: string;
let cli: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bounded-'));
  cli = path.join(dir, 'cli.cjs');
  buildSync({ entryPoints: [path.join(root, 'main/cli.ts')], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: cli, absWorkingDir: root, logLevel: 'error' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 15_000, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), PIXDESK_KEYCHAIN: 'off' } });
  return { code: r.status, signal: r.signal, err: r.stderr, ms: Date.now() - started };
}

function fifo(name: string): string {
  const p = path.join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
}

describe.skipIf(process.platform === 'win32')('bounded CLI reads', () => {
  it('excel inspect /dev/zero is refused at once instead of growing to gigabytes', () => {
    const r = run('excel', 'inspect', '/dev/zero');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/não é um arquivo comum/);
  });

  it('excel inspect on a FIFO with no writer is refused at once instead of hanging', () => {
    const r = run('excel', 'inspect', fifo('planilha.xlsx'));
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/não é um arquivo comum.*pipe/);
  });

  it('accounts add refuses a device as --excel and a FIFO as --ca-file before touching the profile', () => {
    const profile = path.join(dir, 'perfil');
    const base = ['accounts', 'add', '--company', 'Empresa', '--city', 'Recife', '--state', 'PE', '--profile', profile];
    const a = run(...base, '--excel', '/dev/zero');
    expect([a.signal, a.code]).toEqual([null, 1]);
    expect(a.err).toMatch(/não é um arquivo comum/);
    const b = run(...base, '--excel', path.join(root, 'package.json'), '--ca-file', fifo('ca.pem'), '--sts-url', 'https://sts.exemplo');
    expect([b.signal, b.code]).toEqual([null, 1]);
    expect(b.err).toMatch(/não é um arquivo comum/);
  });

  it('refuses a file over the limit by its size, without reading it', async () => {
    const big = path.join(dir, 'grande.xlsx');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 30 * 1024 * 1024); // sparse: 30 MB on paper, nothing on disk
    fs.closeSync(fd);
    const r = run('excel', 'inspect', big);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/mais de 25 MB/);
    await expect(readBoundedFile(big, { maxBytes: 1024 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('reads a regular file whole, up to exactly the limit', async () => {
    const f = path.join(dir, 'ok.bin');
    fs.writeFileSync(f, Buffer.alloc(200_000, 7));
    expect((await readBoundedFile(f, { maxBytes: 200_000 })).length).toBe(200_000);
    await expect(readBoundedFile(f, { maxBytes: 199_999 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    await expect(readBoundedFile(path.join(dir, 'nao-existe.xlsx'), { maxBytes: 10 })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
