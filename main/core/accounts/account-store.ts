import crypto from 'node:crypto';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { Vault } from '../vault';
import type { CertificateFacts } from '../pki/csr';

export type Environment = 'sandbox' | 'production';

/** An account row without secrets. */
export interface AccountRow {
  id: string;
  name: string;
  environment: Environment;
  clientId: string;
  company: string;
  city: string;
  state: string;
  stsUrl: string | null;
  pixUrl: string | null;
  extraCaPem: string | null;
  renewalPath: 'v1' | 'v2';
  pixKeys: string[];
  isDefault: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A certificate version without its private key. */
export interface CertificateRow extends CertificateFacts {
  id: string;
  accountId: string;
  version: number;
  certPem: string;
  origin: 'onboarding' | 'renewal';
  createdAt: string;
}

/** Everything needed to call the bank as an account: only ever used inside main. */
export interface AccountCredentials {
  clientId: string;
  clientSecret: string;
  certPem: string;
  keyPem: string;
  certificate: CertificateRow;
}

/** What creating an account takes (the rest of {@link AccountRow} is set by the store). */
export type NewAccount = Omit<AccountRow, 'id' | 'isDefault' | 'active' | 'createdAt' | 'updatedAt'>;

type RawAccount = {
  id: string; name: string; environment: Environment; client_id: string; company: string; city: string; state: string;
  sts_url: string | null; pix_url: string | null; extra_ca_pem: string | null; renewal_path: 'v1' | 'v2'; pix_keys: string;
  is_default: number; active: number; created_at: string; updated_at: string;
};
type RawCert = {
  id: string; account_id: string; version: number; cert_pem: string; subject: string; serial: string; fingerprint256: string;
  not_before: string; not_after: string; origin: 'onboarding' | 'renewal'; created_at: string; issuer?: string;
};

const ACCOUNT_COLS = 'id, name, environment, client_id, company, city, state, sts_url, pix_url, extra_ca_pem, renewal_path, pix_keys, is_default, active, created_at, updated_at';
const HAS_CERT = 'EXISTS (SELECT 1 FROM certificates c WHERE c.account_id = accounts.id)';
const CERT_COLS = 'id, account_id, version, cert_pem, subject, serial, fingerprint256, not_before, not_after, origin, created_at';

function toAccount(r: RawAccount): AccountRow {
  return {
    id: r.id, name: r.name, environment: r.environment, clientId: r.client_id, company: r.company, city: r.city, state: r.state,
    stsUrl: r.sts_url, pixUrl: r.pix_url, extraCaPem: r.extra_ca_pem, renewalPath: r.renewal_path,
    pixKeys: JSON.parse(r.pix_keys) as string[], isDefault: r.is_default === 1, active: r.active === 1,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function toCert(r: RawCert): CertificateRow {
  return {
    id: r.id, accountId: r.account_id, version: r.version, certPem: r.cert_pem, subject: r.subject, serial: r.serial,
    fingerprint256: r.fingerprint256, notBefore: r.not_before, notAfter: r.not_after, origin: r.origin, createdAt: r.created_at,
    commonName: /CN=([^,]+)/.exec(r.subject)?.[1] ?? '', issuer: r.issuer ?? '',
  };
}

function notFound(): AppError {
  return new AppError('ACCOUNT_NOT_FOUND', 'Conta não encontrada. Atualize a lista de contas.');
}

/** Accounts and their certificate versions. Secrets go in and out only through the vault. */
export class AccountStore {
  constructor(private readonly db: Db, private readonly vault: Vault, private readonly now: () => Date = () => new Date()) {}

  /**
   * Accounts that can reach the bank: every account has a certificate from its onboarding, except one restored from a
   * backup (no key or secret is ever in a backup), which is listed by {@link awaitingOnboarding} until onboarded again.
   */
  list(): AccountRow[] {
    return (this.db.prepare(`SELECT ${ACCOUNT_COLS} FROM accounts WHERE ${HAS_CERT} ORDER BY is_default DESC, created_at`).all() as RawAccount[]).map(toAccount);
  }

  /** Accounts restored from a backup that wait for a new onboarding (same Client ID and environment) to work again. */
  awaitingOnboarding(): AccountRow[] {
    return (this.db.prepare(`SELECT ${ACCOUNT_COLS} FROM accounts WHERE NOT ${HAS_CERT} ORDER BY created_at`).all() as RawAccount[]).map(toAccount);
  }

  get(id: string): AccountRow {
    const r = this.db.prepare(`SELECT ${ACCOUNT_COLS} FROM accounts WHERE id = ?`).get(id) as RawAccount | undefined;
    if (!r) throw notFound();
    return toAccount(r);
  }

  findByClientId(clientId: string, environment: Environment): AccountRow | undefined {
    const r = this.db.prepare(`SELECT ${ACCOUNT_COLS} FROM accounts WHERE client_id = ? AND environment = ?`).get(clientId, environment) as RawAccount | undefined;
    return r ? toAccount(r) : undefined;
  }

  /** The default active account, if any. */
  defaultAccount(): AccountRow | undefined {
    const all = this.list();
    return all.find((a) => a.active && a.isDefault) ?? all.find((a) => a.active);
  }

  /**
   * Create an account with its first certificate and client secret, atomically. Must run inside the
   * caller's transaction when it is part of a larger step (onboarding does so).
   */
  create(a: NewAccount, cert: { certPem: string; keyPem: string; facts: CertificateFacts }, clientSecret: string): AccountRow {
    if (this.findByClientId(a.clientId, a.environment)) {
      throw new AppError('ACCOUNT_EXISTS', `Já existe uma conta com o Client ID ${a.clientId} neste ambiente.`);
    }
    const id = crypto.randomUUID();
    const at = this.now().toISOString();
    const first = this.db.prepare(`SELECT count(*) AS n FROM accounts WHERE active = 1 AND ${HAS_CERT}`).get() as { n: number };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO accounts (${ACCOUNT_COLS}, client_secret_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
        )
        .run(
          id, a.name, a.environment, a.clientId, a.company, a.city, a.state, a.stsUrl, a.pixUrl, a.extraCaPem, a.renewalPath,
          JSON.stringify(a.pixKeys), first.n === 0 ? 1 : 0, at, at, this.vault.seal('accounts', 'client_secret_enc', id, clientSecret),
        );
      this.addCertificate(id, cert, 'onboarding');
    })();
    return this.get(id);
  }

  /** Append a certificate version (never edits one). Returns the new version number. */
  addCertificate(accountId: string, cert: { certPem: string; keyPem: string; facts: CertificateFacts }, origin: 'onboarding' | 'renewal'): number {
    const certId = crypto.randomUUID();
    const row = this.db.prepare('SELECT coalesce(max(version), 0) AS v FROM certificates WHERE account_id = ?').get(accountId) as { v: number };
    const version = row.v + 1;
    const f = cert.facts;
    this.db
      .prepare(`INSERT INTO certificates (${CERT_COLS}, private_key_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        certId, accountId, version, cert.certPem, f.subject, f.serial, f.fingerprint256, f.notBefore, f.notAfter, origin,
        this.now().toISOString(), this.vault.seal('certificates', 'private_key_enc', certId, cert.keyPem),
      );
    return version;
  }

  /** The newest certificate version of an account. */
  currentCertificate(accountId: string): CertificateRow {
    const r = this.db.prepare(`SELECT ${CERT_COLS} FROM certificates WHERE account_id = ? ORDER BY version DESC LIMIT 1`).get(accountId) as RawCert | undefined;
    if (!r) throw new AppError('NO_CERTIFICATE', 'Esta conta não tem certificado. Refaça o onboarding.');
    return toCert(r);
  }

  certificates(accountId: string): CertificateRow[] {
    return (this.db.prepare(`SELECT ${CERT_COLS} FROM certificates WHERE account_id = ? ORDER BY version DESC`).all(accountId) as RawCert[]).map(toCert);
  }

  /** Decrypt what a bank call needs. Stays in main; never crosses the contract. */
  credentials(accountId: string): AccountCredentials {
    const acc = this.db.prepare('SELECT client_id, client_secret_enc FROM accounts WHERE id = ?').get(accountId) as { client_id: string; client_secret_enc: Buffer } | undefined;
    if (!acc) throw notFound();
    const cert = this.currentCertificate(accountId);
    const keyRow = this.db.prepare('SELECT private_key_enc FROM certificates WHERE id = ?').get(cert.id) as { private_key_enc: Buffer };
    return {
      clientId: acc.client_id,
      clientSecret: this.vault.openString('accounts', 'client_secret_enc', accountId, acc.client_secret_enc),
      keyPem: this.vault.openString('certificates', 'private_key_enc', cert.id, keyRow.private_key_enc),
      certPem: cert.certPem,
      certificate: cert,
    };
  }

  /** Replace the client secret (renewal may send a new one). */
  setClientSecret(accountId: string, secret: string): void {
    this.db.prepare('UPDATE accounts SET client_secret_enc = ?, updated_at = ? WHERE id = ?').run(
      this.vault.seal('accounts', 'client_secret_enc', accountId, secret), this.now().toISOString(), accountId,
    );
  }

  rename(id: string, name: string): AccountRow {
    this.get(id);
    this.db.prepare('UPDATE accounts SET name = ?, updated_at = ? WHERE id = ?').run(name, this.now().toISOString(), id);
    return this.get(id);
  }

  setDefault(id: string): AccountRow {
    const a = this.get(id);
    if (!a.active) throw new AppError('ACCOUNT_INACTIVE', 'Reative a conta antes de torná-la padrão.');
    this.db.transaction(() => {
      this.db.prepare('UPDATE accounts SET is_default = 0 WHERE is_default = 1').run();
      this.db.prepare('UPDATE accounts SET is_default = 1, updated_at = ? WHERE id = ?').run(this.now().toISOString(), id);
    })();
    return this.get(id);
  }

  setActive(id: string, active: boolean): AccountRow {
    const a = this.get(id);
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE accounts SET active = ?, is_default = CASE WHEN ? = 0 THEN 0 ELSE is_default END, updated_at = ? WHERE id = ?').run(active ? 1 : 0, active ? 1 : 0, at, id);
      // Deactivating the default hands the role to the oldest active account; reactivating into an empty role takes it.
      const hasDefault = this.db.prepare('SELECT 1 FROM accounts WHERE is_default = 1 AND active = 1').get();
      if (!hasDefault) {
        const next = active && !a.active ? { id } : (this.db.prepare('SELECT id FROM accounts WHERE active = 1 ORDER BY created_at LIMIT 1').get() as { id: string } | undefined);
        if (next) this.db.prepare('UPDATE accounts SET is_default = 1, updated_at = ? WHERE id = ?').run(at, next.id);
      }
    })();
    return this.get(id);
  }


  setPixKeys(id: string, keys: string[]): AccountRow {
    this.get(id);
    this.db.prepare('UPDATE accounts SET pix_keys = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(keys), this.now().toISOString(), id);
    return this.get(id);
  }
}
