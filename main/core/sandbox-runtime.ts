import { AppError } from './errors';
import type { SandboxEndpoints } from './itau/endpoints';
import {
  FaultInjector,
  controlRequest,
  controlResult,
  findLiveInstance,
  openSandboxState,
  pidAlive,
  startSandbox,
  type FaultSpec,
  type PaymentResult,
  type PayOptions,
  type RunningSandbox,
  type SandboxStats,
  type SeedPixOptions,
} from './sandbox';
import { SANDBOX_ISSUER } from './sandbox/jwt';
import { secureProfileDir, withPrivateUmask } from './profile';

/**
 * The sandbox this process talks to: the profile's `pixdesk sandbox serve` (`mode: 'external'`), or one started
 * in-process. `state` is the shared state file, opened in this process in both modes (keys, payments and stats go
 * straight to it). `faults` works synchronously only in-process; use `SandboxRuntime.setFault` in either mode.
 */
export type SandboxHandle = RunningSandbox & { mode: 'external' | 'in-process' };

/** Faults of another process cannot be set synchronously: point at the async method instead of racing. */
class ExternalFaults extends FaultInjector {
  override set(): void {
    throw new AppError('SANDBOX_EXTERNAL_FAULTS', 'O sandbox em uso é o de "pixdesk sandbox serve": use await SandboxRuntime.setFault(...).');
  }
  override clear(): void {
    throw new AppError('SANDBOX_EXTERNAL_FAULTS', 'O sandbox em uso é o de "pixdesk sandbox serve": use await SandboxRuntime.clearFaults(...).');
  }
}

/** What `pay` accepts: a BR Code, a charge's txid, or a direct transfer to a key. */
export type SandboxPayment =
  | ({ brcode: string } & PayOptions)
  | ({ txid: string; clientId?: string } & PayOptions)
  | ({ key: string; amount: string } & PayOptions);

interface Active {
  handle: SandboxHandle;
  /** In-process only. */
  running: RunningSandbox | null;
  /** External only: the pid whose death makes us look again. */
  pid: number | null;
}

/**
 * The profile's local Itaú sandbox as the app and the CLI use it. When `pixdesk sandbox serve` runs for the profile
 * (its `instance.json` present, pid alive, health answering) everything goes to that instance, so faults set on it
 * apply here too; otherwise a server is started in-process on a free loopback port the first time it is needed and
 * shared by everything in this process. The decision is re-made when the external instance dies.
 */
export class SandboxRuntime {
  /** `iss` of the temporary tokens this sandbox issues (services get it injected instead of importing the sandbox). */
  readonly issuer: string = SANDBOX_ISSUER;
  private active: Promise<Active> | null = null;

  constructor(
    private readonly profileDir: string,
    private readonly nativeBinding?: string,
    private readonly opts: { useExternal?: boolean } = {},
  ) {}

  /** Base URLs and CA of the sandbox (starting one if needed). */
  async endpoints(): Promise<SandboxEndpoints> {
    const sb = await this.get();
    return { stsUrl: sb.stsUrl, pixUrl: sb.pixUrl, caPem: sb.caPem };
  }

  /** The sandbox in use (resolving or starting it on first use). */
  async get(): Promise<SandboxHandle> {
    return (await this.resolve()).handle;
  }

  private async resolve(): Promise<Active> {
    if (this.active) {
      const pending = this.active;
      const cur = await pending.catch(() => null);
      if (cur && (cur.pid === null || pidAlive(cur.pid))) return cur;
      // The external instance died: look again (once, if several callers noticed together).
      if (this.active !== pending) return this.resolve();
      if (cur) cur.handle.state.close();
      this.active = null;
    }
    const p = this.open();
    this.active = p;
    p.catch(() => {
      if (this.active === p) this.active = null;
    });
    return p;
  }

