import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { AppError } from '../../../main/core/errors';
import { FileKeyProvider, PasswordKeyProvider, Vault, type KeyProvider } from '../../../main/core/vault';

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

  /**
   * Fakes that behave like real backends: each holds its own random key, so none can open another's wrapping
   * (the old fake opened anything, which is how "accept the new backend" looked fine while it could never work).
   */
  const keychain = (kind: string, backend: string): KeyProvider => {
    const key = crypto.randomBytes(32);
    return {
      kind,
      backend,
      wrap: (k) => {
        const iv = crypto.randomBytes(12);
        const c = crypto.createCipheriv('aes-256-gcm', key, iv);
        const ct = Buffer.concat([c.update(k), c.final()]);
        return Buffer.concat([iv, c.getAuthTag(), ct]);
      },
      unwrap: (w) => {
        try {
          const d = crypto.createDecipheriv('aes-256-gcm', key, w.subarray(0, 12));
          d.setAuthTag(w.subarray(12, 28));
          return Buffer.concat([d.update(w.subarray(28)), d.final()]);
        } catch {
          throw new AppError('VAULT_WRONG_DEVICE', `${backend} não abre esta chave`);
        }
      },
    };
  };

  it('detects a change of key backend and refuses it unless accepted', () => {
    const dir = profile();
    const d = db(dir);
    const gnome = keychain('safeStorage', 'gnome_libsecret');
    Vault.open(d, gnome);
    expect(() => Vault.open(d, keychain('safeStorage', 'kwallet5'))).toThrow(expect.objectContaining({ code: 'VAULT_BACKEND_CHANGED' }));
    // The fakes really cannot read each other's wrapping.
    const row = d.prepare('SELECT wrapped_key FROM vault_meta').get() as { wrapped_key: Buffer };
    expect(() => keychain('safeStorage', 'kwallet5').unwrap(row.wrapped_key)).toThrow(/não abre/);
    d.close();
  });

  it('a backend switch is a migration: the old provider opens the old wrapping, the new one re-wraps it', () => {
    const dir = profile();
    const d = db(dir);
    const gnome = keychain('safeStorage', 'gnome_libsecret');
    const kwallet = keychain('safeStorage', 'kwallet5');
    const blob = Vault.open(d, gnome).seal('t', 'c', '1', 'abc');
    const v2 = Vault.open(d, kwallet, { acceptBackendChange: true, previous: gnome });
    expect(v2.openString('t', 'c', '1', blob)).toBe('abc');
    expect(v2.backend).toEqual({ kind: 'safeStorage', backend: 'kwallet5' });
    expect(d.prepare('SELECT backend FROM vault_meta').get()).toEqual({ backend: 'kwallet5' });
    // From now on the new backend opens it on its own, and the old one is the "changed" one.
    expect(Vault.open(d, kwallet).openString('t', 'c', '1', blob)).toBe('abc');
    expect(() => Vault.open(d, gnome)).toThrow(expect.objectContaining({ code: 'VAULT_BACKEND_CHANGED' }));
    // Node shells: key file → admin password with Vault.migrate, the same path.
    const file = new FileKeyProvider({ profileDir: dir, machineId: 'm' });
    const d2 = db(profile());
    const sealed = Vault.open(d2, file).seal('t', 'c', '1', 'xyz');
    const pw = new PasswordKeyProvider('frase longa do caixa', { log2N: 10, r: 8, p: 1 });
    expect(Vault.migrate(d2, file, pw).openString('t', 'c', '1', sealed)).toBe('xyz');
    expect(Vault.open(d2, pw).openString('t', 'c', '1', sealed)).toBe('xyz');
    d.close();
    d2.close();
  });

  it('accepting a new backend without the old one explains why it cannot open and destroys nothing', () => {
    const dir = profile();
    const d = db(dir);
    const gnome = keychain('safeStorage', 'gnome_libsecret');
    const blob = Vault.open(d, gnome).seal('t', 'c', '1', 'abc');
    const before = d.prepare('SELECT provider, backend, wrapped_key FROM vault_meta').get();
    const kwallet = keychain('safeStorage', 'kwallet5');
    for (const previous of [undefined, kwallet, keychain('safeStorage', 'gnome_libsecret')]) {
      let err: unknown;
      try {
        Vault.open(d, kwallet, { acceptBackendChange: true, previous: previous ?? null });
      } catch (e) {
        err = e;
      }
      // No previous (or one of another backend): unreachable. Same backend name but another key: wrong device.
      expect(err).toMatchObject({ code: previous && previous.backend === 'gnome_libsecret' ? 'VAULT_WRONG_DEVICE' : 'VAULT_BACKEND_UNREACHABLE' });
      if (!previous) expect((err as Error).message).toMatch(/gnome_libsecret.*não está acessível.*Nada foi apagado/s);
    }
    expect(d.prepare('SELECT provider, backend, wrapped_key FROM vault_meta').get()).toEqual(before);
    expect(Vault.open(d, gnome).openString('t', 'c', '1', blob)).toBe('abc');
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
