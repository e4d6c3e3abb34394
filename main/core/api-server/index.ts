import type { FastifyInstance } from 'fastify';
import type { Core } from '../app';
import { ApiStore } from './api-store';
import { ChargeApi } from './charge-api';
import { QrCodeApi } from './qrcode-api';
import { AppError } from '../errors';
import { lanAddresses, lanCredentials } from './lan-tls';
import { buildApiServer, type ApiTimeouts } from './server';
import { WebhookService } from './webhooks';
import { webhookRoutes } from './webhook-routes';

export { buildApiServer, DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUTS, type ApiTimeouts } from './server';
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
  /** Socket timeouts (defaults in server.ts; tests shorten them). */
  timeouts?: ApiTimeouts | undefined;
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
      ...(o.timeouts ? { timeouts: o.timeouts } : {}),
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

/**
 * The local API as the desktop app and the browser host start it: on 127.0.0.1, port from `PIXDESK_API_PORT`
 * (default {@link DEFAULT_API_PORT}; `off` turns it off). A busy port never stops the app: the API stays off, with
 * a pt-BR line saying why and what to do, and `pixdesk api serve --port P` remains available. The charges engine
 * is started by the shell itself.
 */
export async function startAppApi(core: Core, spec: string | undefined, warn: (line: string) => void): Promise<ApiRuntime | null> {
  if (spec === 'off') return null;
  const port = spec === undefined || spec === '' ? DEFAULT_API_PORT : Number(spec);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    warn(`API local desligada: PIXDESK_API_PORT="${spec}" não é uma porta válida (use um número de 0 a 65535 ou "off").`);
    return null;
  }
  try {
    return await ApiRuntime.start(core, { port, onUnexpected: (e) => core.log.error({ err: e }, 'api unexpected error') });
  } catch (e) {
    const busy = (e as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
    core.log.warn({ err: e, port }, 'local api not started');
    warn(
      busy
        ? `API local desligada: a porta ${port} já está em uso neste computador. Feche o outro programa ou defina PIXDESK_API_PORT com outra porta.`
        : 'API local desligada: não foi possível iniciá-la (detalhes no log do perfil).',
    );
    return null;
  }
}
