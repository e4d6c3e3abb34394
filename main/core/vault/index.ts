import crypto from 'node:crypto';
import type { Db, Migration } from '../db';
import { AppError } from '../errors';
import type { KeyProvider } from './key-provider';

export { FileKeyProvider, readMachineId } from './key-provider';
export type { KeyProvider } from './key-provider';
export { PasswordKeyProvider, MIN_PASSWORD_LENGTH, STRONG_SCRYPT, type ScryptCost } from './password-provider';
export { KeychainKeyProvider, keychainReachable, keychainBackend, systemKeychain, type KeychainEntry, type KeychainEntryFactory } from './keychain-provider';

/** Which provider and backend protect a profile's data key (recorded beside the wrapped key). */
export interface RecordedBackend {
  kind: string;
  backend: string;
}

/** The backend recorded in a database's vault, or null when the vault was never created. */
export function readVaultBackend(db: Db): RecordedBackend | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vault_meta'").get();
  if (!hasTable) return null;
  const row = db.prepare('SELECT provider, backend FROM vault_meta WHERE id = 1').get() as { provider: string; backend: string } | undefined;
  return row ? { kind: row.provider, backend: row.backend } : null;
}

/**
 * True when some table holds a sealed secret (a non-empty `*_enc` column). A vault whose meta row is gone must
 * then never mint a new data key: the old secrets would become unreadable behind a key that "works".
 */
