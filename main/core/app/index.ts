import crypto from 'node:crypto';
import path from 'node:path';
import { AccountStore, type AccountRow } from '../accounts/account-store';
import { ChargeEngine, type Timers } from '../charges';
import { chargeView } from '../charges/views';
import { RenewalService } from '../accounts/renewal';
import type { Handlers } from '../contract';
import { createDispatcher, type Dispatch } from '../contract/dispatch';
import { openDatabase, type Db } from '../db';
import { EventBus } from '../events';
import { openProfileLog, type Logger, type ProfileLog } from '../log';
import { appMigrations } from '../db/migrations';
import { resolveEndpoints, type EndpointSettings, type ResolvedEndpoints } from '../itau/endpoints';
import { createStsClient, type StsClientFactory } from '../itau/sts-client';
import { TokenCache } from '../itau/token-cache';
import { OnboardingService } from '../onboarding/onboarding-service';
import { profileFiles, secureProfileDir } from '../profile';
import { SandboxRuntime } from '../sandbox-runtime';
import { Vault, type KeyProvider } from '../vault';
import { accountHandlers } from './handlers/accounts';
import { brcodeHandlers } from './handlers/brcode';
import { chargeHandlers } from './handlers/charges';
import { chargeListHandlers } from './handlers/charge-list';
import { ChargeExporter } from '../charges/export/export-service';
import Database from 'better-sqlite3';
import { tillHandlers } from './handlers/tills';
import { accountSummary } from '../accounts/account-view';
import { AuditLog, auditCsv } from '../audit/audit-log';
import { auditSink, withAudit, type AuditSink } from '../audit/recorder';
import { readVaultBackend } from '../vault';
import { explainKeyLoss } from '../vault/key-loss';
import { AuthService, type AuthSession, type CallContext } from '../auth';
import type { PixdeskEvent } from '../contract/events';
import type { LoginScryptCost } from '../auth/password';
import { SettingsStore } from './settings';
import { ApiAppService } from '../apps';
import { appHandlers } from './handlers/apps';
import { WebhookService } from '../api-server/webhooks';
import { BackupService } from '../backup/backup-service';
import { backupHandlers } from './handlers/backup';

export { SettingsStore } from './settings';

export interface CoreOptions {
  profileDir: string;
  keyProvider: KeyProvider;
  shell: 'electron' | 'browser' | 'cli';
  /** Electron's own build of better-sqlite3 (see scripts/build-electron-native.mjs). */
  nativeBinding?: string | undefined;
  acceptBackendChange?: boolean;
  /** With `acceptBackendChange`: the provider that made the recorded wrapping (the only one that can open it). */
  previousKeyProvider?: KeyProvider | undefined;
  now?: () => Date;
  version?: string;
  /** Benchmark baseline: a different RSA key generator for onboarding. */
  keyGenerator?: () => string;
  /** Test hook for the onboarding crash tests. */
  afterOnboardingStep?: (step: string) => void;
  /** How STS clients are built (default: a plain {@link createStsClient}); tests wrap it to observe calls. */
  sts?: StsClientFactory;
  /** The log (default: `<profile>/logs/pixdesk.log`, see core/log); tests inject a memory logger. */
  log?: Logger;
  /** Charges engine tuning (tests and benchmarks): timers, poll intervals, Pix API retries. */
  /** scrypt cost of people's passwords (tests use a cheaper one; the default is LOGIN_SCRYPT). */
  loginScrypt?: LoginScryptCost;
  charges?: {
    timers?: Timers; watchIntervalMs?: number; backgroundIntervalMs?: number; retries?: number; baseDelayMs?: number; timeoutMs?: number;
    pageSize?: number;
    /** Test hook for the charge crash tests. */
    afterStep?: (step: 'stored' | 'answered') => void;
  };
}

/**
 * The services of one profile, wired together. Electron, the browser host and the CLI each build one of
 * these with their own `KeyProvider`; nothing here imports electron.
 */
