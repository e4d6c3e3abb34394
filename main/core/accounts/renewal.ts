import type { Db } from '../db';
import { AppError, toErrorInfo } from '../errors';
import type { ResolvedEndpoints } from '../itau/endpoints';
import { createStsClient, type StsClientFactory } from '../itau/sts-client';
import type { TokenCache } from '../itau/token-cache';
import type { Logger } from '../log';
import { buildCsrPem, generatePrivateKeyPem, verifyIssuedCertificate } from '../pki/csr';
import type { AccountRow, AccountStore } from './account-store';

export type RenewalStateName = 'ok' | 'due' | 'failed' | 'expired' | 'inactive';

/** Per-account certificate status, as shown in Contas. */
export interface RenewalStatus {
  state: RenewalStateName;
  daysLeft: number;
  /** 60, 30 or 7 when the certificate is that close to expiry and PixDesk could not renew it; else null. */
  warnLevel: 60 | 30 | 7 | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string } | null;
}

export interface RenewalDeps {
  db: Db;
  accounts: AccountStore;
  tokens: TokenCache;
  endpoints: (a: AccountRow) => Promise<ResolvedEndpoints>;
  windowDays: () => number;
  now?: () => Date;
  /** Builds the STS client (default: {@link createStsClient}). */
  sts?: StsClientFactory;
  /** Attempts, new versions and failures are logged here. */
  log?: Logger;
  /** Told of each renewal attempt's outcome (new version, or the error code), for the audit log. */
  onOutcome?: (accountId: string, outcome: { version: number } | { code: string }) => void;
}

type RawState = { last_attempt_at: string | null; last_success_at: string | null; last_error_code: string | null; last_error_message: string | null };

const DAY = 86_400_000;

/**
 * Certificate renewal: inside the window before expiry (default 30 days) a new key and CSR are sent over mTLS
 * with the current certificate and an access token; the answer becomes a new certificate version. When the
 * bank sends no `Secret:` line the old secret is kept.
 */
export class RenewalService {
  private readonly now: () => Date;
  private readonly busy = new Set<string>();

  constructor(private readonly d: RenewalDeps) {
    this.now = d.now ?? (() => new Date());
  }

  private raw(accountId: string): RawState | undefined {
    return this.d.db.prepare('SELECT last_attempt_at, last_success_at, last_error_code, last_error_message FROM renewal_state WHERE account_id = ?').get(accountId) as RawState | undefined;
  }

  status(a: AccountRow): RenewalStatus {
    const cert = this.d.accounts.currentCertificate(a.id);
    const msLeft = Date.parse(cert.notAfter) - this.now().getTime();
    // Whole days remaining, counting a started day (a certificate issued today for 365 days shows 365).
    const daysLeft = msLeft > 0 ? Math.ceil(msLeft / DAY) : Math.floor(msLeft / DAY);
    const s = this.raw(a.id);
    const lastError = s?.last_error_code ? { code: s.last_error_code, message: s.last_error_message ?? '' } : null;
    let state: RenewalStateName = 'ok';
    if (!a.active) state = 'inactive';
    else if (msLeft <= 0) state = 'expired';
    else if (lastError) state = 'failed';
    else if (daysLeft <= this.d.windowDays()) state = 'due';
    const cannotRenew = state === 'failed' || state === 'expired' || state === 'inactive';
    const warnLevel = !cannotRenew ? null : daysLeft <= 7 ? 7 : daysLeft <= 30 ? 30 : daysLeft <= 60 ? 60 : null;
    return { state, daysLeft, warnLevel, lastAttemptAt: s?.last_attempt_at ?? null, lastSuccessAt: s?.last_success_at ?? null, lastError };
  }

  private record(accountId: string, ok: boolean, e?: unknown): void {
    const at = this.now().toISOString();
    const info = e ? toErrorInfo(e) : null;
    this.d.db
      .prepare(
        `INSERT INTO renewal_state (account_id, last_attempt_at, last_success_at, last_error_code, last_error_message) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(account_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
           last_success_at = coalesce(excluded.last_success_at, renewal_state.last_success_at),
           last_error_code = excluded.last_error_code, last_error_message = excluded.last_error_message`,
      )
      .run(accountId, at, ok ? at : null, info?.code ?? null, info?.message ?? null);
  }

