import crypto from 'node:crypto';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { IssuedCertificate } from './ca';
import { SANDBOX_ISSUER, type JwtSigner, type SandboxClaims } from './jwt';
import { sha256Hex } from './util';

/** A temporary token as the account manager would e-mail it. */
export interface IssuedToken {
  clientId: string;
  /** The JWT. A secret: never log it. */
  token: string;
  expiresAt: Date;
}

/** A certificate row, looked up by fingerprint on every mTLS request. */
export interface CertificateRecord {
  serial: string;
  fingerprint256: string;
  clientId: string;
  notBeforeMs: number;
  notAfterMs: number;
  revokedMs: number | null;
}

/** Merchant data taken from the subject of the client's first certificate (OU, L, ST). */
export interface ClientInfo {
  clientId: string;
  merchantName: string | null;
  merchantCity: string | null;
  merchantUf: string | null;
}

export type TempTokenCheck =
  | { ok: true; clientId: string; jti: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' };

export type AccessTokenCheck = { ok: true; clientId: string; claims: SandboxClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** Scopes granted to every sandbox client (Itaú grants what the contract lists; the sandbox grants the Pix set). */
export const SANDBOX_SCOPES = 'cob.read cob.write cobv.read cobv.write pix.read pix.write webhook.read webhook.write';
/** Access tokens live 300 s, as Itaú's do. */
export const ACCESS_TOKEN_TTL_S = 300;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Persistence of the STS: clients, temporary tokens, client secrets, certificates, access tokens. */
export class StsStore {
  constructor(
    private readonly db: Db,
    private readonly jwt: JwtSigner,
    private readonly now: () => Date,
  ) {}

  private ensureClient(clientId: string): void {
    this.db
      .prepare('INSERT INTO clients (client_id, created_ms) VALUES (?, ?) ON CONFLICT(client_id) DO NOTHING')
      .run(clientId, this.now().getTime());
  }

  /** Record and sign a new single-use temporary token (`sub` = Client ID, default validity 7 days). */
  issueTemporaryToken(opts: { clientId?: string; validHours?: number } = {}): IssuedToken {
    const clientId = (opts.clientId ?? crypto.randomUUID()).toLowerCase();
    if (!UUID.test(clientId)) throw new AppError('SANDBOX_CLIENT_ID', 'O Client ID deve ser um UUID (ex.: 3f2a…-…).');
    const validHours = opts.validHours ?? 168;
    if (!Number.isFinite(validHours) || validHours <= 0 || validHours > 24 * 365) {
      throw new AppError('SANDBOX_VALIDITY', 'A validade do token deve estar entre 1 hora e 365 dias.');
    }
    const now = this.now();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + Math.round(validHours * 3600);
    const jti = crypto.randomUUID();
    const token = this.jwt.sign({ iss: SANDBOX_ISSUER, sub: clientId, iat, exp, jti, typ: 'temporary' });
    this.db.transaction(() => {
      this.ensureClient(clientId);
      this.db
        .prepare('INSERT INTO temp_tokens (jti, client_id, issued_ms, expires_ms) VALUES (?, ?, ?, ?)')
        .run(jti, clientId, now.getTime(), exp * 1000);
    }).immediate();
    return { clientId, token, expiresAt: new Date(exp * 1000) };
  }

  /** Check a temporary token without consuming it. */
  checkTemporaryToken(token: string): TempTokenCheck {
    const r = this.jwt.verify(token, this.now());
    if (!r.ok) return { ok: false, reason: r.reason === 'expired' && r.claims.typ === 'temporary' ? 'expired' : 'invalid' };
    if (r.claims.typ !== 'temporary') return { ok: false, reason: 'invalid' };
    const row = this.db.prepare('SELECT client_id, used_ms FROM temp_tokens WHERE jti = ?').get(r.claims.jti) as
      | { client_id: string; used_ms: number | null }
      | undefined;
    if (!row || row.client_id !== r.claims.sub) return { ok: false, reason: 'invalid' };
    if (row.used_ms !== null) return { ok: false, reason: 'used' };
    return { ok: true, clientId: row.client_id, jti: r.claims.jti };
  }

  /**
   * Consume the token and record the certificate and the new secret's hash, all in one transaction: if two requests
   * race with the same token, exactly one gets a certificate. Returns the secret, or null when the token was used.
   */
  exchangeTemporaryToken(
    jti: string,
    clientId: string,
    cert: IssuedCertificate,
    merchant: { name: string | null; city: string | null; uf: string | null },
  ): string | null {
    const secret = crypto.randomUUID();
    const nowMs = this.now().getTime();
    return this.db.transaction(() => {
      const used = this.db.prepare('UPDATE temp_tokens SET used_ms = ? WHERE jti = ? AND used_ms IS NULL').run(nowMs, jti);
      if (used.changes !== 1) return null;
      this.ensureClient(clientId);
      this.db
        .prepare(
          `UPDATE clients SET secret_sha256 = ?, secret_set_ms = ?,
             merchant_name = COALESCE(?, merchant_name), merchant_city = COALESCE(?, merchant_city),
             merchant_uf = COALESCE(?, merchant_uf)
           WHERE client_id = ?`,
        )
        .run(sha256Hex(secret), nowMs, merchant.name, merchant.city, merchant.uf, clientId);
      this.insertCertificate(clientId, cert, 'solicitacao');
      return secret;
    }).immediate();
  }

  private insertCertificate(clientId: string, cert: IssuedCertificate, via: 'solicitacao' | 'renovacao'): void {
    this.db
      .prepare(
        `INSERT INTO certificates (serial, fingerprint256, client_id, subject, not_before_ms, not_after_ms, issued_ms, via)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(cert.serial, cert.fingerprint256, clientId, cert.subject, cert.notBefore.getTime(), cert.notAfter.getTime(), this.now().getTime(), via);
  }

  /** Record a renewed certificate; with `newSecret` also rotate the client secret and return it. */
  recordRenewal(clientId: string, cert: IssuedCertificate, newSecret: boolean): string | null {
    const secret = newSecret ? crypto.randomUUID() : null;
    this.db.transaction(() => {
      this.insertCertificate(clientId, cert, 'renovacao');
      if (secret) {
        this.db
          .prepare('UPDATE clients SET secret_sha256 = ?, secret_set_ms = ? WHERE client_id = ?')
          .run(sha256Hex(secret), this.now().getTime(), clientId);
      }
    }).immediate();
    return secret;
  }

  /** A certificate the sandbox issued, by SHA-256 fingerprint (hex, any case, colons allowed). */
  findCertificate(fingerprint256: string): CertificateRecord | null {
    const fp = fingerprint256.replace(/:/g, '').toLowerCase();
    const row = this.db
      .prepare(
        `SELECT serial, fingerprint256, client_id AS clientId, not_before_ms AS notBeforeMs, not_after_ms AS notAfterMs,
                revoked_ms AS revokedMs
         FROM certificates WHERE fingerprint256 = ?`,
      )
      .get(fp) as CertificateRecord | undefined;
    return row ?? null;
  }

  /** Revoke certificates: one by serial, or every certificate of a client. Returns how many were revoked. */
  revokeCertificates(target: { serial?: string; clientId?: string }): number {
    const nowMs = this.now().getTime();
    if (target.serial) {
      return this.db.prepare('UPDATE certificates SET revoked_ms = ? WHERE serial = ? AND revoked_ms IS NULL').run(nowMs, target.serial).changes;
    }
    if (target.clientId) {
      return this.db.prepare('UPDATE certificates SET revoked_ms = ? WHERE client_id = ? AND revoked_ms IS NULL').run(nowMs, target.clientId).changes;
    }
    return 0;
  }

  /** Constant-time check of a client secret against the stored hash. */
  checkSecret(clientId: string, secret: string): boolean {
    const row = this.db.prepare('SELECT secret_sha256 FROM clients WHERE client_id = ?').get(clientId) as
      | { secret_sha256: string | null }
      | undefined;
    if (!row?.secret_sha256) return false;
    const a = Buffer.from(row.secret_sha256, 'hex');
    const b = Buffer.from(sha256Hex(secret), 'hex');
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }

  /** Merchant data for BR Codes and `recebedor`. */
  clientInfo(clientId: string): ClientInfo {
    const row = this.db
      .prepare('SELECT merchant_name AS merchantName, merchant_city AS merchantCity, merchant_uf AS merchantUf FROM clients WHERE client_id = ?')
      .get(clientId) as Omit<ClientInfo, 'clientId'> | undefined;
    return { clientId, merchantName: row?.merchantName ?? null, merchantCity: row?.merchantCity ?? null, merchantUf: row?.merchantUf ?? null };
  }

  /** A 300 s access token (JWT, not stored: its signature and `exp` are the record). */
  issueAccessToken(clientId: string): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const access_token = this.jwt.sign({
      iss: SANDBOX_ISSUER,
      sub: clientId,
      client_id: clientId,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_S,
      jti: crypto.randomUUID(),
      typ: 'access',
      scope: SANDBOX_SCOPES,
    });
    return { access_token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, scope: SANDBOX_SCOPES };
  }

  /** Verify an access token (signature, type, expiry). */
  verifyAccessToken(token: string): AccessTokenCheck {
    const r = this.jwt.verify(token, this.now());
    if (!r.ok) return { ok: false, reason: r.reason === 'expired' && r.claims.typ === 'access' ? 'expired' : 'invalid' };
    if (r.claims.typ !== 'access') return { ok: false, reason: 'invalid' };
    return { ok: true, clientId: r.claims.sub, claims: r.claims };
  }

  /** Count one `/api/oauth/token` request of a Client ID (or of "desconhecido" when no known certificate came). */
  countTokenRequest(clientId: string): void {
    this.db
      .prepare(
        `INSERT INTO token_requests (client_id, count, last_ms) VALUES (?, 1, ?)
         ON CONFLICT(client_id) DO UPDATE SET count = count + 1, last_ms = excluded.last_ms`,
      )
      .run(clientId, this.now().getTime());
  }

  /** `/api/oauth/token` requests per Client ID since the last reset. */
  tokenRequestCounts(): Record<string, number> {
    const rows = this.db.prepare('SELECT client_id, count FROM token_requests ORDER BY client_id').all() as { client_id: string; count: number }[];
    return Object.fromEntries(rows.map((r) => [r.client_id, r.count]));
  }

  /** Forget the token request counts (benchmarks reset before a run). */
  resetTokenRequestCounts(): void {
    this.db.prepare('DELETE FROM token_requests').run();
  }
}
