import path from 'node:path';
import { AccountStore, type AccountRow } from '../accounts/account-store';
import { RenewalService } from '../accounts/renewal';
import type { Handlers } from '../contract';
import { openDatabase, type Db } from '../db';
import { EventBus } from '../events';
import { appMigrations } from '../db/migrations';
import { resolveEndpoints, type EndpointSettings, type ResolvedEndpoints } from '../itau/endpoints';
import { ItauStsClient } from '../itau/sts-client';
import { TokenCache } from '../itau/token-cache';
import { OnboardingService } from '../onboarding/onboarding-service';
import { profileFiles, secureProfileDir } from '../profile';
import { SandboxRuntime } from '../sandbox-runtime';
import { Vault, type KeyProvider } from '../vault';
import { accountHandlers } from './handlers/accounts';
import { brcodeHandlers } from './handlers/brcode';
import { SettingsStore } from './settings';

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

  constructor(readonly opts: CoreOptions) {
    this.now = opts.now ?? (() => new Date());
    // The profile holds the database and the device key: readable by this user only, whoever created it.
    secureProfileDir(opts.profileDir);
    this.db = openDatabase({
      file: path.join(opts.profileDir, profileFiles.appDb),
      migrations: appMigrations,
      nativeBinding: opts.nativeBinding,
    });
    try {
      this.vault = Vault.open(this.db, opts.keyProvider, { acceptBackendChange: opts.acceptBackendChange ?? false, previous: opts.previousKeyProvider ?? null });
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.settings = new SettingsStore(this.db, this.now);
    this.accounts = new AccountStore(this.db, this.vault, this.now);
    this.sandbox = new SandboxRuntime(opts.profileDir, opts.nativeBinding);
    this.tokens = new TokenCache({
      now: () => this.now().getTime(),
      fetch: async (accountId) => {
        const ep = await this.endpointsOf(this.accounts.get(accountId));
        return new ItauStsClient(ep).accessToken(this.accounts.credentials(accountId));
      },
    });
    this.renewal = new RenewalService({
      db: this.db,
      accounts: this.accounts,
      tokens: this.tokens,
      endpoints: (a) => this.endpointsOf(a),
      windowDays: () => this.settings.get().renewalWindowDays,
      now: this.now,
    });
    this.onboarding = new OnboardingService({
      db: this.db,
      vault: this.vault,
      accounts: this.accounts,
      tokens: this.tokens,
      endpoints: (s) => this.resolve(s),
      now: this.now,
      events: this.events,
      ...(opts.afterOnboardingStep ? { afterStep: opts.afterOnboardingStep } : {}),
      ...(opts.keyGenerator ? { generateKey: opts.keyGenerator } : {}),
    });
  }

  private resolve(s: EndpointSettings): Promise<ResolvedEndpoints> {
    return resolveEndpoints(s, () => this.sandbox.endpoints());
  }

  /** Endpoints of an existing account. */
  endpointsOf(a: AccountRow): Promise<ResolvedEndpoints> {
    return this.resolve({ environment: a.environment, stsUrl: a.stsUrl, pixUrl: a.pixUrl, extraCaPem: a.extraCaPem, renewalPath: a.renewalPath });
  }

  /** The contract's handlers for this core. */
  handlers(): Handlers {
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
      ...brcodeHandlers(this.settings),
      ...accountHandlers({ accounts: this.accounts, renewal: this.renewal, tokens: this.tokens, onboarding: this.onboarding, sandbox: this.sandbox }),
    };
  }

  async close(): Promise<void> {
    this.renewal.stop();
    await this.sandbox.close();
    this.db.close();
  }
}