  /** Renew one account now (also the "Renovar agora" button). Returns the new certificate version. */
  async renew(accountId: string): Promise<number> {
    // Refusals that are not renewal attempts come first: nothing is recorded for an unknown or deactivated account.
    const a = this.d.accounts.get(accountId);
    if (!a.active) {
      throw new AppError('ACCOUNT_INACTIVE', 'Esta conta está desativada: o PixDesk não renova o certificado dela. Reative a conta em Contas e então renove.');
    }
    if (this.busy.has(accountId)) throw new AppError('RENEWAL_BUSY', 'A renovação desta conta já está em andamento.');
    this.busy.add(accountId);
    try {
      const cur = this.d.accounts.credentials(accountId);
      if (Date.parse(cur.certificate.notAfter) <= this.now().getTime()) {
        throw new AppError('CERT_EXPIRED', 'O certificado desta conta já expirou e não pode mais ser renovado. Peça ao gerente Itaú um novo token temporário e refaça o onboarding desta conta.');
      }
      this.d.log?.info({ accountId, version: cur.certificate.version, notAfter: cur.certificate.notAfter }, 'certificate renewal started');
      const ep = await this.d.endpoints(a);
      const accessToken = await this.d.tokens.get(accountId);
      const keyPem = await generatePrivateKeyPem();
      const csrPem = buildCsrPem(keyPem, { clientId: a.clientId, company: a.company, city: a.city, state: a.state });
      const res = await (this.d.sts ?? createStsClient)(ep).renewCertificate({ accessToken, csrPem, certPem: cur.certPem, keyPem: cur.keyPem });
      const facts = verifyIssuedCertificate(res.certPem, keyPem, a.clientId, this.now());
      const version = this.d.db.transaction(() => {
        const v = this.d.accounts.addCertificate(accountId, { certPem: res.certPem, keyPem, facts }, 'renewal');
        if (res.secret) this.d.accounts.setClientSecret(accountId, res.secret);
        return v;
      })();
      // The next token must come from the new certificate.
      this.d.tokens.invalidate(accountId);
      this.record(accountId, true);
      this.d.onOutcome?.(accountId, { version });
      this.d.log?.info({ accountId, version, notAfter: facts.notAfter, newCredential: res.secret !== null }, 'certificate renewed');
      return version;
    } catch (e) {
      this.record(accountId, false, e);
      this.d.onOutcome?.(accountId, { code: toErrorInfo(e).code });
      this.d.log?.warn({ accountId, err: e }, 'certificate renewal failed');
      throw e;
    } finally {
      this.busy.delete(accountId);
    }
  }

  /** Renew every active account inside the window; failures are recorded per account, never thrown. */
  async checkAll(): Promise<{ renewed: string[]; failed: string[] }> {
    const renewed: string[] = [];
    const failed: string[] = [];
    for (const a of this.d.accounts.list()) {
      if (!a.active) continue;
      const st = this.status(a);
      if (st.state === 'expired' || st.daysLeft > this.d.windowDays()) continue;
      try {
        await this.renew(a.id);
        renewed.push(a.id);
      } catch {
        failed.push(a.id);
      }
    }
    if (renewed.length || failed.length) this.d.log?.info({ renewed, failed }, 'renewal check finished');
    return { renewed, failed };
  }

  /** Check after a short delay, then periodically (timers never keep the process alive). */
  start(intervalMs = 6 * 3600_000, firstDelayMs = 10_000): void {
    this.stop();
    const tick = () => void this.checkAll();
    this.timers = [setTimeout(tick, firstDelayMs), setInterval(tick, intervalMs)];
    for (const t of this.timers) t.unref();
  }

  private timers: NodeJS.Timeout[] = [];

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
