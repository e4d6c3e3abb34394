import crypto from 'node:crypto';
import type { Db, Migration } from '../db';
import { AppError } from '../errors';
import type { KeyProvider } from './key-provider';

export { FileKeyProvider, readMachineId } from './key-provider';
export type { KeyProvider } from './key-provider';

const FORMAT = 1;
const CHECK_PLAINTEXT = Buffer.from('pixdesk-vault-check');

/** Schema of the vault's own table; included by the app's migration list. */
export const vaultMigration: Migration['up'] = (db) => {
  db.exec(`CREATE TABLE vault_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    provider TEXT NOT NULL,
    backend TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    key_check BLOB NOT NULL,
    created_at TEXT NOT NULL
  )`);
};

function aad(table: string, column: string, rowId: string): Buffer {
  return Buffer.from(`pixdesk:v${FORMAT}:${table}:${column}:${rowId}`, 'utf8');
}

/**
 * Envelope encryption for secret columns. A random 256-bit data key, wrapped by a device-bound
 * `KeyProvider`, encrypts each value with AES-256-GCM; the associated data names table, column and row,
 * so a ciphertext copied to another row or column does not open.
 */
export class Vault {
  private constructor(private readonly dataKey: Buffer) {}

  /**
   * Open (or create, on first use) the vault of a database. Refuses a provider/backend other than the
   * one recorded, unless `acceptBackendChange` is set (then the key is re-wrapped under the new one).
   */
  static open(db: Db, provider: KeyProvider, opts: { acceptBackendChange?: boolean } = {}): Vault {
    const row = db.prepare('SELECT provider, backend, wrapped_key, key_check FROM vault_meta WHERE id = 1').get() as
      | { provider: string; backend: string; wrapped_key: Buffer; key_check: Buffer }
      | undefined;
    if (!row) {
      const dataKey = crypto.randomBytes(32);
      const vault = new Vault(dataKey);
      const check = vault.seal('vault_meta', 'key_check', '1', CHECK_PLAINTEXT);
      db.prepare(
        'INSERT INTO vault_meta (id, provider, backend, wrapped_key, key_check, created_at) VALUES (1, ?, ?, ?, ?, ?)',
      ).run(provider.kind, provider.backend, provider.wrap(dataKey), check, new Date().toISOString());
      return vault;
    }
    const changed = row.provider !== provider.kind || row.backend !== provider.backend;
    if (changed && !opts.acceptBackendChange) {
      throw new AppError(
        'VAULT_BACKEND_CHANGED',
        `O cofre de chaves deste perfil foi criado com "${row.provider}/${row.backend}", mas agora o sistema oferece "${provider.kind}/${provider.backend}". Por segurança o PixDesk não abriu os segredos. Confirme a troca em Ajustes se ela for esperada.`,
      );
    }
    const dataKey = provider.unwrap(row.wrapped_key);
    const vault = new Vault(dataKey);
    let ok = false;
    try {
      ok = vault.open('vault_meta', 'key_check', '1', row.key_check).equals(CHECK_PLAINTEXT);
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new AppError(
        'VAULT_WRONG_KEY',
        'A chave do cofre não confere com este perfil: os segredos não podem ser abertos. Nada foi apagado; use o perfil na máquina em que foi criado.',
      );
    }
    if (changed) {
      db.prepare('UPDATE vault_meta SET provider = ?, backend = ?, wrapped_key = ? WHERE id = 1').run(
        provider.kind,
        provider.backend,
        provider.wrap(dataKey),
      );
    }
    return vault;
  }

  /** Encrypt a secret for (table, column, rowId). Output: format byte | iv(12) | tag(16) | ciphertext. */
  seal(table: string, column: string, rowId: string, plaintext: Buffer | string): Buffer {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.dataKey, iv);
    c.setAAD(aad(table, column, rowId));
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ct = Buffer.concat([c.update(data), c.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), iv, c.getAuthTag(), ct]);
  }

  /** Decrypt a value sealed for exactly this (table, column, rowId); throws VAULT_DECRYPT otherwise. */
  open(table: string, column: string, rowId: string, blob: Buffer): Buffer {
    if (!Buffer.isBuffer(blob) || blob.length < 29 || blob[0] !== FORMAT) {
      throw decryptError(table, column);
    }
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', this.dataKey, blob.subarray(1, 13));
      d.setAAD(aad(table, column, rowId));
      d.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([d.update(blob.subarray(29)), d.final()]);
    } catch {
      throw decryptError(table, column);
    }
  }

  /** Convenience for UTF-8 secrets. */
  openString(table: string, column: string, rowId: string, blob: Buffer): string {
    return this.open(table, column, rowId, blob).toString('utf8');
  }
}

function decryptError(table: string, column: string): AppError {
  return new AppError(
    'VAULT_DECRYPT',
    `Um segredo guardado (${table}.${column}) não passou na verificação de integridade: foi alterado ou movido. Nada foi apagado; refaça o onboarding desta conta se o problema continuar.`,
  );
}
