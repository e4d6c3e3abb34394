import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/core/contract/dispatch';
import { migrate, schemaVersion } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { m0008Audit } from '../../../main/core/db/migrations/0008-audit';
import { coreWithAccount, rmProfile } from '../charges/support';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('migration 0008-audit', () => {
  it('adds the log and the head on top of the previous schema, keeping data, with the chain triggers', () => {
    const idx = appMigrations.indexOf(m0008Audit);
    const db = new Database(':memory:');
    migrate(db, appMigrations, idx);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('tillName', '\"Caixa 9\"', 'x')").run();
    migrate(db, appMigrations, idx + 1);
    expect(schemaVersion(db)).toBe(idx + 1);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'tillName'").get()).toEqual({ value: '"Caixa 9"' });
    const triggers = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%'").all() as { name: string }[]).map((r) => r.name).sort();
    expect(triggers).toEqual(['audit_head_no_delete', 'audit_log_in_order', 'audit_log_no_delete', 'audit_log_no_update']);
    expect(() => db.prepare("INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES (1, 'x', 'a', 'b', '{}', 'short', ?)").run('a'.repeat(64))).toThrow(/CHECK|chain/);
    db.close();
  });
});

describe('what the audit log records', () => {
  it('account and certificate at onboarding, settings, endpoint overrides, cancel, refund and its refusal, token failures — with the actor and no secret', async () => {
    const { core, account, profileDir } = await coreWithAccount();
    cleanup.push(async () => {
      await core.close();
      rmProfile(profileDir);
    });
    const dispatch = createDispatcher(core.handlers());
    expect(await dispatch('settings:set', { tillName: 'Caixa 3' })).toMatchObject({ ok: true });

    const c1 = await dispatch('charges:create', { amountCents: 1500 });
    if (!c1.ok) throw new Error(c1.error.message);
    const charge = c1.value as { id: string; brCode: string };
    expect(await dispatch('charges:cancel', { id: charge.id })).toMatchObject({ ok: true });

    const c2 = await core.charges.charges.create({ amountCents: 2000 });
    await core.sandbox.pay({ brcode: c2.brCode! });
    await core.charges.charges.refresh(c2.id);
    expect(await dispatch('charges:refund', { id: c2.id, amountCents: 500, reason: 'troca' })).toMatchObject({ ok: true });
    expect(await dispatch('charges:refund', { id: c2.id, amountCents: 999_999 })).toMatchObject({ ok: false });

    // An endpoint override on a fresh session (the token never leaves: only hosts are recorded).
    const sheet = await dispatch('onboarding:sandboxToken', {});
    if (!sheet.ok) throw new Error(sheet.error.message);
    const sid = (sheet.value as { id: string }).id;
    const ep = await dispatch('onboarding:setEndpoints', { id: sid, stsUrl: 'https://sts.example.test/token', confirmHost: 'sts.example.test' });
    expect(ep.ok, JSON.stringify(ep)).toBe(true);

    // A token failure: the account's secret no longer matches at the bank (the sandbox refuses it).
    core.tokens.invalidate(account.id);
    core.accounts.setClientSecret(account.id, 'segredo-errado-de-proposito');
    await expect(core.tokens.get(account.id)).rejects.toBeTruthy();

    const entries = core.audit.all();
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual([
      'account.added',
      'certificate.issued',
      'settings.changed',
      'charge.cancelled',
      'charge.refund',
      'charge.refund_refused',
      'onboarding.endpoints',
      'token.failed',
    ]);
    expect(entries.find((e) => e.action === 'settings.changed')).toMatchObject({ actor: 'shell:cli', details: { changed: { tillName: 'Caixa 3' } } });
    expect(entries.find((e) => e.action === 'charge.cancelled')).toMatchObject({ subject: charge.id });
    expect(entries.find((e) => e.action === 'charge.refund')).toMatchObject({ subject: c2.id, details: { amountCents: 500, reason: 'troca' } });
    expect(entries.find((e) => e.action === 'charge.refund_refused')?.details).toMatchObject({ code: expect.any(String) });
    expect(entries.find((e) => e.action === 'onboarding.endpoints')).toMatchObject({ subject: sid, details: { stsHost: 'sts.example.test', pixHost: null } });
    expect(entries.find((e) => e.action === 'token.failed')).toMatchObject({ actor: 'sistema', subject: account.id });
    expect(entries.find((e) => e.action === 'account.added')).toMatchObject({ subject: account.id, details: { environment: 'sandbox' } });

    // No secret of the account anywhere in the stored log text.
    const text = JSON.stringify((core.db.prepare('SELECT * FROM audit_log').all()));
    const creds = core.accounts.credentials(account.id);
    for (const secret of [creds.clientSecret, creds.keyPem.slice(40, 100), 'segredo-errado-de-proposito']) expect(text).not.toContain(secret);
    expect(core.audit.verify()).toMatchObject({ ok: true, entries: 8 });

    const page = await dispatch('audit:list', { limit: 3 });
    expect(page).toMatchObject({ ok: true, value: { total: 8, nextBefore: 6 } });
    const exp = await dispatch('audit:export', {});
    expect(exp.ok && (exp.value as { csv: string }).csv.split('\r\n').length).toBe(10);
    expect(await dispatch('audit:list', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }, 60_000);
});
