import crypto from 'node:crypto';
import { AppError } from '../errors';
import type { KeyProvider } from './key-provider';

/** scrypt cost. The default follows current guidance for interactive unlocks (N=2^17, r=8, p=1: 128 MiB). */
export interface ScryptCost {
  log2N: number;
  r: number;
  p: number;
}

export const STRONG_SCRYPT: ScryptCost = { log2N: 17, r: 8, p: 1 };
/** Smallest password accepted when a profile is protected (or re-protected) with one. */
export const MIN_PASSWORD_LENGTH = 10;

const VERSION = 1;
const HEADER = 4; // version, log2N, r, p
const SALT = 16;

function derive(password: string, salt: Buffer, c: ScryptCost): Buffer {
  // Bounds keep a tampered header from asking for gigabytes or minutes.
  if (c.log2N < 10 || c.log2N > 20 || c.r < 1 || c.r > 16 || c.p < 1 || c.p > 4) {
    throw new AppError('VAULT_PASSWORD_FORMAT', 'A proteção por senha deste perfil está num formato desconhecido. Nada foi alterado.');
  }
  const N = 2 ** c.log2N;
  return crypto.scryptSync(password.normalize('NFC'), salt, 32, { N, r: c.r, p: c.p, maxmem: 256 * N * c.r + 1024 * 1024 });
}

/**
 * Unlocking with the admin password, for kiosks and machines without an OS keychain: the data key is wrapped under
 * scrypt(password, random salt) with AES-256-GCM (header authenticated). The password is never stored — only this
 * object holds it, for as long as the profile is open — so a copied profile folder opens only with the password.
 */
export class PasswordKeyProvider implements KeyProvider {
  readonly kind = 'password';
  readonly backend = 'scrypt';

  constructor(private readonly password: string, private readonly cost: ScryptCost = STRONG_SCRYPT) {}

  wrap(dataKey: Buffer): Buffer {
    if (this.password.length < MIN_PASSWORD_LENGTH) {
      throw new AppError('VAULT_PASSWORD_WEAK', `A senha de administrador precisa ter pelo menos ${MIN_PASSWORD_LENGTH} caracteres. Escolha uma frase mais longa.`);
    }
    const header = Buffer.from([VERSION, this.cost.log2N, this.cost.r, this.cost.p]);
    const salt = crypto.randomBytes(SALT);
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', derive(this.password, salt, this.cost), iv);
    c.setAAD(Buffer.concat([header, salt]));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([header, salt, iv, c.getAuthTag(), ct]);
  }

  unwrap(wrapped: Buffer): Buffer {
    if (wrapped.length < HEADER + SALT + 28 || wrapped[0] !== VERSION) {
      throw new AppError('VAULT_PASSWORD_FORMAT', 'A proteção por senha deste perfil está num formato desconhecido. Nada foi alterado.');
    }
    const cost = { log2N: wrapped[1]!, r: wrapped[2]!, p: wrapped[3]! };
    const salt = wrapped.subarray(HEADER, HEADER + SALT);
    const body = wrapped.subarray(HEADER + SALT);
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', derive(this.password, salt, cost), body.subarray(0, 12));
      d.setAAD(wrapped.subarray(0, HEADER + SALT));
      d.setAuthTag(body.subarray(12, 28));
      return Buffer.concat([d.update(body.subarray(28)), d.final()]);
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('VAULT_WRONG_PASSWORD', 'Senha de administrador incorreta: os segredos deste perfil não foram abertos. Nada foi alterado; tente de novo.');
    }
  }
}