export function hasSealedData(db: Db): boolean {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  for (const { name } of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all() as { name: string }[]).filter((c) => c.name.endsWith('_enc'));
    for (const c of cols) {
      const q = `SELECT 1 FROM "${name.replace(/"/g, '""')}" WHERE "${c.name.replace(/"/g, '""')}" IS NOT NULL AND length("${c.name.replace(/"/g, '""')}") > 0 LIMIT 1`;
      if (db.prepare(q).get()) return true;
    }
  }
  return false;
}

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
  private constructor(
    /** Replaced only by {@link rotateDataKey}, after its transaction committed. */
    private dataKey: Buffer,
    /** The provider and backend that protect this vault now. */
    readonly backend: RecordedBackend,
  ) {}

  /**
   * Open (or create, on first use) the vault of a database. Refuses a provider/backend other than the one
   * recorded. A change of backend is a migration: with `acceptBackendChange`, the recorded wrapping is opened by
   * `previous` — the provider that made it (a new provider cannot read another's wrapping) — checked, and only
   * then re-wrapped under `provider`. Without a previous provider able to open it, nothing is changed.
   */
  static open(db: Db, provider: KeyProvider, opts: { acceptBackendChange?: boolean; previous?: KeyProvider | null } = {}): Vault {
    const row = db.prepare('SELECT provider, backend, wrapped_key, key_check FROM vault_meta WHERE id = 1').get() as
      | { provider: string; backend: string; wrapped_key: Buffer; key_check: Buffer }
      | undefined;
    if (!row) {
      if (hasSealedData(db)) {
        throw new AppError(
          'VAULT_META_MISSING',
          'O registro da chave do cofre sumiu deste perfil, mas ele ainda guarda segredos (contas, certificados ou cadastros). O PixDesk não cria uma chave nova por cima: os segredos antigos ficariam ilegíveis. Nada foi alterado; restaure o arquivo pixdesk.sqlite de um backup desta máquina.',
        );
      }
      const dataKey = crypto.randomBytes(32);
      const vault = new Vault(dataKey, { kind: provider.kind, backend: provider.backend });
      const check = vault.seal('vault_meta', 'key_check', '1', CHECK_PLAINTEXT);
      db.prepare(
        'INSERT INTO vault_meta (id, provider, backend, wrapped_key, key_check, created_at) VALUES (1, ?, ?, ?, ?, ?)',
      ).run(provider.kind, provider.backend, provider.wrap(dataKey), check, new Date().toISOString());
      return vault;
    }
    const recorded = { kind: row.provider, backend: row.backend };
    const changed = row.provider !== provider.kind || row.backend !== provider.backend;
    if (changed && !opts.acceptBackendChange) {
      throw new AppError(
        'VAULT_BACKEND_CHANGED',
        `O cofre de chaves deste perfil foi criado com "${row.provider}/${row.backend}", mas agora o sistema oferece "${provider.kind}/${provider.backend}". Por segurança o PixDesk não abriu os segredos. Confirme a troca em Ajustes se ela for esperada.`,
        { recordedKind: row.provider, recordedBackend: row.backend },
      );
    }
    const opener = changed ? opts.previous : provider;
    if (!opener || opener.kind !== row.provider || opener.backend !== row.backend) {
      throw new AppError(
        'VAULT_BACKEND_UNREACHABLE',
        `A chave deste perfil está protegida por "${row.provider}/${row.backend}", que não está acessível agora; só essa proteção abre a chave, então o perfil não pode ser aberto com "${provider.kind}/${provider.backend}". Nada foi apagado: abra o PixDesk onde "${row.provider}/${row.backend}" funciona para trocar a proteção.`,
      );
    }
    const dataKey = opener.unwrap(row.wrapped_key);
    const vault = new Vault(dataKey, changed ? { kind: provider.kind, backend: provider.backend } : recorded);
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
      // Wrap under the new provider and prove it opens before the old wrapping is replaced.
      const wrapped = provider.wrap(dataKey);
      if (!provider.unwrap(wrapped).equals(dataKey)) {
        throw new AppError('VAULT_REWRAP', 'A nova proteção da chave não conferiu. Nada foi alterado.');
      }
      db.prepare('UPDATE vault_meta SET provider = ?, backend = ?, wrapped_key = ? WHERE id = 1').run(provider.kind, provider.backend, wrapped);
    }
    return vault;
  }

  /**
   * Move a profile's data key from the provider that protects it to another (file → password, a new password, …):
   * `from` must open the recorded wrapping; `to` wraps it, is proven to open it, and only then replaces it.
   */
  static migrate(db: Db, from: KeyProvider, to: KeyProvider): Vault {
    const current = Vault.open(db, from);
    const wrapped = to.wrap(current.dataKey);
    if (!to.unwrap(wrapped).equals(current.dataKey)) {
      throw new AppError('VAULT_REWRAP', 'A nova proteção da chave não conferiu. Nada foi alterado.');
    }
    db.prepare('UPDATE vault_meta SET provider = ?, backend = ?, wrapped_key = ? WHERE id = 1').run(to.kind, to.backend, wrapped);
    return new Vault(current.dataKey, { kind: to.kind, backend: to.backend });
  }

  /**
   * Rotate the data key: a new random key re-encrypts every sealed value (every non-empty `*_enc` column, whose
   * associated data names the row by its `id`), the vault's check value and the wrapping under `provider` (the one
   * that protects the profile now), all in ONE transaction. Any value that does not open, or a sealed column in a
   * table without `id`, aborts it and nothing changes. Afterwards this same Vault object (shared by every service)
   * uses the new key.
   */
  rotateDataKey(db: Db, provider: KeyProvider): { columns: number; values: number } {
    const next = crypto.randomBytes(32);
    const fresh = new Vault(next, this.backend);
    const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
    let columns = 0;
    let values = 0;
    db.transaction(() => {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
      for (const { name } of tables) {
        const info = db.prepare(`PRAGMA table_info(${q(name)})`).all() as { name: string; pk: number }[];
        // Sealed columns are named `*_enc` (or `sealed` in the API's key table); the row id bound into each one's
        // associated data is the table's single-column primary key.
        const sealed = info.filter((c) => c.name.endsWith('_enc') || c.name === 'sealed').map((c) => c.name);
        if (sealed.length === 0) continue;
        const pks = info.filter((c) => c.pk > 0);
        if (pks.length !== 1) {
          throw new AppError('VAULT_ROTATE', `A tabela ${name} guarda segredos sem uma chave primária simples: a chave não foi trocada. Nada foi alterado.`);
        }
        const pk = q(pks[0]!.name);
        // Immutability triggers (certificate versions) guard the row's meaning, not its ciphertext: they step aside
        // for the re-encryption only, inside this transaction, and are put back before it commits.
        const guards = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND sql LIKE '%BEFORE UPDATE%'").all(name) as { name: string; sql: string }[];
        for (const g of guards) db.exec(`DROP TRIGGER ${q(g.name)}`);
        for (const col of sealed) {
          columns++;
          const rows = db.prepare(`SELECT ${pk} AS id, ${q(col)} AS v FROM ${q(name)} WHERE ${q(col)} IS NOT NULL AND length(${q(col)}) > 0`).all() as { id: unknown; v: Buffer }[];
          const put = db.prepare(`UPDATE ${q(name)} SET ${q(col)} = ? WHERE ${pk} = ?`);
          for (const r of rows) {
            const rowId = String(r.id);
            put.run(fresh.seal(name, col, rowId, this.open(name, col, rowId, r.v)), r.id);
            values++;
          }
        }
        for (const g of guards) db.exec(g.sql);
      }
      const wrapped = provider.wrap(next);
      if (!provider.unwrap(wrapped).equals(next)) throw new AppError('VAULT_REWRAP', 'A nova proteção da chave não conferiu. Nada foi alterado.');
      db.prepare('UPDATE vault_meta SET wrapped_key = ?, key_check = ? WHERE id = 1').run(wrapped, fresh.seal('vault_meta', 'key_check', '1', CHECK_PLAINTEXT));
    })();
    // Not zeroed: another Vault made by migrate() may share the old buffer until it is dropped.
    this.dataKey = next;
    return { columns, values };
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