export class Core {
  readonly db: Db;
  readonly vault: Vault;
  readonly settings: SettingsStore;
  readonly accounts: AccountStore;
  readonly tokens: TokenCache;
  readonly renewal: RenewalService;
  readonly onboarding: OnboardingService;
  readonly sandbox: SandboxRuntime;
  readonly now: () => Date;
  /** Events pushed to every open screen (see contract/events.ts). */
  readonly events = new EventBus();
  /** The one place an STS client is built; token cache, renewal and onboarding all use it. */
  readonly sts: StsClientFactory;
  /** The profile's log, shared by every service (secrets redacted there, in one place). */
  readonly log: Logger;
  private readonly ownedLog: ProfileLog | null = null;
  /** Charges, refunds, the on-screen watcher and background reconciliation; started by the shells like renewal. */
  readonly charges: ChargeEngine;
  /** API apps (AppIDs) of the local OpenPix-compatible API. */
  readonly apps: ApiAppService;
  /** Webhooks of API apps: charge events are queued here in any shell; the API runtime sends them. */
  readonly webhooks: WebhookService;
  /** Streamed CSV/XLSX exports of the Cobranças list (a read-only connection of its own per export). */
  readonly exporter: ChargeExporter;
  /** The append-only, hash-chained audit log (core/audit). */
  readonly audit: AuditLog;
  /** Entries written by the services themselves (renewals, token failures): the actor is the system. */
  private readonly systemAudit: AuditSink;
  /** People, roles and page sessions: asked before every operation (core/auth). */
  readonly auth: AuthService;
  /** Encrypted backups of the non-secret data and their restore (core/backup, docs/backup.md). */
  readonly backups: BackupService;

