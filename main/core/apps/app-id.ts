import crypto from 'node:crypto';
import type { Db } from '../db';
import type { Vault } from '../vault';

/*
 * AppIDs in OpenPix's form: base64 of `clientId:clientSecret`, sent raw as `Authorization: <AppID>`.
 * The secret carries 256 bits from the OS CSPRNG. Only HMAC-SHA256(k, AppID) is stored, with k a random key sealed
 * in the vault: a stolen database alone cannot be used to test guesses, and comparing is constant-time.
 */

const HMAC_KEY_NAME = 'appid-hmac';

/** A fresh client id (public, shown in lists) and secret (shown once inside the AppID). */
export function newCredentials(): { clientId: string; clientSecret: string } {
  return {
    clientId: `Client_Id_${crypto.randomUUID()}`,
    clientSecret: `Client_Secret_${crypto.randomBytes(32).toString('base64url')}`,
  };
}

/** base64(`clientId:clientSecret`). */
export function encodeAppId(clientId: string, clientSecret: string): string {
  return Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
}

const APP_ID_SHAPE = /^[A-Za-z0-9+/]{20,400}={0,2}$/;

/** The two halves of an AppID header value, or null when it is not one (never throws on hostile input). */
export function decodeAppId(header: unknown): { clientId: string; clientSecret: string } | null {
  if (typeof header !== 'string') return null;
  const raw = header.trim();
  if (!APP_ID_SHAPE.test(raw)) return null;
  const text = Buffer.from(raw, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) return null;
  const clientId = text.slice(0, i);
  const clientSecret = text.slice(i + 1);
  if (!/^Client_Id_[0-9a-f-]{36}$/.test(clientId) || !/^Client_Secret_[A-Za-z0-9_-]{43}$/.test(clientSecret)) return null;
  return { clientId, clientSecret };
}

/** Keyed hashing of AppIDs with the profile's vault-held HMAC key (created on first use). */
export class AppIdHasher {
  private key: Buffer | null = null;

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
  ) {}

  private hmacKey(): Buffer {
    if (this.key) return this.key;
    const row = this.db.prepare('SELECT sealed FROM api_keys WHERE name = ?').get(HMAC_KEY_NAME) as { sealed: Buffer } | undefined;
    if (row) {
      this.key = this.vault.open('api_keys', 'sealed', HMAC_KEY_NAME, row.sealed);
    } else {
      const k = crypto.randomBytes(32);
      this.db
        .prepare('INSERT OR IGNORE INTO api_keys (name, sealed, created_at) VALUES (?, ?, ?)')
        .run(HMAC_KEY_NAME, this.vault.seal('api_keys', 'sealed', HMAC_KEY_NAME, k), new Date().toISOString());
      // Another process may have won the race: always use what is stored.
      const stored = this.db.prepare('SELECT sealed FROM api_keys WHERE name = ?').get(HMAC_KEY_NAME) as { sealed: Buffer };
      this.key = this.vault.open('api_keys', 'sealed', HMAC_KEY_NAME, stored.sealed);
    }
    return this.key;
  }

  /** HMAC-SHA256 of `clientId:clientSecret`. */
  hash(clientId: string, clientSecret: string): Buffer {
    return crypto.createHmac('sha256', this.hmacKey()).update(`${clientId}:${clientSecret}`, 'utf8').digest();
  }

  /** Constant-time check of a presented secret against a stored hash. */
  matches(clientId: string, clientSecret: string, stored: Buffer): boolean {
    const h = this.hash(clientId, clientSecret);
    return stored.length === h.length && crypto.timingSafeEqual(h, stored);
  }
}
