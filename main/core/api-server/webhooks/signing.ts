import crypto from 'node:crypto';
import type { Db } from '../../db';
import type { Vault } from '../../vault';

/*
 * Webhook signatures as OpenPix makes them: `x-webhook-signature` is base64 RSA-SHA256 of the raw body under the
 * profile's own RSA-2048 key (made on first use, private half sealed in the vault, public half served at
 * /api/v1/webhook/public-keys); `X-OpenPix-Signature` is base64 HMAC-SHA1 of the raw body under the webhook's secret.
 */

export interface PublicKeyView {
  key_identifier: string;
  is_current: boolean;
  /** base64 of the PEM (SPKI), the form OpenPix publishes its key in. */
  key: string;
}

/** The profile's webhook signing keys. */
export class WebhookKeys {
  private current: { id: string; key: crypto.KeyObject } | null = null;

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
  ) {}

  /** The current signing key, created (and stored sealed) when there is none yet. */
  private signingKey(): { id: string; key: crypto.KeyObject } {
    if (this.current) return this.current;
    let row = this.db.prepare('SELECT key_identifier, private_enc FROM webhook_keys WHERE is_current = 1').get() as { key_identifier: string; private_enc: Buffer } | undefined;
    if (!row) {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      const id = crypto.createHash('sha256').update(spki).digest('base64url').slice(0, 22);
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      this.db.transaction(() => {
        // Another process may have made one meanwhile: keep the first.
        if (this.db.prepare('SELECT 1 FROM webhook_keys WHERE is_current = 1').get()) return;
        this.db
          .prepare('INSERT INTO webhook_keys (key_identifier, public_pem, private_enc, is_current, created_at) VALUES (?, ?, ?, 1, ?)')
          .run(id, publicKey.export({ type: 'spki', format: 'pem' }) as string, this.vault.seal('webhook_keys', 'private_enc', id, pem), new Date().toISOString());
      })();
      row = this.db.prepare('SELECT key_identifier, private_enc FROM webhook_keys WHERE is_current = 1').get() as { key_identifier: string; private_enc: Buffer };
    }
    const pem = this.vault.openString('webhook_keys', 'private_enc', row.key_identifier, row.private_enc);
    this.current = { id: row.key_identifier, key: crypto.createPrivateKey(pem) };
    return this.current;
  }

  /** base64 RSA-SHA256 (PKCS#1 v1.5) of the raw body, and the id of the key that made it. */
  sign(body: string): { signature: string; keyId: string } {
    const k = this.signingKey();
    return { signature: crypto.sign('sha256', Buffer.from(body, 'utf8'), k.key).toString('base64'), keyId: k.id };
  }

  /** Every public key, current first (old ones stay listed so receivers can verify deliveries already sent). */
  publicKeys(): PublicKeyView[] {
    this.signingKey();
    const rows = this.db.prepare('SELECT key_identifier, public_pem, is_current FROM webhook_keys ORDER BY is_current DESC, created_at DESC').all() as {
      key_identifier: string;
      public_pem: string;
      is_current: number;
    }[];
    return rows.map((r) => ({ key_identifier: r.key_identifier, is_current: r.is_current === 1, key: Buffer.from(r.public_pem, 'utf8').toString('base64') }));
  }
}

/** base64 HMAC-SHA1 of the raw body under a webhook's own secret (`X-OpenPix-Signature`). */
export function hmacSignature(secret: string, body: string): string {
  return crypto.createHmac('sha1', secret).update(body, 'utf8').digest('base64');
}
