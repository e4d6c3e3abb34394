import crypto from 'node:crypto';
import net from 'node:net';
import type { AccountStore } from '../accounts/account-store';
import type { ApiAppCreated, ApiAppType, ApiAppView, ApiScope } from '../contract/types';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { Vault } from '../vault';
import { AppIdHasher, decodeAppId, encodeAppId, newCredentials } from './app-id';

export const API_SCOPES: readonly ApiScope[] = ['CHARGE_POST', 'CHARGE_GET', 'QRCODE_STATIC', 'REFUND', 'WEBHOOK'];
export const API_APP_TYPES: readonly ApiAppType[] = ['REST_API', 'PLUGIN', 'POS'];
export const DEFAULT_RATE_LIMIT_PER_MIN = 600;

interface AppRow {
  id: string;
  name: string;
  type: ApiAppType;
  account_id: string | null;
  scopes: string;
  allowed_ips: string;
  rate_limit_per_min: number;
  client_id: string;
  secret_hash: Buffer;
  secret_version: number;
  status: 'active' | 'revoked';
  request_count: number;
  last_used_at: string | null;
  last_used_ip: string | null;
  created_at: string;
  updated_at: string;
  revoked_at: string | null;
}

export interface CreateAppInput {
  name: string;
  type?: ApiAppType | undefined;
  accountId?: string | undefined;
  scopes: ApiScope[];
  allowedIps?: string[] | undefined;
  rateLimitPerMinute?: number | undefined;
}

export interface UpdateAppInput {
  id: string;
  name?: string | undefined;
  scopes?: ApiScope[] | undefined;
  allowedIps?: string[] | undefined;
  rateLimitPerMinute?: number | undefined;
}

/** An app that presented a valid AppID, as the API server uses it on each request. */
export interface AuthenticatedApp {
  id: string;
  name: string;
  accountId: string | null;
  scopes: ReadonlySet<ApiScope>;
  allowed: net.BlockList | null;
  rateLimitPerMinute: number;
}

/** Normalise an IP address or CIDR for the allow-list; throws a pt-BR error naming the bad entry. */
export function normaliseIpEntry(entry: string): string {
  const s = entry.trim();
  const [addr, bits, extra] = s.split('/');
  const family = net.isIP(addr ?? '');
  const max = family === 4 ? 32 : 128;
  if (!family || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max))) {
    throw new AppError('IP_INVALID', `Endereço IP inválido na lista de IPs permitidos: "${s.slice(0, 60)}". Use um IP (ex.: 192.168.0.10) ou uma faixa CIDR (ex.: 192.168.0.0/24).`);
  }
  return bits === undefined ? addr! : `${addr}/${Number(bits)}`;
}

function blockList(entries: string[]): net.BlockList | null {
  if (!entries.length) return null;
  const b = new net.BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = net.isIP(addr!) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) b.addAddress(addr!, type);
    else b.addSubnet(addr!, Number(bits), type);
  }
  return b;
}

