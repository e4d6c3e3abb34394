import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { serveSandbox } from '../../../main/cli/sandbox';
import { migrate, schemaVersion } from '../../../main/core/db';
import { importCredentialFile } from '../../../main/core/onboarding/credential-import';
import { openSandboxState, sandboxMigrations, startSandbox, writeTokenSheet } from '../../../main/core/sandbox';
import { accessToken, call, enroll, newTxid, opensslCsr, opensslKey, pixClient, subjectFor, tempDir } from './helpers';

const dirs: string[] = [];
function dir(prefix?: string): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('sandbox migrations', () => {
  it('0001-init creates the STS tables', () => {
    const db = new Database(':memory:');
    migrate(db, sandboxMigrations, 1);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['certificates', 'clients', 'temp_tokens']);
    db.prepare('INSERT INTO clients (client_id, created_ms) VALUES (?, ?)').run('c1', 1);
    expect(() => db.prepare('INSERT INTO temp_tokens (jti, client_id, issued_ms, expires_ms) VALUES (?, ?, ?, ?)').run('j', 'c1', 1, 2)).not.toThrow();
    expect(() =>
      db.prepare("INSERT INTO certificates (serial, fingerprint256, client_id, subject, not_before_ms, not_after_ms, issued_ms, via) VALUES ('s','f','c1','x',1,2,3,'other')").run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('0002-charges adds the Pix API tables and keeps the data of 0001', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, sandboxMigrations, 1);
    db.prepare('INSERT INTO clients (client_id, created_ms) VALUES (?, ?)').run('c1', 1);
    migrate(db, sandboxMigrations, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(['certificates', 'charges', 'clients', 'locations', 'pix', 'pix_owners', 'refunds', 'temp_tokens', 'webhooks']);
    expect(db.prepare('SELECT client_id FROM clients').get()).toEqual({ client_id: 'c1' });
    const loc = db.prepare("INSERT INTO locations (uuid, tipo_cob, location, created_ms) VALUES ('u', 'cob', 'h/qr/v2/u', 1)").run().lastInsertRowid;
    const ins = db.prepare(
      "INSERT INTO charges (client_id, kind, txid, status, created_ms, chave, valor_original, body, request_sha256, loc_id, pix_copia_e_cola) VALUES (?, 'cob', 't', 'ATIVA', 1, 'k', '1.00', '{}', 'h', ?, 'p')",
    );
    ins.run('c1', loc);
    expect(() => ins.run('c1', loc)).toThrow(/UNIQUE/); // one txid per receiver
    expect(() => ins.run('nobody', loc)).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('0003-keys-locations adds keys, token counts, location binding and refund outcomes; existing charges stay bound', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, sandboxMigrations, 2);
    db.prepare('INSERT INTO clients (client_id, created_ms) VALUES (?, ?)').run('c1', 1);
    const loc = db.prepare("INSERT INTO locations (uuid, tipo_cob, location, created_ms) VALUES ('u', 'cob', 'h/qr/v2/u', 1)").run().lastInsertRowid;
    const charge = db
      .prepare(
        "INSERT INTO charges (client_id, kind, txid, status, created_ms, chave, valor_original, body, request_sha256, loc_id, pix_copia_e_cola) VALUES ('c1', 'cob', 't', 'ATIVA', 1, 'k', '1.00', '{}', 'h', ?, 'p')",
      )
      .run(loc).lastInsertRowid;
    db.prepare("INSERT INTO pix (e2eid, charge_id, txid, chave, valor, horario_ms) VALUES ('e1', ?, 't', 'k', '1.00', 1)").run(charge);
    db.prepare("INSERT INTO refunds (e2eid, id, rtr_id, valor, status, requested_ms, settle_ms) VALUES ('e1', 'D1', 'r1', '1.00', 'EM_PROCESSAMENTO', 1, 2)").run();
    migrate(db, sandboxMigrations);
    expect(schemaVersion(db)).toBe(3);
    expect(tables(db)).toEqual(['certificates', 'charges', 'clients', 'locations', 'pix', 'pix_keys', 'pix_owners', 'refunds', 'temp_tokens', 'token_requests', 'webhooks']);
    // The charge created before 0003 is still served at its location.
    expect(db.prepare('SELECT client_id, charge_id FROM locations WHERE id = ?').get(loc)).toEqual({ client_id: 'c1', charge_id: Number(charge) });
    expect(db.prepare("SELECT outcome, motivo FROM refunds WHERE id = 'D1'").get()).toEqual({ outcome: 'DEVOLVIDO', motivo: null });
    expect(() => db.prepare("UPDATE refunds SET outcome = 'TALVEZ'").run()).toThrow(/CHECK/);
    // A location serves one charge at a time; a key belongs to one Client ID.
    const loc2 = db.prepare("INSERT INTO locations (uuid, tipo_cob, location, created_ms, client_id) VALUES ('u2', 'cob', 'h/qr/v2/u2', 1, 'c1')").run().lastInsertRowid;
    expect(() => db.prepare('UPDATE locations SET charge_id = ? WHERE id = ?').run(charge, loc2)).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO pix_keys (chave, client_id, created_ms) VALUES ('k', 'c1', 1)").run();
    expect(() => db.prepare("INSERT INTO pix_keys (chave, client_id, created_ms) VALUES ('k', 'c2', 1)").run()).toThrow(/UNIQUE/);
    expect(db.prepare("SELECT payer_cpf, payer_cnpj FROM pix WHERE e2eid = 'e1'").get()).toEqual({ payer_cpf: null, payer_cnpj: null });
    db.close();
  });

  it('the state file is WAL and refuses a newer schema', () => {
    const p = dir();
    const s = openSandboxState(p);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    s.db.pragma('user_version = 99');
    s.close();
    expect(() => openSandboxState(p)).toThrow(/versão mais nova/);
  });
});

describe('sandbox state', () => {
  it('keeps the CA, keys and records across restarts; another process issues tokens the server accepts', async () => {
    const profile = dir();
    const work = dir('pixdesk-keys-');
    const first = await startSandbox({ profileDir: profile });
    const ca = first.caPem;
    for (const f of ['ca.key', 'jwt.key', 'server.key']) {
      expect(fs.statSync(path.join(profile, 'sandbox', f)).mode & 0o777).toBe(0o600);
    }
    // A token issued by a separate state handle (as `pixdesk sandbox issue-token` does) works on the running server.
    const cli = openSandboxState(profile);
    const { clientId, token } = cli.issueToken();
    cli.keys.register(clientId, '11144477735');
    cli.close();
    const key = await opensslKey(work, 'k');
    const csr = await opensslCsr(work, key, subjectFor(clientId));
    const { secret, certPem } = await enroll(first, token, csr);
    const creds = { certPem, keyPem: fs.readFileSync(key, 'utf8') };
    const txid = newTxid();
    const access1 = await accessToken(first, creds, clientId, secret);
    const put = await pixClient(first, creds, clientId, () => access1)('PUT', `/cob/${txid}`, { calendario: {}, valor: { original: '1.00' }, chave: '11144477735' });
    expect(put.status).toBe(201);
    await first.close();

    const second = await startSandbox({ profileDir: profile });
    try {
      expect(second.caPem).toBe(ca);
      const access2 = await accessToken(second, creds, clientId, secret);
      const got = await pixClient(second, creds, clientId, () => access2)('GET', `/cob/${txid}`);
      expect(got.json).toMatchObject({ txid, location: put.json.location, pixCopiaECola: put.json.pixCopiaECola });
      // The token stays used after the restart.
      expect(second.state.sts.checkTemporaryToken(token)).toEqual({ ok: false, reason: 'used' });
      // A payment recorded by another process shows up at once.
      const payer = openSandboxState(profile);
      payer.pay(put.json.pixCopiaECola);
      payer.close();
      expect((await pixClient(second, creds, clientId, () => access2)('GET', `/cob/${txid}`)).json.status).toBe('CONCLUIDA');
    } finally {
      await second.close();
    }
  });

  it('issueToken validates its input', () => {
    const s = openSandboxState(dir());
    expect(() => s.issueToken({ clientId: 'abc' })).toThrow(/UUID/);
    expect(() => s.issueToken({ validHours: 0 })).toThrow(/validade/);
    expect(s.issueToken({ clientId: 'A0B1C2D3-0000-4000-8000-000000000000' }).clientId).toBe('a0b1c2d3-0000-4000-8000-000000000000');
    s.close();
  });
});

describe('token sheet', () => {
  it("writes Itaú's layout with a real date cell; PixDesk's importer reads it back", () => {
    const d = dir();
    const s = openSandboxState(d);
    const t = s.issueToken({ validHours: 72 });
    s.close();
    const file = path.join(d, 'Credencial e Token.xlsx');
    writeTokenSheet(file, t);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const wb = XLSX.read(fs.readFileSync(file), { cellDates: true });
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    expect([ws.A1?.v, ws.B1?.v, ws.C1?.v]).toEqual(['CLIENT ID', 'TOKEN', 'VALIDADE']);
    expect(ws.A2?.v).toBe(t.clientId);
    expect(ws.B2?.v).toBe(t.token);
    expect(ws.C2?.t).toBe('d');
    // SheetJS reads the wall-clock value as local time; it shows Brasília's wall clock.
    const wall = ws.C2!.v as Date;
    const brasilia = new Date(t.expiresAt.getTime() - 3 * 3600_000);
    const wallMs = Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds());
    expect(Math.abs(wallMs - brasilia.getTime())).toBeLessThan(1500);
    const imported = importCredentialFile(fs.readFileSync(file), 'Credencial e Token.xlsx');
    expect(imported).toMatchObject({ clientId: t.clientId, token: t.token, expirySource: 'jwt' });
    expect(Date.parse(imported.tokenExpiresAt)).toBe(t.expiresAt.getTime());
  });
});

