import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion, type Migration } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';

const dirs: string[] = [];
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-db-'));
  dirs.push(d);
  return path.join(d, 'x.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates a WAL database with foreign keys at the newest schema', () => {
    const file = tmpFile();
    const db = openDatabase({ file, migrations: appMigrations });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(appMigrations.length);
    db.close();
  });

  it('refuses a database written by a newer PixDesk and leaves it untouched', () => {
    const file = tmpFile();
    const raw = new Database(file);
    raw.exec('CREATE TABLE keep (x)');
    raw.pragma(`user_version = ${appMigrations.length + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase({ file, migrations: appMigrations })).toThrow(/versão mais nova do PixDesk/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(appMigrations.length + 5);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'keep'").get()).toBeTruthy();
    check.close();
    expect(before.length).toBeGreaterThan(0);
  });

  it('applies all pending migrations in one transaction: a failing step rolls every step back', () => {
    const file = tmpFile();
    const bad: Migration[] = [
      { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x)') },
      { version: 2, name: 'b', up: () => { throw new Error('boom'); } },
    ];
    expect(() => openDatabase({ file, migrations: bad })).toThrow('boom');
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeUndefined();
    db.close();
  });

  it('rejects a migration list whose numbers are out of order', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [{ version: 2, name: 'x', up: () => undefined }];
    expect(() => migrate(db, list)).toThrow(/expected 1/);
  });
});

describe('app migrations', () => {
  it('0001-init creates vault_meta and settings', () => {
    const db = new Database(':memory:');
    migrate(db, appMigrations, 1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['vault_meta', 'settings']));
    expect(schemaVersion(db)).toBe(1);
  });
});

describe('0002-accounts', () => {
  it('creates accounts, immutable certificates and onboarding sessions on top of 0001', () => {
    const db = new Database(':memory:');
    migrate(db, appMigrations, 1);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('tillName', '\"Caixa 9\"', 'x')").run();
    migrate(db, appMigrations, 2);
    expect(schemaVersion(db)).toBe(2);
    // Data of earlier versions survives.
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '"Caixa 9"' });
    db.prepare(
      `INSERT INTO accounts (id, name, environment, client_id, company, city, state, client_secret_enc, created_at, updated_at)
       VALUES ('a', 'n', 'sandbox', 'c', 'co', 'ci', 'SP', x'00', 't', 't')`,
    ).run();
    expect(() =>
      db.prepare(
        `INSERT INTO accounts (id, name, environment, client_id, company, city, state, client_secret_enc, created_at, updated_at)
         VALUES ('b', 'n', 'homolog', 'c2', 'co', 'ci', 'SP', x'00', 't', 't')`,
      ).run(),
    ).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO certificates (id, account_id, version, cert_pem, private_key_enc, subject, serial, fingerprint256, not_before, not_after, origin, created_at)
       VALUES ('c1', 'a', 1, 'pem', x'00', 's', '1', 'f', 't', 't', 'onboarding', 't')`,
    ).run();
    expect(() => db.prepare("UPDATE certificates SET cert_pem = 'x'").run()).toThrow(/immutable/);
    expect(() => db.prepare("INSERT INTO certificates (id, account_id, version, cert_pem, private_key_enc, subject, serial, fingerprint256, not_before, not_after, origin, created_at) VALUES ('c2', 'zz', 1, 'pem', x'00', 's', '1', 'f', 't', 't', 'onboarding', 't')").run()).toThrow(/FOREIGN KEY/);
  });
});

describe('0003-onboarding-endpoints', () => {
  it('moves URLs and CA out of the stored form into a confirmed-endpoints column, keeping the rest', () => {
    const db = new Database(':memory:');
    migrate(db, appMigrations, 2);
    const insert = db.prepare(
      `INSERT INTO onboarding_sessions (id, client_id, token_enc, token_sha256, token_expires_at, expiry_source, source_json, form_json, step, created_at, updated_at)
       VALUES (?, 'c', x'00', 'h', 't', 'jwt', '{}', ?, 'prepared', 't', '2025-01-02T03:04:05.000Z')`,
    );
    insert.run('custom', JSON.stringify({ name: 'n', company: 'co', city: 'ci', state: 'SP', environment: 'production', stsUrl: 'https://proxy.local:8443', pixUrl: null, extraCaPem: 'PEM', renewalPath: 'v2' }));
    insert.run('plain', JSON.stringify({ name: 'n', company: 'co', city: 'ci', state: 'SP', environment: 'sandbox' }));
    migrate(db, appMigrations, 3);
    expect(schemaVersion(db)).toBe(3);
    const rows = db.prepare('SELECT id, form_json, endpoints_json FROM onboarding_sessions ORDER BY id').all() as { id: string; form_json: string; endpoints_json: string | null }[];
    const custom = rows.find((r) => r.id === 'custom')!;
    expect(JSON.parse(custom.form_json)).toEqual({ name: 'n', company: 'co', city: 'ci', state: 'SP', environment: 'production', renewalPath: 'v2' });
    expect(JSON.parse(custom.endpoints_json!)).toEqual({
      stsUrl: 'https://proxy.local:8443', pixUrl: null, extraCaPem: 'PEM', host: 'proxy.local:8443', confirmedAt: '2025-01-02T03:04:05.000Z', confirmedBy: 'migration-0003',
    });
    expect(rows.find((r) => r.id === 'plain')!.endpoints_json).toBeNull();
  });
});