/** True when `ip` (as the socket reports it, maybe IPv4-mapped IPv6) is on the app's allow-list. */
export function ipAllowed(app: AuthenticatedApp, ip: string): boolean {
  if (!app.allowed) return true;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const addr = v4 ?? ip;
  return app.allowed.check(addr, net.isIP(addr) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * API apps of one profile: create (AppID shown once), list, update, regenerate (the old AppID stops at once: the
 * hash is replaced in the same statement that answers), revoke. Use is counted in memory and written by
 * `flushUsage()` (about once a second), so a busy API does not pay one disk write per request.
 */
export class ApiAppService {
  private readonly hasher: AppIdHasher;
  private readonly usage = new Map<string, { n: number; at: string; ip: string }>();
  private readonly byClient;

  constructor(
    private readonly db: Db,
    vault: Vault,
    private readonly accounts: AccountStore,
    private readonly now: () => Date,
  ) {
    this.hasher = new AppIdHasher(db, vault);
    this.byClient = db.prepare('SELECT id, name, account_id, scopes, allowed_ips, rate_limit_per_min, secret_hash, status FROM api_apps WHERE client_id = ?');
  }

  private rowOf(id: string): AppRow {
    const r = this.db.prepare('SELECT * FROM api_apps WHERE id = ?').get(id) as AppRow | undefined;
    if (!r) throw new AppError('APP_NOT_FOUND', 'App de API não encontrado. Atualize a lista de apps (pixdesk apps list).');
    return r;
  }

  private view(r: AppRow): ApiAppView {
    const pending = this.usage.get(r.id);
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      accountId: r.account_id,
      scopes: JSON.parse(r.scopes) as ApiScope[],
      allowedIps: JSON.parse(r.allowed_ips) as string[],
      rateLimitPerMinute: r.rate_limit_per_min,
      clientId: r.client_id,
      status: r.status,
      requestCount: r.request_count + (pending?.n ?? 0),
      lastUsedAt: pending?.at ?? r.last_used_at,
      lastUsedIp: pending?.ip ?? r.last_used_ip,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      revokedAt: r.revoked_at,
      needsNewAppId: r.secret_version === 0 && r.status === 'active',
    };
  }

  private audit(appId: string, action: string, detail?: string): void {
    this.db.prepare('INSERT INTO api_app_audit (app_id, action, at, detail) VALUES (?, ?, ?, ?)').run(appId, action, this.now().toISOString(), detail ?? null);
  }

  private checkScopes(scopes: ApiScope[]): string {
    const uniq = [...new Set(scopes)];
    if (!uniq.length) throw new AppError('SCOPES_EMPTY', 'Escolha pelo menos um escopo para o app (ex.: CHARGE_POST para criar cobranças).');
    for (const s of uniq) if (!API_SCOPES.includes(s)) throw new AppError('SCOPE_INVALID', `Escopo desconhecido: ${String(s)}. Use: ${API_SCOPES.join(', ')}.`);
    return JSON.stringify(uniq);
  }

  /** Create an app; the result carries its AppID, which is never shown again. */
  create(i: CreateAppInput): ApiAppCreated {
    const name = i.name.trim();
    if (!name) throw new AppError('APP_NAME_EMPTY', 'Dê um nome ao app (ex.: "ERP da loja").');
    if (i.accountId) this.accounts.get(i.accountId);
    const ips = (i.allowedIps ?? []).map(normaliseIpEntry);
    const id = crypto.randomUUID();
    const { clientId, clientSecret } = newCredentials();
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO api_apps (id, name, type, account_id, scopes, allowed_ips, rate_limit_per_min, client_id, secret_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, name, i.type ?? 'REST_API', i.accountId ?? null, this.checkScopes(i.scopes), JSON.stringify(ips), i.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MIN, clientId, this.hasher.hash(clientId, clientSecret), at, at);
      this.audit(id, 'create');
    })();
    return { app: this.view(this.rowOf(id)), appId: encodeAppId(clientId, clientSecret) };
  }

  list(): ApiAppView[] {
    return (this.db.prepare('SELECT * FROM api_apps ORDER BY created_at, id').all() as AppRow[]).map((r) => this.view(r));
  }

  get(id: string): ApiAppView {
    return this.view(this.rowOf(id));
  }

  /** Change name, scopes, allowed IPs or rate limit (effective at the next request). */
  update(i: UpdateAppInput): ApiAppView {
    const r = this.rowOf(i.id);
    const fields: Record<string, unknown> = {};
    if (i.name !== undefined) {
      if (!i.name.trim()) throw new AppError('APP_NAME_EMPTY', 'Dê um nome ao app (ex.: "ERP da loja").');
      fields.name = i.name.trim();
    }
    if (i.scopes !== undefined) fields.scopes = this.checkScopes(i.scopes);
    if (i.allowedIps !== undefined) fields.allowed_ips = JSON.stringify(i.allowedIps.map(normaliseIpEntry));
    if (i.rateLimitPerMinute !== undefined) fields.rate_limit_per_min = i.rateLimitPerMinute;
    const keys = Object.keys(fields);
    if (keys.length) {
      this.db.transaction(() => {
        this.db.prepare(`UPDATE api_apps SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @at WHERE id = @id`).run({ ...fields, at: this.now().toISOString(), id: r.id });
        this.audit(r.id, 'update', keys.join(','));
      })();
    }
    return this.get(r.id);
  }

  /** A new secret for the same clientId: the old AppID stops working with this write. */
  regenerate(id: string): ApiAppCreated {
    const r = this.rowOf(id);
    if (r.status === 'revoked') throw new AppError('APP_REVOKED', `O app "${r.name}" foi revogado; crie um novo app em vez de regenerar este.`);
    const { clientSecret } = newCredentials();
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE api_apps SET secret_hash = ?, secret_version = secret_version + 1, updated_at = ? WHERE id = ?')
        .run(this.hasher.hash(r.client_id, clientSecret), this.now().toISOString(), id);
      this.audit(id, 'regenerate');
    })();
    return { app: this.get(id), appId: encodeAppId(r.client_id, clientSecret) };
  }

  /** Revoke for good: its AppID is refused from now on (its charges and history stay). */
  revoke(id: string): ApiAppView {
    const r = this.rowOf(id);
    if (r.status !== 'revoked') {
      const at = this.now().toISOString();
      this.db.transaction(() => {
        this.db.prepare("UPDATE api_apps SET status = 'revoked', revoked_at = ?, updated_at = ? WHERE id = ?").run(at, at, id);
        this.audit(id, 'revoke');
      })();
    }
    return this.get(id);
  }

  /** Acts recorded on an app, oldest first (until the security work's audit log exists). */
  auditOf(id: string): { action: string; at: string; detail: string | null }[] {
    return this.db.prepare('SELECT action, at, detail FROM api_app_audit WHERE app_id = ? ORDER BY seq').all(id) as { action: string; at: string; detail: string | null }[];
  }

  /**
   * The app behind an `Authorization` header, or null for a missing, malformed, wrong or revoked AppID. Reads the
   * database each time, so a revoke or regenerate from another process (the CLI) takes effect on the next request.
   */
  authenticate(header: unknown): AuthenticatedApp | null {
    const c = decodeAppId(header);
    if (!c) return null;
    const r = this.byClient.get(c.clientId) as Pick<AppRow, 'id' | 'name' | 'account_id' | 'scopes' | 'allowed_ips' | 'rate_limit_per_min' | 'secret_hash' | 'status'> | undefined;
    // Hash even for an unknown clientId, so timing does not tell which client ids exist.
    const ok = this.hasher.matches(c.clientId, c.clientSecret, r?.secret_hash ?? Buffer.alloc(32));
    if (!r || !ok || r.status !== 'active') return null;
    return {
      id: r.id,
      name: r.name,
      accountId: r.account_id,
      scopes: new Set(JSON.parse(r.scopes) as ApiScope[]),
      allowed: blockList(JSON.parse(r.allowed_ips) as string[]),
      rateLimitPerMinute: r.rate_limit_per_min,
    };
  }

  /** Count one request of an app (in memory until the next flush). */
  recordUse(appId: string, ip: string): void {
    const u = this.usage.get(appId);
    const at = this.now().toISOString();
    if (u) {
      u.n++;
      u.at = at;
      u.ip = ip;
    } else this.usage.set(appId, { n: 1, at, ip });
  }

  /** Write the counted requests to the database (one transaction). */
  flushUsage(): void {
    if (!this.usage.size) return;
    const stmt = this.db.prepare('UPDATE api_apps SET request_count = request_count + ?, last_used_at = ?, last_used_ip = ? WHERE id = ?');
    const items = [...this.usage.entries()];
    this.usage.clear();
    this.db.transaction(() => {
      for (const [id, u] of items) stmt.run(u.n, u.at, u.ip, id);
    })();
  }
}
