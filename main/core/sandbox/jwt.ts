import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateRsaKeyPem } from './ca';
import { withDirLock, writePrivateFile } from './util';

/*
 * JWTs of the sandbox STS (temporary tokens and access tokens), RS256 with a key kept in
 * `<profile>/sandbox/jwt.key` (mode 0600). It is a TEST credential: it signs nothing outside the sandbox.
 */

/** Claims the sandbox puts in its tokens. `typ` keeps a temporary token from being used as an access token. */
export interface SandboxClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  typ: 'temporary' | 'access';
  scope?: string;
  client_id?: string;
}

/** Result of checking a token. Expired tokens still return their claims (to tell "expired" from "forged"). */
export type JwtCheck =
  | { ok: true; claims: SandboxClaims }
  | { ok: false; reason: 'malformed' | 'signature' }
  | { ok: false; reason: 'expired'; claims: SandboxClaims };

export const SANDBOX_ISSUER = 'https://sts.sandbox.pixdesk.local';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Signs and verifies the sandbox's RS256 JWTs. */
export class JwtSigner {
  private readonly kid: string;
  private readonly publicKey: crypto.KeyObject;

  private constructor(private readonly privateKey: crypto.KeyObject) {
    this.publicKey = crypto.createPublicKey(privateKey);
    const spki = this.publicKey.export({ type: 'spki', format: 'der' });
    this.kid = crypto.createHash('sha256').update(spki).digest('hex').slice(0, 16);
  }

  /** Load the profile's signing key, creating it (under a cross-process lock) on first use. */
  static loadOrCreate(sandboxDir: string): JwtSigner {
    const keyFile = path.join(sandboxDir, 'jwt.key');
    if (!fs.existsSync(keyFile)) {
      withDirLock(sandboxDir, 'jwt', () => {
        if (!fs.existsSync(keyFile)) writePrivateFile(keyFile, generateRsaKeyPem());
      });
    }
    return new JwtSigner(crypto.createPrivateKey(fs.readFileSync(keyFile, 'utf8')));
  }

  /** A compact JWS over `payload` (used for tokens and for the payload served at a charge's location). */
  signJws(payload: object, typ = 'JWT'): string {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ, kid: this.kid }));
    const body = b64url(JSON.stringify(payload));
    const sig = crypto.sign('sha256', Buffer.from(`${header}.${body}`), this.privateKey);
    return `${header}.${body}.${b64url(sig)}`;
  }

  /** Sign sandbox claims as a JWT. */
  sign(claims: SandboxClaims): string {
    return this.signJws(claims);
  }

  /** Verify signature (RS256 only: `alg: none` and HS256 tricks are refused) and expiry against `now`. */
  verify(token: string, now: Date): JwtCheck {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, reason: 'malformed' };
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: unknown };
    let claims: SandboxClaims;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown };
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as SandboxClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (header.alg !== 'RS256') return { ok: false, reason: 'signature' };
    const valid = crypto.verify('sha256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url'));
    if (!valid) return { ok: false, reason: 'signature' };
    if (typeof claims !== 'object' || claims === null || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }
}