  constructor(readonly opts: CoreOptions) {
    this.now = opts.now ?? (() => new Date());
    // The profile holds the database and the device key: readable by this user only, whoever created it.
    secureProfileDir(opts.profileDir);
    if (opts.log) this.log = opts.log;
    else {
      this.ownedLog = openProfileLog(opts.profileDir, { base: { shell: opts.shell } });
      this.log = this.ownedLog.log;
    }
    this.sts = opts.sts ?? ((ep) => createStsClient(ep, this.log));
    this.db = openDatabase({
      file: path.join(opts.profileDir, profileFiles.appDb),
      migrations: appMigrations,
      nativeBinding: opts.nativeBinding,
    });
    const recordedBefore = readVaultBackend(this.db);
    try {
      this.vault = Vault.open(this.db, opts.keyProvider, { acceptBackendChange: opts.acceptBackendChange ?? false, previous: opts.previousKeyProvider ?? null });
    } catch (e) {
      this.db.close();
      this.log.warn({ err: e }, 'profile vault could not be opened');
      this.ownedLog?.close();
      // A key that cannot be had here (another machine, user or keychain): say what happened and what to do.
      throw explainKeyLoss(e, opts.profileDir);
    }
    this.audit = new AuditLog(this.db, this.vault, this.now);
    this.systemAudit = auditSink(this.audit, () => 'sistema', this.log);
    if (recordedBefore && (recordedBefore.kind !== this.vault.backend.kind || recordedBefore.backend !== this.vault.backend.backend)) {
      this.auditAs(`shell:${opts.shell}`)('vault.protection_changed', null, { from: `${recordedBefore.kind}/${recordedBefore.backend}`, to: `${this.vault.backend.kind}/${this.vault.backend.backend}` });
    }
    this.settings = new SettingsStore(this.db, this.now);
    this.auth = new AuthService({
      db: this.db,
      now: this.now,
      shell: opts.shell,
      idleMinutes: () => this.settings.get().idleLockMinutes,
      currentSetting: (k) => (this.settings.get() as unknown as Record<string, unknown>)[k],
      audit: (action, actor, details) => this.auditAs(actor)(action, null, details),
      ...(opts.loginScrypt ? { scrypt: opts.loginScrypt } : {}),
    });
    this.accounts = new AccountStore(this.db, this.vault, this.now);
    this.sandbox = new SandboxRuntime(opts.profileDir, opts.nativeBinding);
    this.tokens = new TokenCache({
      log: this.log,
      onFailure: (accountId, code) => this.systemAudit('token.failed', accountId, { code }),
      now: () => this.now().getTime(),
      fetch: async (accountId) => {
        const ep = await this.endpointsOf(this.accounts.get(accountId));
        return this.sts(ep).accessToken(this.accounts.credentials(accountId));
      },
    });
    this.renewal = new RenewalService({
      db: this.db,
      accounts: this.accounts,
      tokens: this.tokens,
      endpoints: (a) => this.endpointsOf(a),
      windowDays: () => this.settings.get().renewalWindowDays,
      now: this.now,
      sts: this.sts,
      log: this.log,
      onOutcome: (accountId, o) =>
        'version' in o ? this.systemAudit('certificate.renewed', accountId, { version: o.version }) : this.systemAudit('certificate.renewal_failed', accountId, { code: o.code }),
    });
    this.onboarding = new OnboardingService({
      db: this.db,
      vault: this.vault,
      accounts: this.accounts,
      tokens: this.tokens,
      endpoints: (s) => this.resolve(s),
      now: this.now,
      sts: this.sts,
      sandboxIssuer: this.sandbox.issuer,
      log: this.log,
      events: this.events,
      ...(opts.afterOnboardingStep ? { afterStep: opts.afterOnboardingStep } : {}),
      ...(opts.keyGenerator ? { generateKey: opts.keyGenerator } : {}),
      onAccountCreated: (a) => {
        this.systemAudit('account.added', a.id, { name: a.name, environment: a.environment, clientId: a.clientId, company: a.company });
        this.systemAudit('certificate.issued', a.id, { via: 'onboarding' });
        return this.givePixKey(a);
      },
    });
    const co = opts.charges ?? {};
    this.charges = new ChargeEngine({
      db: this.db,
      accounts: this.accounts,
      tokens: this.tokens,
      endpoints: (id) => this.endpointsOf(this.accounts.get(id)),
      events: this.events,
      now: this.now,
      till: () => this.settings.get().tillName,
      ...(co.timers ? { timers: co.timers } : {}),
      ...(co.watchIntervalMs ? { watchIntervalMs: co.watchIntervalMs } : {}),
      ...(co.backgroundIntervalMs ? { backgroundIntervalMs: co.backgroundIntervalMs } : {}),
      ...(co.pageSize ? { pageSize: co.pageSize } : {}),
      ...(co.afterStep ? { afterStep: co.afterStep } : {}),
      client: { ...(co.retries !== undefined ? { retries: co.retries } : {}), ...(co.baseDelayMs !== undefined ? { baseDelayMs: co.baseDelayMs } : {}), ...(co.timeoutMs ? { timeoutMs: co.timeoutMs } : {}) },
    });
    this.apps = new ApiAppService(this.db, this.vault, this.accounts, this.now);
    this.webhooks = new WebhookService({
      db: this.db, vault: this.vault, events: this.events, now: this.now,
      chargeView: (id) => {
        const r = this.charges.store.getCharge(id);
        return r ? chargeView(this.charges.store, r) : undefined;
      },
    });
    this.log.info({ version: opts.version ?? '0.0.0', keyBackend: `${opts.keyProvider.kind}/${opts.keyProvider.backend}` }, 'profile opened');
    const dbFile = path.join(opts.profileDir, profileFiles.appDb);
    this.exporter = new ChargeExporter({
      openReader: () => new Database(dbFile, { readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) }),
      events: this.events,
      dir: path.join(opts.profileDir, 'exports'),
    });
    this.backups = new BackupService({
      db: this.db, vault: this.vault, audit: this.audit, settings: this.settings, now: this.now, version: opts.version ?? '0.0.0',
      openReader: () => new Database(dbFile, { readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) }),
      dir: path.join(opts.profileDir, 'backups'),
    });
  }

  /**
   * A sandbox account on the profile's own sandbox gets a random (EVP) Pix key registered there for its Client ID,
   * first in its list, so a new user can charge at once. Production keys are registered at the bank, not here.
   */
  private async givePixKey(a: AccountRow): Promise<void> {
    if (a.environment !== 'sandbox' || a.stsUrl || a.pixUrl) return;
    const registered = await this.sandbox.pixKeys(a.clientId);
    const own = a.pixKeys.find((k) => registered.includes(k));
    if (own) return;
    const key = crypto.randomUUID();
    await this.sandbox.registerPixKey(a.clientId, key);
    this.accounts.setPixKeys(a.id, [key, ...a.pixKeys]);
  }

  private resolve(s: EndpointSettings): Promise<ResolvedEndpoints> {
    return resolveEndpoints(s, () => this.sandbox.endpoints());
  }

  /** Endpoints of an existing account. */
  endpointsOf(a: AccountRow): Promise<ResolvedEndpoints> {
    return this.resolve({ environment: a.environment, stsUrl: a.stsUrl, pixUrl: a.pixUrl, extraCaPem: a.extraCaPem, renewalPath: a.renewalPath });
  }

  /** An audit sink writing as `actor` (e.g. `shell:cli`, or the person logged in). */
  auditAs(actor: string): AuditSink {
    return auditSink(this.audit, () => actor, this.log);
  }

  /** Who the audit log names for a call: the person logged in on that page, or the shell. */
  actorOf(ctx: CallContext): string {
    const u = ctx.session?.user;
    return u ? `user:${u.name}` : `shell:${this.opts.shell}`;
  }

  /**
   * The contract's handlers for this core. Each first asks core/auth whether the caller's session may run it
   * (OP_ACCESS), then runs; every audited operation appends an entry naming the caller.
   */
  handlers(): Handlers {
    const audited = withAudit(this.rawHandlers(), (ctx) => auditSink(this.audit, () => this.actorOf(ctx), this.log));
    type H = (i: unknown, c: CallContext) => unknown;
    const out: Record<string, H> = {};
    for (const [op, inner] of Object.entries(audited as unknown as Record<string, H>)) {
      out[op] = (input: unknown, ctx: CallContext = {}) => {
        this.auth.authorize(op as keyof Handlers, input, ctx, (id) => this.chargeCreator(id));
        return inner(input, ctx);
      };
    }
    return out as unknown as Handlers;
  }

  /**
   * The contract's dispatcher for a shell: every call's session is checked by role before its input is read
   * (the gate), then in full inside the handler (fields, own charges, password asked again).
   */
  dispatcher(onUnexpected?: (op: string, e: unknown) => void): Dispatch {
    return createDispatcher(this.handlers(), onUnexpected, (op, ctx) => {
      this.auth.check(op, ctx);
    });
  }

  /** Whether the page of `session` may receive `event` (who is logged in there, and their role). */
  eventAllowed(session: AuthSession | undefined, event: PixdeskEvent): boolean {
    return this.auth.mayReceive(session, event, (id) => this.chargeCreator(id));
  }

  /** Who created a charge (null: before people existed, or unknown id). */
  private chargeCreator(id: string): string | null {
    const r = this.db.prepare('SELECT created_by FROM charges WHERE id = ?').get(id) as { created_by: string | null } | undefined;
    return r?.created_by ?? null;
  }

  private rawHandlers(): Handlers {
    const charges = chargeHandlers({
      engine: this.charges,
      accounts: this.accounts,
      summary: (id) => accountSummary(this.accounts.get(id), this.accounts, this.renewal, this.tokens.secondsLeft(id)),
      events: this.events,
      now: this.now,
    });
    return {
      'app:info': () => ({
        name: 'PixDesk',
        version: this.opts.version ?? '0.0.0',
        shell: this.opts.shell === 'electron' ? 'electron' : 'browser',
        environment: this.accounts.defaultAccount()?.environment ?? 'sandbox',
        profileDir: this.opts.profileDir,
        // What protects the profile as recorded in it (after any accepted change), e.g. "keychain/secret-service".
        keyBackend: `${this.vault.backend.kind}/${this.vault.backend.backend}`,
      }),
      'settings:get': () => this.settings.get(),
      'settings:set': (patch) => this.settings.set(patch),
      'auth:status': (_i, ctx) => this.auth.status(ctx?.session),
      'auth:setup': (i, ctx) => this.auth.setup(ctx?.session, i.name, i.password),
      'auth:login': (i, ctx) => this.auth.login(ctx?.session, i.name, i.password),
      'auth:logout': (_i, ctx) => {
        this.auth.logout(ctx?.session);
        return { loggedOut: true as const };
      },
      'auth:confirm': (i, ctx) => this.auth.confirm(ctx?.session, i.password),
      'auth:activity': (_i, ctx) => this.auth.activity(ctx?.session),
      'auth:listUsers': () => this.auth.listUsers(),
      'auth:createUser': (i) => this.auth.createUser(i.name, i.password, i.role),
      'audit:list': (i) => this.audit.page(i),
      'audit:verify': () => this.audit.verify(),
      'audit:export': () => ({ fileName: `pixdesk-auditoria-${this.now().toISOString().slice(0, 10)}.csv`, csv: auditCsv(this.audit.all()) }),
      ...brcodeHandlers(this.settings),
      ...accountHandlers({ accounts: this.accounts, renewal: this.renewal, tokens: this.tokens, onboarding: this.onboarding, sandbox: this.sandbox }),
      ...charges,
      // A cashier's list holds only the charges they created (the Caixa's till list, the customer display).
      'charges:list': async (i, ctx) => {
        const page = await charges['charges:list'](i);
        const user = ctx?.session?.user;
        if (user?.role !== 'cashier') return page;
        return { ...page, items: page.items.filter((c) => this.chargeCreator(c.id) === user.id) };
      },
      ...appHandlers(this.apps, this.webhooks),
      ...chargeListHandlers({
        db: this.db, exporter: this.exporter, now: this.now,
        reconcile: { accounts: this.accounts, charges: this.charges.charges, client: (id) => this.charges.client(id), zulu: (id) => this.charges.charges.payments.zulu(id) },
      }),
      ...tillHandlers({ engine: this.charges, accounts: this.accounts, till: () => this.settings.get().tillName }),
      ...backupHandlers(this.backups, (ctx) => this.actorOf(ctx)),
    };
  }

  async close(): Promise<void> {
    this.renewal.stop();
    try {
      await this.charges.stop();
      this.apps.flushUsage();
      await this.webhooks.stopSender();
      this.webhooks.close();
      await this.sandbox.close();
      this.db.close();
    } finally {
      this.ownedLog?.close();
    }
  }
}
