import crypto from 'node:crypto';
import { AuthSession } from '../core/auth/session';

/**
 * Page sessions of the browser host. The run token printed on the terminal never travels as a credential:
 * opening the launch URL exchanges it for a fresh random session secret that the page keeps (sessionStorage)
 * and sends as the `X-PixDesk-Session` header. Cookies are not port-scoped — every other server on 127.0.0.1
 * would receive one — so no cookie carries anything usable. Only SHA-256 digests of the secrets are kept.
 */
export const SESSION_HEADER = 'x-pixdesk-session';

const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('base64url');
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface SessionStoreOptions {
  /** Most sessions alive at once; the least recently used is dropped beyond it (each tab holds one). */
  maxSessions?: number;
  /** A session unused this long is forgotten (the page shows "open the launch address again"). */
  idleMs?: number;
  /** How long a one-time handoff code (a second tab opened by the page) stays valid. */
  handoffMs?: number;
  now?: () => number;
}

export class SessionStore {
  private readonly sessions = new Map<string, number>();
  /** Who is logged in on each page session (same keys as `sessions`; dropped with it). */
  private readonly identities = new Map<string, AuthSession>();
  private readonly handoffs = new Map<string, { at: number; from: AuthSession | undefined }>();
  private readonly max: number;
  private readonly idleMs: number;
  private readonly handoffMs: number;
  private readonly now: () => number;

  constructor(opts: SessionStoreOptions = {}) {
    this.max = opts.maxSessions ?? 32;
    this.idleMs = opts.idleMs ?? 12 * 3600_000;
    this.handoffMs = opts.handoffMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** A new session secret (256 bits, base64url); `identity`: the login it shares (a handoff), else logged out. */
  open(identity?: AuthSession): string {
    const secret = crypto.randomBytes(32).toString('base64url');
    this.sessions.set(digest(secret), this.now());
    this.identities.set(digest(secret), identity ?? new AuthSession(this.now()));
    while (this.sessions.size > this.max) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
      this.identities.delete(oldest);
    }
    return secret;
  }

  /** True (and the session refreshed) when `presented` is a live session secret. */
  check(presented: unknown): boolean {
    if (typeof presented !== 'string' || !SECRET_SHAPE.test(presented)) return false;
    const key = digest(presented);
    const seen = this.sessions.get(key);
    if (seen === undefined) return false;
    this.sessions.delete(key);
    if (this.now() - seen > this.idleMs) {
      this.identities.delete(key);
      return false;
    }
    this.sessions.set(key, this.now()); // re-insert: the map's order is least recently used first
    return true;
  }

  /**
   * The identity of a live page session (checked by {@link check} first). A second tab opened by handoff (the
   * customer display a logged-in cashier opens) shares the login of the page that asked for it: logging out or
   * locking one locks both; a tab opened from the launch URL starts logged out.
   */
  authOf(presented: unknown): AuthSession | undefined {
    if (typeof presented !== 'string' || !SECRET_SHAPE.test(presented)) return undefined;
    return this.identities.get(digest(presented));
  }

  /** A one-time code a live page hands to a second tab (`/?handoff=CODE`), valid for a minute, carrying its login. */
  handoff(from?: AuthSession): string {
    const code = crypto.randomBytes(32).toString('base64url');
    const now = this.now();
    for (const [k, h] of this.handoffs) if (now - h.at > this.handoffMs) this.handoffs.delete(k);
    this.handoffs.set(digest(code), { at: now, from });
    while (this.handoffs.size > this.max) this.handoffs.delete(this.handoffs.keys().next().value as string);
    return code;
  }

  /** Spend a handoff code, once, within its minute: the login it carries (null when the code is not valid). */
  redeem(code: unknown): { from: AuthSession | undefined } | null {
    if (typeof code !== 'string' || !SECRET_SHAPE.test(code)) return null;
    const key = digest(code);
    const h = this.handoffs.get(key);
    this.handoffs.delete(key);
    return h !== undefined && this.now() - h.at <= this.handoffMs ? { from: h.from } : null;
  }

  get size(): number {
    return this.sessions.size;
  }
}

/**
 * The renderer's index.html with the session secret in a `<meta>` the bridge reads once and removes (no inline
 * script: the CSP forbids it). The value is base64url, so it needs no escaping.
 */
export function pageWithSession(indexHtml: string, secret: string): string {
  const meta = `<meta name="pixdesk-session" content="${secret}">`;
  return /<head[^>]*>/i.test(indexHtml) ? indexHtml.replace(/<head[^>]*>/i, (h) => `${h}\n    ${meta}`) : meta + indexHtml;
}
