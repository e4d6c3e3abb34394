import http from 'node:http';
import https from 'node:https';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { ipAllowed, type ApiAppService, type AuthenticatedApp } from '../apps';
import type { ApiScope } from '../contract/types';
import type { ChargeApi } from './charge-api';
import { chargeRoutes } from './charge-routes';
import { ApiError, toHttpError } from './http-errors';
import { payRoutes, type PayDeps } from './pay-routes';
import type { QrCodeApi } from './qrcode-api';

declare module 'fastify' {
  interface FastifyRequest {
    /** The app whose AppID authenticated this request (null on public routes). */
    pixApp: AuthenticatedApp | null;
  }
  interface FastifyContextConfig {
    /** The scope an app needs for this route. */
    scope?: ApiScope;
    /** Served without an AppID (payment page, QR image, webhook public keys). */
    public?: boolean;
  }
}

export const DEFAULT_BODY_LIMIT = 16 * 1024;

export interface ApiServerDeps {
  apps: ApiAppService;
  charges: ChargeApi;
  qrcodes: QrCodeApi;
  pay: PayDeps;
  /** More routes (webhooks), registered after the shared hooks. */
  extraRoutes?: ((app: FastifyInstance) => void)[];
  bodyLimit?: number;
  /** Serve HTTPS only, with this key and certificate (LAN mode). */
  tls?: { keyPem: string; certPem: string } | undefined;
  /** Requests (and public routes, per IP) allowed per minute when no app is known yet. */
  anonymousPerMinute?: number;
  /** Called with errors that were not expected (answered as a generic 500, never with their text). */
  onUnexpected?: (e: unknown) => void;
}

/** JSON parser that accepts an empty body (the OpenPix SDK sends Content-Type: application/json on GET/DELETE). */
function jsonParser(body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') {
    done(null, undefined);
    return;
  }
  try {
    // Keys that could reach an object's prototype are dropped, whatever is done with the body later.
    done(null, JSON.parse(body, (k, v: unknown) => (k === '__proto__' || k === 'constructor' ? undefined : v)));
  } catch {
    done(new ApiError(400, 'JSON inválido no corpo da requisição. Confira aspas, vírgulas e chaves.'));
  }
}

/**
 * The local OpenPix-compatible API on fastify: raw `Authorization: <AppID>`, the app's IP allow-list and scopes
 * checked before anything else, a per-app rate limit, JSON schemas per route, a 16 KiB body limit, timeouts, and
 * every error as `{"error": "<pt-BR>"}` (never a stack). Call `listen()` on the result.
 */
export async function buildApiServer(d: ApiServerDeps): Promise<FastifyInstance> {
  const bodyLimit = d.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: false,
    bodyLimit,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
    trustProxy: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: false } },
    // LAN mode: the same app on an HTTPS server (TLS 1.2+). fastify's types follow the server it is given; the
    // routes only use what http and https servers share, so the https server stands in for the http type.
    ...(d.tls
      ? {
          serverFactory: (handler: http.RequestListener) =>
            https.createServer({ key: d.tls!.keyPem, cert: d.tls!.certPem, minVersion: 'TLSv1.2' }, handler) as unknown as http.Server,
        }
      : {}),
  });
  app.decorateRequest('pixApp', null);
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_req, body, done) => jsonParser(body as string, done));

  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config;
    if (cfg.public) return;
    const a = d.apps.authenticate(req.headers.authorization);
    if (!a) throw new ApiError(401, 'AppID ausente, inválido ou revogado. Envie o AppID do app no cabeçalho Authorization, sem "Bearer".');
    if (!ipAllowed(a, req.ip)) throw new ApiError(403, `O endereço IP ${req.ip} não está na lista de IPs permitidos do app "${a.name}".`);
    req.pixApp = a;
    d.apps.recordUse(a.id, req.ip);
    if (cfg.scope && !a.scopes.has(cfg.scope)) {
      throw new ApiError(403, `O app "${a.name}" não tem o escopo ${cfg.scope}, necessário para esta operação. Inclua o escopo no app (Apps de API) ou use outro AppID.`);
    }
  });
  // Registered after the auth hook, so the limit is counted per app (route-level hooks run after this one).
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: 60_000,
    max: (req) => req.pixApp?.rateLimitPerMinute ?? d.anonymousPerMinute ?? 600,
    keyGenerator: (req) => (req.pixApp ? `app:${req.pixApp.id}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, error: 'Too Many Requests', message: `retry in ${ctx.after}` }),
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler((err, _req, reply) => {
    const { status, message } = toHttpError(err);
    if (status >= 500 && !(err instanceof ApiError)) d.onUnexpected?.(err);
    void reply.code(status).type('application/json; charset=utf-8').send({ error: message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: `Rota não encontrada: ${req.method} ${req.url.split('?')[0]!.slice(0, 100)}. Veja as rotas em docs/api.md.` });
  });

  chargeRoutes(app, d.charges, d.qrcodes);
  payRoutes(app, d.pay);
  for (const r of d.extraRoutes ?? []) r(app);
  return app;
}
