import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { writeTokenSheet } from '../../../main/core/sandbox';
import { FORM, openCore, sandboxSheet, tempProfile } from './support';

const open: Core[] = [];
const dirs: string[] = [];
function core(dir = tempProfile(), extra = {}): Core {
  dirs.push(dir);
  const c = openCore(dir, extra);
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dbText(c: Core): string {
  // Every table's content as text, to prove no secret is stored in clear.
  const tables = (c.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  return tables.map((t) => JSON.stringify(c.db.prepare(`SELECT * FROM ${t}`).all(), (_k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v))).join('\n');
}

describe('onboarding against the local Itaú sandbox', () => {
  it('imports the sheet, exchanges key+CSR for certificate and secret, and gets the first access token', async () => {
    const c = core();
    const { bytes, clientId, token } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'Credencial e Token.xlsx');
    expect(s).toMatchObject({ clientId, step: 'imported', expirySource: 'jwt' });
    expect(JSON.stringify(s)).not.toContain(token);
    const done = await c.onboarding.run(s.id, FORM);
    expect(done.step).toBe('done');
    expect(done.phases.every((p) => p.state === 'done')).toBe(true);
    const [acc] = await c.handlers()['accounts:list']({});
    expect(acc).toMatchObject({ clientId, name: 'Loja Centro', company: 'Padaria São João Ltda', city: 'Maceió', state: 'AL', isDefault: true });
    expect(acc?.certificate.subject).toBe(`CN=${clientId}, OU=Padaria Sao Joao Ltda, L=Maceio, ST=AL, C=BR`);
    const days = (Date.parse(acc!.certificate.notAfter) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(360);
    expect(acc?.tokenSecondsLeft).toBeGreaterThan(250);
    // Secrets: sealed by the vault, never in clear in any table; the session's copies are wiped.
    const creds = c.accounts.credentials(acc!.id);
    const text = dbText(c);
    for (const secret of [token, creds.clientSecret, creds.keyPem.split('\n')[1]!]) expect(text).not.toContain(secret);
    const row = c.db.prepare('SELECT key_enc, response_enc FROM onboarding_sessions WHERE id = ?').get(s.id);
    expect(row).toEqual({ key_enc: null, response_enc: null });
  });

  it('refuses a token the bank already consumed (used elsewhere) with a pt-BR explanation and keeps the session for inspection', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c);
    const first = c.onboarding.importFile(bytes, 'a.xlsx');
    await c.onboarding.run(first.id, FORM);
    // As if the sheet had been used on another computer: this profile has no record of the token.
    c.db.prepare("UPDATE onboarding_sessions SET token_sha256 = 'elsewhere' WHERE id = ?").run(first.id);
    const again = c.onboarding.importFile(bytes, 'a.xlsx');
    await expect(c.onboarding.run(again.id, { ...FORM, environment: 'sandbox' })).rejects.toThrow(/token temporário .*Peça ao gerente Itaú um novo token/s);
    const v = c.onboarding.get(again.id);
    expect(v.step).toBe('failed');
    expect(v.error?.code).toBe('TOKEN_REJECTED');
    expect(c.accounts.list()).toHaveLength(1);
  });

  it('recognises at import a sheet whose token already connected an account here, naming the account and when', async () => {
    const c = core();
    const { bytes, token } = await sandboxSheet(c);
    const first = c.onboarding.importFile(bytes, 'a.xlsx');
    await c.onboarding.run(first.id, FORM);
    c.accounts.rename(c.accounts.list()[0]!.id, 'Loja Centro (matriz)');
    const sessions = () => (c.db.prepare('SELECT COUNT(*) AS n FROM onboarding_sessions').get() as { n: number }).n;
    const before = sessions();
    let err: { code?: string; message: string } = { message: '' };
    try {
      c.onboarding.importFile(bytes, 'Credencial e Token (1).xlsx');
    } catch (e) {
      err = e as { code: string; message: string };
    }
    expect(err.code).toBe('TOKEN_ALREADY_USED');
    const at = (c.db.prepare('SELECT updated_at FROM onboarding_sessions WHERE id = ?').get(first.id) as { updated_at: string }).updated_at;
    const parts = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', hourCycle: 'h23', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(at));
    const get = (t: string) => parts.find((p) => p.type === t)?.value;
    expect(err.message).toContain(`conectou a conta "Loja Centro (matriz)" em ${get('day')}/${get('month')}/${get('year')} às ${get('hour')}:${get('minute')} (horário de Brasília)`);
    expect(err.message).toMatch(/novo token/);
    expect(err.message).not.toContain(token);
    expect(sessions()).toBe(before);
    // The pasted token is recognised the same way.
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string };
    expect(() => c.onboarding.importPaste(claims.sub, token)).toThrow(/já foi usada neste computador/);
  });

  it('the same sheet imported twice before running is one session, and one the bank refused is named as such', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c);
    const a = c.onboarding.importFile(bytes, 'a.xlsx');
    const b = c.onboarding.importFile(bytes, 'a.xlsx');
    expect(b.id).toBe(a.id);
    expect(c.onboarding.listOpen()).toHaveLength(1);
    // The bank refused it (consumed by another computer): importing it here again says so before any form.
    c.db.prepare("UPDATE onboarding_sessions SET step = 'failed', csr_pem = 'x', error_code = 'TOKEN_REJECTED' WHERE id = ?").run(a.id);
    expect(() => c.onboarding.importFile(bytes, 'a.xlsx')).toThrow(/já foi enviado ao Itaú num cadastro iniciado em .* que falhou/);
    // A discarded session does not count: the person chose to forget it.
    c.db.prepare("UPDATE onboarding_sessions SET step = 'discarded' WHERE id = ?").run(a.id);
    expect(c.onboarding.importFile(bytes, 'a.xlsx').id).not.toBe(a.id);
  });

  it('refuses a sheet whose Client ID is not the token\'s, naming the problem without showing the token', async () => {
    const c = core();
    const sb = await c.sandbox.get();
    const issued = sb.state.issueToken({});
    const other = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const file = path.join(c.opts.profileDir, 'wrong.xlsx');
    writeTokenSheet(file, { ...issued, clientId: other });
    let message = '';
    try {
      c.onboarding.importFile(fs.readFileSync(file), 'wrong.xlsx');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/O token pertence a outro Client ID/);
    expect(message).toContain(other);
    expect(message).not.toContain(issued.token);
    expect(c.onboarding.listOpen()).toHaveLength(0);
  });

  it('refuses an expired token before calling the bank', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c, { validHours: 1 });
    const s = c.onboarding.importFile(bytes, 'a.xlsx');
    const later = core(c.opts.profileDir, { now: () => new Date(Date.now() + 2 * 3600_000) });
    await expect(later.onboarding.run(s.id, FORM)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(later.onboarding.get(s.id).step).toBe('failed');
  });

  it('rejects a wrong UF with a message naming the field, and the session stays usable', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'a.xlsx');
    await expect(c.onboarding.run(s.id, { ...FORM, state: 'XX' })).rejects.toThrow(/UF inválida/);
    expect(c.onboarding.get(s.id).step).toBe('imported');
    expect((await c.onboarding.run(s.id, FORM)).step).toBe('done');
  });

  it('resumes after a network failure during the exchange by re-sending the same CSR', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c);
    const sb = await c.sandbox.get();
    sb.faults.set('/seguranca/v1/certificado/solicitacao', { reset: true, times: 1 });
    const s = c.onboarding.importFile(bytes, 'a.xlsx');
    await expect(c.onboarding.run(s.id, FORM)).rejects.toMatchObject({ code: 'NETWORK' });
    const mid = c.onboarding.get(s.id);
    expect(mid.step).toBe('requesting');
    expect(mid.resumeHint).toMatch(/reenvia o mesmo pedido/);
    const csrBefore = c.db.prepare('SELECT csr_pem FROM onboarding_sessions WHERE id = ?').get(s.id);
    const done = await c.onboarding.run(s.id);
    expect(done.step).toBe('done');
    expect(csrBefore).toBeTruthy();
  });

  it('keeps several accounts and manages default, rename and deactivation', async () => {
    const c = core();
    for (const name of ['Matriz', 'Filial']) {
      const { bytes } = await sandboxSheet(c);
      const s = c.onboarding.importFile(bytes, 'a.xlsx');
      await c.onboarding.run(s.id, { ...FORM, name });
    }
    const h = c.handlers();
    const [matriz, filial] = await h['accounts:list']({});
    expect([matriz?.name, matriz?.isDefault, filial?.isDefault]).toEqual(['Matriz', true, false]);
    await h['accounts:setDefault']({ id: filial!.id });
    await h['accounts:rename']({ id: matriz!.id, name: 'Matriz SP' });
    await h['accounts:setActive']({ id: filial!.id, active: false });
    const after = await h['accounts:list']({});
    expect(after.map((a) => [a.name, a.isDefault, a.active])).toEqual([
      ['Matriz SP', true, true], // the default moved back when Filial was deactivated
      ['Filial', false, false],
    ]);
    await expect(Promise.resolve().then(() => h['accounts:setDefault']({ id: filial!.id }))).rejects.toThrow(/Reative a conta/);
  });

  it('never lets a stored certificate version be edited or deleted', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c);
    const s = await c.onboarding.run(c.onboarding.importFile(bytes, 'a.xlsx').id, FORM);
    expect(() => c.db.prepare("UPDATE certificates SET not_after = '2099-01-01' WHERE account_id = ?").run(s.accountId)).toThrow(/immutable/);
    expect(() => c.db.prepare('DELETE FROM certificates WHERE account_id = ?').run(s.accountId)).toThrow(/never deleted/);
  });
});

describe('default account', () => {
  it('moves to another active account when the default is deactivated', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const c = openCore(dir);
    open.push(c);
    for (const name of ['A', 'B']) {
      const { bytes } = await sandboxSheet(c);
      await c.onboarding.run(c.onboarding.importFile(bytes, 'a.xlsx').id, { ...FORM, name });
    }
    const [a, b] = c.accounts.list();
    c.accounts.setActive(a!.id, false);
    expect(c.accounts.get(b!.id).isDefault).toBe(true);
    c.accounts.setActive(b!.id, false);
    expect(c.accounts.list().some((x) => x.isDefault)).toBe(false);
    c.accounts.setActive(a!.id, true);
    expect(c.accounts.get(a!.id).isDefault).toBe(true);
  });
});
