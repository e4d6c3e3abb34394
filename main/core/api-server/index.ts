import type { FastifyInstance } from 'fastify';
import type { Core } from '../app';
import { ApiStore } from './api-store';
import { ChargeApi } from './charge-api';
import { QrCodeApi } from './qrcode-api';
import { AppError } from '../errors';
import { lanAddresses, lanCredentials } from './lan-tls';
import { buildApiServer } from './server';
import { WebhookService } from './webhooks';
import { webhookRoutes } from './webhook-routes';

export { buildApiServer, DEFAULT_BODY_LIMIT } from './server';
export { ApiStore } from './api-store';
export { ChargeApi } from './charge-api';
export { WebhookService } from './webhooks';
export { loadOrCreateLanCa, lanAddresses } from './lan-tls';

export const DEFAULT_API_PORT = 8787;

export interface ApiServeOptions {
  host?: string | undefined;
  /** 0: any free port. */
  port?: number | undefined;
  /** Also start the charges engine's background confirmation (the headless `pixdesk api serve` does). */
  startEngine?: boolean | undefined;
  /** Start the webhook sender (default true). */
  webhooks?: boolean | undefined;
  bodyLimit?: number | undefined;
  /**
   * Serve the shop's network: HTTPS only, with a certificate from the profile's local CA. Required for any host
   * other than loopback (the API never answers plain HTTP beyond this machine).
   */
  lan?: boolean | undefined;
  /** How often usage counts are written (default 1 s). */
  flushEveryMs?: number | undefined;
  onUnexpected?: (e: unknown) => void;
}

/**
 * The local API of one profile, running: the fastify server on 127.0.0.1 (unless another host is asked for), the
 * webhook sender and, when asked, the charges engine's background rounds. `stop()` ends all of it and waits for bank
 * calls in flight, so the Core can close after it.
 */
export class ApiRuntime {
  private flushTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly core: Core,
    readonly server: FastifyInstance,
    readonly charges: ChargeApi,
    readonly webhooks: WebhookService,
    readonly url: string,
    /** LAN mode: the local CA certificate partners must trust (null on loopback HTTP). */
    readonly caPem: string | null,
    private readonly engineStarted: boolean,
    private readonly senderStarted: boolean,
  ) {}

  /** Build and listen; resolves once the port is bound. */
  static async start(core: Core, o: ApiServeOptions = {}): Promise<ApiRuntime> {
    const host = o.host ?? '127.0.0.1';
    const loopback = host === '127.0.0.1' || host === '::1';
    if (!loopback && !o.lan) {
      throw new AppError('API_LAN_NEEDS_HTTPS', `Para atender a rede local (${host}) a API precisa do modo rede (HTTPS com a CA local do perfil): use --lan.`);
    }
    const tls = o.lan ? lanCredentials(core.db, core.vault, host) : null;
    const store = new ApiStore(core.db);
    let base = '';
    const baseUrl = () => base;
    const webhooks = core.webhooks;
    const charges = new ChargeApi({ engine: core.charges, store, baseUrl, onCreated: (appId, v) => webhooks.chargeCreated(appId, v, base) });
    webhooks.setBaseUrl(baseUrl);
    const qrcodes = new QrCodeApi(core.charges, store, baseUrl);
    const server = await buildApiServer({
      apps: core.apps,
      charges,
      qrcodes,
      pay: { charges, store },
      extraRoutes: [(app) => webhookRoutes(app, webhooks)],
      ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}),
      ...(tls ? { tls } : {}),
      ...(o.onUnexpected ? { onUnexpected: o.onUnexpected } : {}),
    });
    await server.listen({ host, port: o.port ?? DEFAULT_API_PORT });
    const addr = server.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? DEFAULT_API_PORT);
    const shown = host === '0.0.0.0' || host === '::' ? (lanAddresses().find((a) => !a.includes(':')) ?? '127.0.0.1') : host;
    base = `${tls ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
    if (o.startEngine) core.charges.start();
    if (o.webhooks !== false) webhooks.startSender();
    const rt = new ApiRuntime(core, server, charges, webhooks, base, tls?.caPem ?? null, o.startEngine === true, o.webhooks !== false);
    rt.flushTimer = setInterval(() => core.apps.flushUsage(), o.flushEveryMs ?? 1000);
    rt.flushTimer.unref();
    return rt;
  }

  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.server.close();
    if (this.senderStarted) await this.webhooks.stopSender();
    await this.charges.settle();
    if (this.engineStarted) await this.core.charges.stop();
    this.core.apps.flushUsage();
  }
}
