import http from 'node:http';
import https from 'node:https';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
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
  /** Socket timeouts; the defaults suit partners on the shop's network, tests shorten them. */
  timeouts?: ApiTimeouts | undefined;
}

/** How long a connection may sit idle, take to send its headers, or take to send its whole request (ms). */
export interface ApiTimeouts {
  idleMs?: number | undefined;
  headersMs?: number | undefined;
  requestMs?: number | undefined;
}

export const DEFAULT_TIMEOUTS: Required<ApiTimeouts> = { idleMs: 30_000, headersMs: 15_000, requestMs: 30_000 };

/**
 * Node's own server options for those timeouts, applied alike to the HTTP and the HTTPS (LAN) server. Node checks
 * the header and request deadlines every `connectionsCheckingInterval` (30 s by default, which let a slow client
 * keep a socket for up to a minute); here it is a fraction of the shortest deadline.
 */
function serverTimeouts(t: ApiTimeouts | undefined) {
  const idleMs = t?.idleMs ?? DEFAULT_TIMEOUTS.idleMs;
  const requestMs = t?.requestMs ?? DEFAULT_TIMEOUTS.requestMs;
  const headersMs = Math.min(t?.headersMs ?? DEFAULT_TIMEOUTS.headersMs, requestMs);
  return { idleMs, http: { headersTimeout: headersMs, requestTimeout: requestMs, keepAliveTimeout: 10_000, connectionsCheckingInterval: Math.max(100, Math.min(2_000, Math.floor(headersMs / 4))) } };
}

/** Status line and pt-BR message for HTTP that could not even be parsed (node's clientError). */
function clientErrorAnswer(code: string | undefined): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large', 'Cabeçalhos da requisição grandes demais. Envie só o Authorization, o Content-Type e o corpo JSON.'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', 'A requisição demorou demais para chegar e foi encerrada. Envie cabeçalhos e corpo de uma vez e tente de novo.'];
  return [400, 'Bad Request', 'Requisição HTTP malformada: confira a linha de requisição, os cabeçalhos (Content-Length, Transfer-Encoding) e o corpo.'];
}

/**
 * Answer unparsable HTTP as every other error, `{"error": "<pt-BR>"}` (fastify's own handler answers in English,
 * with its own shape), then close the connection.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = clientErrorAnswer(err.code);
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
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
  const t = serverTimeouts(d.timeouts);
  const app = Fastify({
    logger: false,
    bodyLimit,
    connectionTimeout: t.idleMs,
    requestTimeout: t.http.requestTimeout,
    keepAliveTimeout: t.http.keepAliveTimeout,
    http: t.http,
    clientErrorHandler,
    // A URL fastify cannot decode, or a path parameter over its length limit, is answered before any hook runs, in
    // English and echoing the URL (found by fuzz-http): answered here as every other error.
    frameworkErrors: (err, _req, reply) => {
      const { status, message } = toHttpError(err);
      void (reply as FastifyReply).code(status).type('application/json; charset=utf-8').header('cache-control', 'no-store').send({ error: message });
    },
    return503OnClosing: true,
    trustProxy: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: false } },
    // LAN mode: the same app on an HTTPS server (TLS 1.2+). fastify's types follow the server it is given; the
    // routes only use what http and https servers share, so the https server stands in for the http type. fastify
    // does not apply its timeouts to a server it did not create (found by fuzz-http: the LAN server kept node's
    // defaults, no idle timeout and 5 minutes per request), so they are set here.
    ...(d.tls
      ? {
          serverFactory: (handler: http.RequestListener) => {
            const server = https.createServer({ key: d.tls!.keyPem, cert: d.tls!.certPem, minVersion: 'TLSv1.2', ...t.http }, handler);
            server.setTimeout(t.idleMs);
            return server as unknown as http.Server;
          },
        }
      : {}),
  });
  // An `Expect` other than 100-continue: node answers 417 by itself, with no JSON (found by fuzz-http).
  app.server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = JSON.stringify({ error: 'Cabeçalho Expect não aceito: envie a requisição sem ele (ou com "Expect: 100-continue").' });
    res.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', connection: 'close' });
    res.end(body);
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
