import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { instanceFile, readInstanceFile, startSandbox } from '../../../main/core/sandbox';
import { SandboxRuntime } from '../../../main/core/sandbox-runtime';
import { enrolledClient, newTxid, opensslKey, run, tempDir } from './helpers';

/*
 * `pixdesk sandbox serve` in a child process records its address in the profile; a SandboxRuntime of that profile
 * (what the app and the CLI use) then talks to it, so faults set through it apply to the app, and falls back to an
 * in-process server once it stops. `pixdesk sandbox pay` pays dynamic codes and says why it cannot.
 */

const root = path.resolve(__dirname, '..', '..', '..');
let cliJs: string;
let work: string;
let keyFile: string;

beforeAll(async () => {
  work = tempDir('pixdesk-instance-');
  cliJs = path.join(work, 'cli.cjs');
  buildSync({ entryPoints: [path.join(root, 'main/cli.ts')], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: cliJs, absWorkingDir: root, logLevel: 'error' });
  keyFile = await opensslKey(work, 'client');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const env = { ...process.env, NODE_PATH: path.join(root, 'node_modules') };
const cli = (args: string[]) => run(process.execPath, [cliJs, ...args], { cwd: root, env }).catch((e: { code: number; stdout: string; stderr: string }) => e);

/** Start `pixdesk sandbox serve` and wait for its `control:` line. */
function serve(profile: string): Promise<{ child: ChildProcess; lines: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliJs, 'sandbox', 'serve', '--profile', profile, '--port', '0'], { cwd: root, env });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^control: /m.test(out)) resolve({ child, lines: Object.fromEntries(out.trim().split('\n').map((l) => l.split(': ') as [string, string])) });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));

