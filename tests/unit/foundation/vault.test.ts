import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { FileKeyProvider, Vault, type KeyProvider } from '../../../main/core/vault';

const dirs: string[] = [];
function profile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-vault-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function db(dir: string): Db {
  return openDatabase({ file: path.join(dir, 'pixdesk.sqlite'), migrations: appMigrations });
}

describe('Vault', () => {
  it('round-trips a secret and never stores the plaintext', () => {
    const dir = profile();
    const d = db(dir);
    const vault = Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm1' }));
    const blob = vault.seal('accounts', 'client_secret', 'row-1', 'segredo-super-secreto');
    expect(blob.includes(Buffer.from('segredo-super-secreto'))).toBe(false);
    expect(vault.openString('accounts', 'client_secret', 'row-1', blob)).toBe('segredo-super-secreto');
    d.close();
  });

  it('writes the device key file with mode 0600', () => {
    const dir = profile();
    const d = db(dir);
    Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm1' }));
    expect(fs.statSync(path.join(dir, 'device.key')).mode & 0o777).toBe(0o600);
    d.close();
  });

  it('fails clearly on tampered ciphertext', () => {
    const dir = profile();
    const d = db(dir);
    const vault = Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm1' }));
    const blob = vault.seal('t', 'c', '1', 'abc');
    blob.writeUInt8(blob.readUInt8(blob.length - 1) ^ 1, blob.length - 1);
    expect(() => vault.open('t', 'c', '1', blob)).toThrow(expect.objectContaining({ code: 'VAULT_DECRYPT' }));
    d.close();
  });

  it('does not open a ciphertext moved to another row or column', () => {
    const dir = profile();
    const d = db(dir);
    const vault = Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm1' }));
    const blob = vault.seal('accounts', 'client_secret', 'row-1', 'abc');
    expect(() => vault.open('accounts', 'client_secret', 'row-2', blob)).toThrow(/integridade/);
    expect(() => vault.open('accounts', 'private_key', 'row-1', blob)).toThrow(/integridade/);
    d.close();
  });

  it('does not open a profile copied to a machine with another id, and destroys nothing', () => {
    const dir = profile();
    const d = db(dir);
    const v1 = Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'machine-A' }));
    const blob = v1.seal('t', 'c', '1', 'abc');
    const before = d.prepare('SELECT wrapped_key FROM vault_meta').get() as { wrapped_key: Buffer };
    expect(() => Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'machine-B' }))).toThrow(
      expect.objectContaining({ code: 'VAULT_WRONG_DEVICE' }),
    );
    const after = d.prepare('SELECT wrapped_key FROM vault_meta').get() as { wrapped_key: Buffer };
    expect(after.wrapped_key.equals(before.wrapped_key)).toBe(true);
    // The right machine still opens it.
    const again = Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'machine-A' }));
    expect(again.openString('t', 'c', '1', blob)).toBe('abc');
    d.close();
  });

  it('fails with a clear error when the key file is replaced (wrong key)', () => {
    const dir = profile();
    const d = db(dir);
    Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm' }));
    fs.writeFileSync(path.join(dir, 'device.key'), 'ab'.repeat(32));
    expect(() => Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm' }))).toThrow(/não podem ser abertos/);
    expect(d.prepare('SELECT count(*) n FROM vault_meta').get()).toEqual({ n: 1 });
    d.close();
  });

  it('detects a change of key backend and only re-wraps when accepted', () => {
    const dir = profile();
    const d = db(dir);
    // A fake keychain: wraps with a reversible transform, for testing the recorded backend.
    const fake = (backend: string): KeyProvider => ({
      kind: 'safeStorage',
      backend,
      wrap: (k) => Buffer.from(k.toString('hex'), 'utf8'),
      unwrap: (w) => Buffer.from(w.toString('utf8'), 'hex'),
    });
    const v = Vault.open(d, fake('gnome_libsecret'));
    const blob = v.seal('t', 'c', '1', 'abc');
    expect(() => Vault.open(d, fake('kwallet5'))).toThrow(expect.objectContaining({ code: 'VAULT_BACKEND_CHANGED' }));
    const v2 = Vault.open(d, fake('kwallet5'), { acceptBackendChange: true });
    expect(v2.openString('t', 'c', '1', blob)).toBe('abc');
    expect(d.prepare('SELECT backend FROM vault_meta').get()).toEqual({ backend: 'kwallet5' });
    d.close();
  });

  it('rejects garbage blobs without throwing anything but the vault error', () => {
    const dir = profile();
    const d = db(dir);
    const v = Vault.open(d, new FileKeyProvider({ profileDir: dir, machineId: 'm' }));
    for (const g of [Buffer.alloc(0), Buffer.from([1]), Buffer.alloc(40, 7), Buffer.from('not a blob')]) {
      expect(() => v.open('t', 'c', '1', g)).toThrow(expect.objectContaining({ code: 'VAULT_DECRYPT' }));
    }
    d.close();
  });
});
