import { AppError } from '../errors';
import type { Logger } from '../log';
import { NetworkError, TRANSIENT_CODES } from './http';
import type { AccessToken } from './sts-client';

/** How a fresh token is fetched for an account (STS call over mTLS). */
export type FetchToken = (accountId: string) => Promise<AccessToken>;

export interface TokenCacheOptions {
  fetch: FetchToken;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Refresh this long before expiry (ms). */
  marginMs?: number;
  retries?: number;
  baseDelayMs?: number;
  /** Refreshes, retries and failures are logged here (the token itself never is). */
  log?: Logger;
  /** Told of each final failure (after retries) with its error code, for the audit log. */
  onFailure?: (accountId: string, code: string) => void;
}

interface Cached {
  token: string;
  expiresAt: number;
}

/** True for failures worth retrying: connection resets/timeouts and 5xx answers. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof NetworkError) return TRANSIENT_CODES.has(e.netCode);
  if (e instanceof AppError) return e.code === 'BANK_UNAVAILABLE';
  return false;
}

/**
 * One cached access token per account, kept in memory only (never persisted). Refreshed before expiry;
 * concurrent callers share one request in flight; transient failures retry with exponential backoff.
 */
export class TokenCache {
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: TokenCacheOptions) {
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** A valid access token for the account. */
  get(accountId: string): Promise<string> {
    const c = this.cache.get(accountId);
    if (c && c.expiresAt - (this.o.marginMs ?? 30_000) > this.now()) return Promise.resolve(c.token);
    const running = this.inflight.get(accountId);
    if (running) return running;
    const p = this.refresh(accountId).finally(() => this.inflight.delete(accountId));
    this.inflight.set(accountId, p);
    return p;
  }

  /** Forget a token the bank rejected (e.g. 401 before its expiry). */
  invalidate(accountId: string): void {
    this.cache.delete(accountId);
  }

  /** Seconds left on the cached token, for status displays; null when none. */
  secondsLeft(accountId: string): number | null {
    const c = this.cache.get(accountId);
    return c ? Math.max(0, Math.round((c.expiresAt - this.now()) / 1000)) : null;
  }

  private async refresh(accountId: string): Promise<string> {
    const retries = this.o.retries ?? 3;
    const base = this.o.baseDelayMs ?? 250;
    for (let attempt = 0; ; attempt++) {
      try {
        const t = await this.o.fetch(accountId);
        this.cache.set(accountId, { token: t.accessToken, expiresAt: this.now() + t.expiresIn * 1000 });
        this.o.log?.debug({ accountId, expiresIn: t.expiresIn, attempt }, 'access token refreshed');
        return t.accessToken;
      } catch (e) {
        if (attempt >= retries || !isRetryable(e)) {
          this.o.log?.warn({ accountId, attempt, err: e }, 'access token refresh failed');
          this.o.onFailure?.(accountId, e instanceof AppError ? e.code : e instanceof NetworkError ? e.netCode : 'INTERNAL');
          throw e;
        }
        const delayMs = base * 2 ** attempt;
        this.o.log?.info({ accountId, attempt, delayMs, err: e }, 'access token refresh will be retried');
        await this.sleep(delayMs);
      }
    }
  }
}