describe('sandbox serve instance', () => {
  it('the runtime uses a running serve (faults set through it apply), then starts its own once it stops', async () => {
    const profile = tempDir();
    const { child, lines } = await serve(profile);
    const runtime = new SandboxRuntime(profile);
    try {
      const rec = readInstanceFile(profile)!;
      expect(rec).toMatchObject({ pid: child.pid, stsUrl: lines.sts, pixUrl: lines.pix, controlUrl: lines.control, caFile: lines.ca });
      expect(fs.statSync(instanceFile(profile)).mode & 0o777).toBe(0o600);

      const h = await runtime.get();
      expect(h.mode).toBe('external');
      expect(h.stsUrl).toBe(lines.sts);
      expect((await runtime.endpoints()).pixUrl).toBe(lines.pix);
      expect(() => h.faults.set('*', { status: 500 })).toThrow(/setFault/);

      // A client enrolled through the child's STS; its key registered through the runtime lands in the shared state.
      const client = await enrolledClient(h, work, keyFile);
      const myKey = crypto.randomUUID();
      await runtime.registerPixKey(client.clientId, myKey);
      expect(await runtime.pixKeys(client.clientId)).toEqual([myKey]);
      expect(await runtime.tokenRequests(client.clientId)).toBe(1);

      await runtime.setFault('GET /regulatorio-pix/v2/cob/*', { status: 503, times: 1 });
      const txid = newTxid();
      const body = { calendario: { expiracao: 3600 }, valor: { original: '2.50' }, chave: myKey };
      expect((await client.api('PUT', `/cob/${txid}`, body)).status).toBe(201);
      expect((await client.api('GET', `/cob/${txid}`)).status).toBe(503);
      expect((await client.api('GET', `/cob/${txid}`)).status).toBe(200);

      // The CLI reaches the same instance: a dropped answer set from another process.
      const set = await cli(['sandbox', 'faults', 'set', '--profile', profile, '--route', 'PUT /regulatorio-pix/v2/cob/*', '--drop-response', '--times', '1']);
      expect(set.stdout).toMatch(/dropResponse/);
      const t2 = newTxid();
      await expect(client.api('PUT', `/cob/${t2}`, body)).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect((await client.api('PUT', `/cob/${t2}`, body)).status).toBe(201);
      expect((await runtime.stats()).charges[client.clientId]).toBe(2);
      const paid = await runtime.pay({ txid: t2 });
      expect(paid).toMatchObject({ txid: t2, valor: '2.50' });
      expect((await client.api('GET', `/cob/${t2}`)).json.status).toBe('CONCLUIDA');

      child.kill('SIGTERM');
      await exited(child);
      expect(fs.existsSync(instanceFile(profile))).toBe(false);
      const after = await runtime.get();
      expect(after.mode).toBe('in-process');
      expect(after.stsUrl).not.toBe(lines.sts);
      expect(after.state.keys.list(client.clientId)).toEqual([myKey]); // same state file
    } finally {
      child.kill('SIGKILL');
      await runtime.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });

  it('a stale instance.json (dead pid) is ignored; faults without a running serve get a clear pt-BR error', async () => {
    const profile = tempDir();
    try {
      fs.mkdirSync(path.join(profile, 'sandbox'), { recursive: true });
      fs.writeFileSync(instanceFile(profile), JSON.stringify({ pid: 2 ** 22 + 12345, instanceId: 'x', stsUrl: 'https://127.0.0.1:1', pixUrl: 'https://127.0.0.1:1/regulatorio-pix/v2', controlUrl: 'https://127.0.0.1:1', caFile: '/nonexistent', startedAt: '' }));
      const runtime = new SandboxRuntime(profile);
      expect((await runtime.get()).mode).toBe('in-process');
      await runtime.close();
      const r = await cli(['sandbox', 'faults', 'list', '--profile', profile]);
      expect((r as { code?: number }).code).toBe(1);
      expect(r.stderr).toMatch(/Nenhum "pixdesk sandbox serve" em execução para este perfil/);
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe('pixdesk sandbox pay and keys (CLI)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
  };

  it('pays a dynamic code and by --txid; refuses paid, removed and expired charges in pt-BR; --key makes a direct transfer', async () => {
    const profile = tempDir();
    const sb = await startSandbox({ profileDir: profile });
    try {
      const key = crypto.randomUUID();
      const client = await enrolledClient(sb, work, keyFile);
      const k = io();
      expect(await runCli(['sandbox', 'keys', 'add', '--profile', profile, '--client-id', client.clientId, key], k.io)).toBe(0);
      expect(k.out.join('')).toBe(`registrada: ${key}`);
      const bad = io();
      expect(await runCli(['sandbox', 'keys', 'add', '--profile', profile, '--client-id', client.clientId, 'Nao Chave'], bad.io)).toBe(1);
      expect(bad.err.join('')).toMatch(/Chave Pix inválida/);

      const put = async (valor: string, expiracao = 3600) => (await client.api('PUT', `/cob/${newTxid()}`, { calendario: { expiracao }, valor: { original: valor }, chave: key })).json;
      const one = await put('11.00');
      const p = io();
      expect(await runCli(['sandbox', 'pay', one.pixCopiaECola, '--profile', profile, '--json'], p.io)).toBe(0);
      expect(JSON.parse(p.out.join(''))).toMatchObject({ txid: one.txid, valor: '11.00', kind: 'dynamic' });
      const again = io();
      expect(await runCli(['sandbox', 'pay', one.pixCopiaECola, '--profile', profile], again.io)).toBe(1);
      expect(again.err.join('')).toMatch(/já foi paga/);

      const two = await put('12.00');
      const byTxid = io();
      expect(await runCli(['sandbox', 'pay', '--txid', two.txid, '--profile', profile], byTxid.io)).toBe(0);
      expect(byTxid.out.join('')).toMatch(new RegExp(`pago: 12.00 endToEndId E\\w{31} txid ${two.txid}`));

      const three = await put('13.00');
      await client.api('PATCH', `/cob/${three.txid}`, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' });
      const removed = io();
      expect(await runCli(['sandbox', 'pay', '--txid', three.txid, '--profile', profile], removed.io)).toBe(1);
      expect(removed.err.join('')).toMatch(/foi removida \(REMOVIDA_PELO_USUARIO_RECEBEDOR\)/);

      const four = await put('14.00', 1);
      await new Promise((r) => setTimeout(r, 1100));
      const expired = io();
      expect(await runCli(['sandbox', 'pay', four.pixCopiaECola, '--profile', profile], expired.io)).toBe(1);
      expect(expired.err.join('')).toMatch(/expirou em \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(horário de Brasília\)/);

      const unknown = io();
      expect(await runCli(['sandbox', 'pay', '--txid', newTxid(), '--profile', profile], unknown.io)).toBe(1);
      expect(unknown.err.join('')).toMatch(/Nenhuma cobrança com o txid/);

      const direct = io();
      expect(await runCli(['sandbox', 'pay', '--key', key, '--amount', '5,00', '--payer-name', 'Rita', '--message', 'obrigado', '--profile', profile, '--json'], direct.io)).toBe(0);
      const d = JSON.parse(direct.out.join(''));
      expect(d).toMatchObject({ txid: null, valor: '5.00', chave: key });
      const pix = (await client.api('GET', `/pix/${d.endToEndId}`)).json;
      expect(pix).toMatchObject({ valor: '5.00', infoPagador: 'obrigado', pagador: { nome: 'Rita' } });
      expect(pix.pagador.cpf).toMatch(/^\d{11}$/);
      const usage = io();
      expect(await runCli(['sandbox', 'pay', '--key', key, '--profile', profile], usage.io)).toBe(2);
      expect(usage.err.join('')).toMatch(/--amount/);
      const stats = io();
      expect(await runCli(['sandbox', 'stats', '--profile', profile, '--json'], stats.io)).toBe(0);
      expect(JSON.parse(stats.out.join('')).tokenRequests[client.clientId]).toBe(1);
    } finally {
      await sb.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