describe('pixdesk sandbox (CLI)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
  };

  it('issue-token writes the sheet and prints client id and expiry, the token only with --print-token', async () => {
    const profile = dir();
    const file = path.join(profile, 't.xlsx');
    const a = io();
    expect(await runCli(['sandbox', 'issue-token', '--profile', profile, '--out', file, '--valid-hours', '24'], a.io)).toBe(0);
    const text = a.out.join('\n');
    expect(text).toMatch(/client id: [0-9a-f-]{36}/);
    expect(text).toMatch(/validade: \d{4}-/);
    expect(text).not.toMatch(/eyJ/);
    const b = io();
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(await runCli(['sandbox', 'issue-token', '--profile', profile, '--out', file, '--client-id', id, '--print-token', '--json'], b.io)).toBe(0);
    const j = JSON.parse(b.out.join('\n'));
    expect(j).toMatchObject({ clientId: id, file });
    expect(j.token).toMatch(/^eyJ/);
    const c = io();
    expect(await runCli(['sandbox', 'issue-token', '--profile', profile], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--out/);
  });

  it('pay works on the state file with no server running', async () => {
    const profile = dir();
    const c = io();
    const { encodeStatic } = await import('../../../main/core/brcode');
    const code = encodeStatic({ key: 'loja@example.com', name: 'Loja', city: 'Recife', amount: '9.99', txid: 'CAIXA1' });
    expect(await runCli(['sandbox', 'pay', code, '--profile', profile, '--payer-name', 'Ana', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n'))).toMatchObject({ txid: 'CAIXA1', valor: '9.99', kind: 'static' });
    const bad = io();
    expect(await runCli(['sandbox', 'pay', code, '--profile', profile, '--amount', '1.00'], bad.io)).toBe(1);
    expect(bad.err.join('')).toMatch(/Valor diferente/);
  });

  it('serve prints sts, pix and ca lines and answers until stopped', async () => {
    const profile = dir();
    const c = io();
    let urls: { sts: string; pix: string; ca: string } | null = null;
    const code = await serveSandbox({ profileDir: profile, host: '127.0.0.1', port: 0 }, c.io, async (sb) => {
      const lines = Object.fromEntries(c.out.map((l) => l.split(': ') as [string, string]));
      urls = { sts: lines.sts!, pix: lines.pix!, ca: lines.ca! };
      expect((await call(sb, 'GET', `${urls.sts}/sandbox/health`)).json).toEqual({ ok: true, pid: process.pid, instanceId: sb.instanceId });
    });
    expect(code).toBe(0);
    expect(urls!.sts).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(urls!.pix).toBe(`${urls!.sts}/regulatorio-pix/v2`);
    expect(fs.readFileSync(urls!.ca, 'utf8')).toContain('BEGIN CERTIFICATE');
    const u = io();
    expect(await runCli(['sandbox', 'serve', '--profile', profile, '--port', 'x'], u.io)).toBe(2);
  });
});