  private async open(): Promise<Active> {
    const nb = this.nativeBinding ? { nativeBinding: this.nativeBinding } : {};
    const ext = this.opts.useExternal === false ? null : await findLiveInstance(this.profileDir);
    if (ext) {
      const state = withPrivateUmask(() => openSandboxState(this.profileDir, () => new Date(), nb));
      const handle: SandboxHandle = {
        mode: 'external',
        stsUrl: ext.stsUrl,
        pixUrl: ext.pixUrl,
        controlUrl: ext.controlUrl,
        caPem: ext.caPem,
        caFile: ext.caFile,
        instanceId: ext.instanceId,
        port: Number(new URL(ext.controlUrl).port || 443),
        state,
        faults: new ExternalFaults(),
        close: async () => state.close(),
      };
      return { handle, running: null, pid: ext.pid };
    }
    const sb = await withPrivateUmask(() => startSandbox({ profileDir: this.profileDir, host: '127.0.0.1', port: 0, ...nb }));
    // Its CA, keys and database live in the profile: owner-only like the rest of it.
    secureProfileDir(this.profileDir);
    return { handle: { ...sb, mode: 'in-process' }, running: sb, pid: null };
  }

  /**
   * Register a Pix key for a Client ID at the sandbox (idempotent), so cobs on it are accepted. Throws AppError
   * SANDBOX_PIX_KEY_INVALID (not a DICT key) or SANDBOX_PIX_KEY_TAKEN (another Client ID owns it), pt-BR message.
   */
  async registerPixKey(clientId: string, key: string): Promise<void> {
    (await this.get()).state.keys.register(clientId, key);
  }

  /** Unregister a key of a Client ID; false when it was not registered for it. */
  async unregisterPixKey(clientId: string, key: string): Promise<boolean> {
    return (await this.get()).state.keys.unregister(clientId, key);
  }

  /** The keys registered for a Client ID. */
  async pixKeys(clientId: string): Promise<string[]> {
    return (await this.get()).state.keys.list(clientId);
  }

  /** `/api/oauth/token` requests the sandbox received from this Client ID since the last `resetStats`. */
  async tokenRequests(clientId: string): Promise<number> {
    return (await this.stats()).tokenRequests[clientId.toLowerCase()] ?? 0;
  }

  /** Token requests and charges per Client ID, received Pix in total. */
  async stats(): Promise<SandboxStats> {
    return (await this.get()).state.stats();
  }

  /** Zero the token request counts. */
  async resetStats(): Promise<void> {
    (await this.get()).state.sts.resetTokenRequestCounts();
  }

  /**
   * Inject a fault (see FaultSpec: latencyMs, status, reset, dropResponse, expireTokens, refund/motivo, times) on
   * requests matching `"[METHOD ]/path-with-*"`. Applies to the external instance when one is in use.
   */
  async setFault(route: string, spec: FaultSpec): Promise<void> {
    const a = await this.resolve();
    if (a.running) a.running.faults.set(route, spec);
    else controlResult(await controlRequest(a.handle, 'POST', '/sandbox/faults', { route, ...spec }));
  }

  /** Remove one route's fault, or all. */
  async clearFaults(route?: string): Promise<void> {
    const a = await this.resolve();
    if (a.running) a.running.faults.clear(route);
    else controlResult(await controlRequest(a.handle, 'POST', '/sandbox/faults', { clear: true, ...(route ? { route } : {}) }));
  }

  /** Pay as a payer's bank app: a BR Code (static or dynamic), a charge by txid, or a transfer to a key. */
  async pay(p: SandboxPayment): Promise<PaymentResult> {
    const { state } = await this.get();
    if ('brcode' in p) return state.pay(p.brcode, p);
    if ('txid' in p) return state.payTxid(p.txid, p);
    return state.payKey(p.key, p);
  }

  /** Record many received Pix at once (benchmarks of reconciliation). */
  async seedPix(o: SeedPixOptions): Promise<{ count: number; fromMs: number; toMs: number; chave: string }> {
    return (await this.get()).state.seedPix(o);
  }

  /** Stop the in-process server (or close the state handle of an external one). */
  async close(): Promise<void> {
    if (!this.active) return;
    const p = this.active;
    this.active = null;
    try {
      const a = await p;
      if (a.running) await a.running.close();
      else a.handle.state.close();
    } catch {
      /* it never started */
    }
  }
}
