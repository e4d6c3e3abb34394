import crypto from 'node:crypto';
import { AppError } from '../errors';
import type { KeyProvider } from './key-provider';

/** The part of @napi-rs/keyring's `Entry` we use (tests inject a fake: no keychain runs under CI). */
export interface KeychainEntry {
  getPassword(): string | null;
  setPassword(password: string): void;
  deletePassword(): boolean;
}

export type KeychainEntryFactory = (service: string, account: string) => KeychainEntry;

const SERVICE = 'PixDesk';
const VERSION = 1;
const ACCOUNT = 16;

/** The OS keychain from Node: macOS Keychain, Windows Credential Manager (DPAPI), Secret Service on Linux. */
export function systemKeychain(): KeychainEntryFactory {
  // Loaded lazily: a native module that only the Node shells (CLI, browser host) need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Entry } = require('@napi-rs/keyring') as { Entry: new (service: string, account: string) => KeychainEntry };
  return (service, account) => new Entry(service, account);
}

/** Name of the backend for this platform, as recorded in the profile and shown in Ajustes. */
export function keychainBackend(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'macos-keychain' : platform === 'win32' ? 'windows-credential-manager' : 'secret-service';
}

/**
 * Whether a keychain answers here: write, read back and delete a probe entry. A read alone is not enough —
 * without a Secret Service, reading can answer "nothing stored" while writing fails with AccessDenied.
 */
export function keychainReachable(entry: KeychainEntryFactory): boolean {
  const probe = `probe-${crypto.randomBytes(8).toString('hex')}`;
  try {
    const e = entry(SERVICE, probe);
    e.setPassword('ok');
    const ok = e.getPassword() === 'ok';
    e.deletePassword();
    return ok;
  } catch {
    return false;
  }
}

/**
 * Key provider over the OS keychain. Each wrap stores a fresh random 256-bit wrapping key under its own account
 * name ("vault-<hex>"), which the wrapped blob carries; the blob is useless without that keychain entry, which
 * the OS releases only to this user on this machine.
 */
export class KeychainKeyProvider implements KeyProvider {
  readonly kind = 'keychain';
  readonly backend: string;

  constructor(private readonly entry: KeychainEntryFactory, platform: NodeJS.Platform = process.platform) {
    this.backend = keychainBackend(platform);
  }

  wrap(dataKey: Buffer): Buffer {
    const account = crypto.randomBytes(ACCOUNT);
    const key = crypto.randomBytes(32);
    try {
      const e = this.entry(SERVICE, `vault-${account.toString('hex')}`);
      e.setPassword(key.toString('base64'));
      if (e.getPassword() !== key.toString('base64')) throw new Error('read-back mismatch');
    } catch {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'O chaveiro do sistema não aceitou guardar a chave do PixDesk. Desbloqueie o chaveiro da sessão e tente de novo.');
    }
    const header = Buffer.concat([Buffer.from([VERSION]), account]);
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(header);
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([header, iv, c.getAuthTag(), ct]);
  }

  unwrap(wrapped: Buffer): Buffer {
    if (wrapped.length < 1 + ACCOUNT + 28 || wrapped[0] !== VERSION) throw this.wrongDevice();
    const header = wrapped.subarray(0, 1 + ACCOUNT);
    let stored: string | null;
    try {
      stored = this.entry(SERVICE, `vault-${header.subarray(1).toString('hex')}`).getPassword();
    } catch {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'O chaveiro do sistema não respondeu. Desbloqueie o chaveiro da sessão e abra o PixDesk de novo. Nada foi apagado.');
    }
    if (!stored) throw this.wrongDevice();
    try {
      const body = wrapped.subarray(1 + ACCOUNT);
      const d = crypto.createDecipheriv('aes-256-gcm', Buffer.from(stored, 'base64'), body.subarray(0, 12));
      d.setAAD(header);
      d.setAuthTag(body.subarray(12, 28));
      return Buffer.concat([d.update(body.subarray(28)), d.final()]);
    } catch {
      throw this.wrongDevice();
    }
  }

  private wrongDevice(): AppError {
    return new AppError(
      'VAULT_WRONG_DEVICE',
      'O chaveiro do sistema não tem a chave deste perfil (outro usuário, outra máquina, ou a entrada "PixDesk" foi apagada do chaveiro). Nada foi apagado do perfil.',
    );
  }
}
