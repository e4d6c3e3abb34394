import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAppId } from '../../../main/core/apps';
import { createDispatcher } from '../../../main/core/contract/dispatch';
import type { ApiAppCreated, ApiAppView } from '../../../main/core/contract';
import { migrate } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { openCore, tempProfile } from '../accounts/support';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function core() {
  const dir = tempProfile();
  dirs.push(dir);
  return openCore(dir);
}

describe('migration 0005-apps', () => {
  it('applies on a database at the previous version, keeping its rows, and enforces one charge per correlationID per app', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-m6-'));
    dirs.push(dir);
    const db = new Database(path.join(dir, 'x.sqlite'));
    db.pragma('foreign_keys = ON');
    const at = appMigrations.findIndex((m) => m.name === '0005-apps');
    expect(at).toBeGreaterThan(0);
    migrate(db, appMigrations, at);
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('tillName', '"Caixa 1"', 'x');
    migrate(db, appMigrations, at + 1);
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'tillName'").get()).toEqual({ value: '"Caixa 1"' });
    const now = new Date().toISOString();
    db.prepare(
      "INSERT INTO api_apps (id, name, type, scopes, client_id, secret_hash, created_at, updated_at) VALUES ('a1', 'ERP', 'REST_API', '[]', 'c1', x'00', ?, ?)",
    ).run(now, now);
    const ins = db.prepare("INSERT INTO api_charges (app_id, correlation_id, payment_link_id, created_at) VALUES ('a1', ?, ?, ?)");
    ins.run('pedido-1', 'pl-1', now);
    expect(() => ins.run('pedido-1', 'pl-2', now)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare("INSERT INTO api_apps (id, name, type, scopes, client_id, secret_hash, created_at, updated_at) VALUES ('a2', 'X', 'OTHER', '[]', 'c2', x'00', ?, ?)").run(now, now)).toThrow(/CHECK/);
    db.close();
  });
});

describe('API apps', () => {
  it('creates an app whose AppID is shown once and stored only as a keyed hash', async () => {
    const c = core();
    const dispatch = createDispatcher(c.handlers());
    const r = await dispatch('apps:create', { name: 'ERP da loja', type: 'PLUGIN', scopes: ['CHARGE_POST', 'CHARGE_GET'], allowedIps: ['127.0.0.1', '10.0.0.0/8'] });
    expect(r.ok).toBe(true);
    const created = (r as { value: ApiAppCreated }).value;
    const parts = decodeAppId(created.appId);
    expect(parts?.clientId).toBe(created.app.clientId);
    const secret = parts!.clientSecret;
    // The secret never appears in the database, in lists or in later answers.
    const file = fs.readFileSync(path.join(c.opts.profileDir, 'pixdesk.sqlite'));
    const dump = Buffer.concat([file, fs.existsSync(path.join(c.opts.profileDir, 'pixdesk.sqlite-wal')) ? fs.readFileSync(path.join(c.opts.profileDir, 'pixdesk.sqlite-wal')) : Buffer.alloc(0)]);
    expect(dump.includes(Buffer.from(secret))).toBe(false);
    const list = (await dispatch('apps:list', {})) as { ok: true; value: ApiAppView[] };
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(JSON.stringify(list)).not.toContain(created.appId);
    expect(list.value[0]).toMatchObject({ name: 'ERP da loja', type: 'PLUGIN', scopes: ['CHARGE_POST', 'CHARGE_GET'], allowedIps: ['127.0.0.1', '10.0.0.0/8'], status: 'active', requestCount: 0 });
    expect(c.apps.authenticate(created.appId)?.id).toBe(created.app.id);
    await c.close();
  });

  it('regenerate stops the old AppID at once; revoke stops every AppID; wrong ones are refused', async () => {
    const c = core();
    const { app, appId } = c.apps.create({ name: 'POS', scopes: ['CHARGE_GET'] });
    expect(c.apps.authenticate(appId)).not.toBeNull();
    const again = c.apps.regenerate(app.id);
    expect(again.appId).not.toBe(appId);
    expect(c.apps.authenticate(appId)).toBeNull();
    expect(c.apps.authenticate(again.appId)?.id).toBe(app.id);
    // A tampered secret with the right clientId, garbage, and nothing at all.
    const { clientId, clientSecret } = decodeAppId(again.appId)!;
    const flipped = clientSecret.slice(0, -1) + (clientSecret.endsWith('A') ? 'B' : 'A');
    expect(c.apps.authenticate(Buffer.from(`${clientId}:${flipped}`).toString('base64'))).toBeNull();
    for (const bad of [undefined, '', 'Bearer x', 'não base64 !!', Buffer.from('a:b').toString('base64')]) expect(c.apps.authenticate(bad)).toBeNull();
    c.apps.revoke(app.id);
    expect(c.apps.authenticate(again.appId)).toBeNull();
    expect(() => c.apps.regenerate(app.id)).toThrow(/revogado/);
    expect(c.apps.auditOf(app.id).map((a) => a.action)).toEqual(['create', 'regenerate', 'revoke']);
    await c.close();
  });

  it('validates input from unknown with pt-BR messages naming the field', async () => {
    const c = core();
    const dispatch = createDispatcher(c.handlers());
    const noScopes = await dispatch('apps:create', { name: 'X', scopes: [] });
    expect(noScopes).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(noScopes)).toContain('scopes');
    const badScope = await dispatch('apps:create', { name: 'X', scopes: ['ROOT'] });
    expect(JSON.stringify(badScope)).toContain('escopo desconhecido');
    const badIp = await dispatch('apps:create', { name: 'X', scopes: ['CHARGE_GET'], allowedIps: ['999.1.1.1'] });
    expect(badIp).toMatchObject({ ok: false, error: { code: 'IP_INVALID' } });
    expect(c.apps.list()).toHaveLength(0);
    await c.close();
  });

  it('counts requests in memory and writes them on flush', async () => {
    const c = core();
    const { app } = c.apps.create({ name: 'ERP', scopes: ['CHARGE_GET'] });
    for (let i = 0; i < 5; i++) c.apps.recordUse(app.id, '127.0.0.1');
    expect(c.apps.get(app.id).requestCount).toBe(5);
    c.apps.flushUsage();
    const row = c.db.prepare('SELECT request_count, last_used_ip FROM api_apps WHERE id = ?').get(app.id);
    expect(row).toEqual({ request_count: 5, last_used_ip: '127.0.0.1' });
    await c.close();
  });
});
