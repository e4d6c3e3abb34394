import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SafeStorage } from 'electron';
import { SafeStorageKeyProvider } from '../../../main/electron/safe-storage-key';
import { FakeSafeStorage } from './fake-electron';

// safe-storage-key.ts only imports electron's types: no module mock needed, the keychain is passed in.
const asSafeStorage = (f: FakeSafeStorage): SafeStorage => f as unknown as SafeStorage;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('SafeStorageKeyProvider', () => {
  it('refuses to work when the OS offers no encryption', () => {
    expect(codeOf(() => new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(false)), 'linux', true))).toBe('KEYCHAIN_UNAVAILABLE');
    expect(codeOf(() => new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(false)), 'darwin', false))).toBe('KEYCHAIN_UNAVAILABLE');
  });

  it('refuses Linux basic_text unless the person accepted it', () => {
    const basic = asSafeStorage(new FakeSafeStorage(true, 'basic_text'));
    expect(codeOf(() => new SafeStorageKeyProvider(basic, 'linux', false))).toBe('KEYCHAIN_BASIC_TEXT');
    expect(new SafeStorageKeyProvider(basic, 'linux', true).backend).toBe('basic_text');
  });

  it('records the backend: the Linux keyring by name, the platform elsewhere', () => {
    expect(new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(true, 'gnome_libsecret')), 'linux', false).backend).toBe('gnome_libsecret');
    expect(new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(true, 'kwallet5')), 'linux', false).backend).toBe('kwallet5');
    const mac = new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(true, 'unknown')), 'darwin', false);
    expect(mac.backend).toBe('darwin');
    expect(mac.kind).toBe('safeStorage');
    expect(new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(true, 'unknown')), 'win32', false).backend).toBe('win32');
  });

  it('wraps the data key so only the same keychain unwraps it', () => {
    const keychain = new FakeSafeStorage(true, 'gnome_libsecret');
    const provider = new SafeStorageKeyProvider(asSafeStorage(keychain), 'linux', false);
    const dataKey = crypto.randomBytes(32);
    const wrapped = provider.wrap(dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(wrapped.includes(Buffer.from(dataKey.toString('base64')))).toBe(false);
    expect(provider.unwrap(wrapped).equals(dataKey)).toBe(true);

    const other = new SafeStorageKeyProvider(asSafeStorage(new FakeSafeStorage(true, 'gnome_libsecret')), 'linux', false);
    expect(codeOf(() => other.unwrap(wrapped))).toBe('VAULT_WRONG_DEVICE');
    const tampered = Buffer.from(wrapped);
    tampered[tampered.length - 1]! ^= 1;
    expect(codeOf(() => provider.unwrap(tampered))).toBe('VAULT_WRONG_DEVICE');
  });
});
