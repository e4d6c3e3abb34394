import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../core/contract/dispatch';
import type { CallContext } from '../core/auth/session';
import type { PixdeskEvent } from '../core/contract/events';
import { isAllowedHost, isAllowedOrigin, SECURITY_HEADERS, tokenMatches } from './guards';
import { pageWithSession, SESSION_HEADER, SessionStore } from './sessions';
import { EventStreams, type EventFeed, type StreamOptions } from './sse';

export interface HostOptions {
  dispatch: Dispatch;
  /** Folder with the built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
  maxBodyBytes?: number;
  /** Page sessions (tests pass one with a small cap or a fake clock). */
  sessions?: SessionStore;
  /** Live events served on `GET /events` (the Core's EventBus); without it /events answers 404. */
  events?: EventFeed;
  /** Whether the page of a session may receive an event (Core.eventAllowed); without it, every page gets all. */
  eventFilter?: (ctx: CallContext, event: PixdeskEvent) => boolean;
  streams?: StreamOptions;
  /** Limits against slow or idle clients holding sockets (tests use small values). */
  limits?: Partial<HostLimits>;
}

/** Timeouts and the connection cap of the host. */
export interface HostLimits {
  /** The request line and headers must arrive within this. */
  headersMs: number;
  /** The whole request (headers and body) must arrive within this; a 36 MB body over loopback takes well under it. */
  requestMs: number;
  /** An idle keep-alive socket is closed after this. */
  keepAliveMs: number;
  /** The body stalls (no byte) for this long: 408 and the socket is closed. */
  bodyIdleMs: number;
  /** Sockets open at once (tabs, their preconnects and event streams); beyond it new ones are closed. */
  maxConnections: number;
  /** How often Node checks the header/request deadlines. */
  checkIntervalMs: number;
}

const DEFAULT_LIMITS: HostLimits = { headersMs: 10_000, requestMs: 120_000, keepAliveMs: 5_000, bodyIdleMs: 15_000, maxConnections: 64, checkIntervalMs: 1_000 };

export interface RunningHost {
  port: number;
  token: string;
  /**
   * The URL to open. Each opening exchanges the run token for a new page session (one per tab); the token is
   * the key printed on this machine's terminal, the session secret is what the page then sends.
   */
  url: string;
  close(): Promise<void>;
}

/** Earlier versions kept the run token in this cookie; the launch answer clears it. */
const OLD_COOKIE = 'pixdesk_session';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

/**
 * The browser host: serves the renderer and the contract (`POST /rpc/<op>`) on 127.0.0.1 only. Every
 * request needs our Host header; state-changing requests need our Origin. The renderer's files are public
 * (they hold no secret); the contract needs a page session (`X-PixDesk-Session`, see sessions.ts), which the
 * launch URL's `?token=` opens and a live page can hand to a second tab (`POST /session/handoff`).
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  // A 25 MiB e-mail travels as ~33.4 MB of base64 inside JSON.
  const maxBody = opts.maxBodyBytes ?? 36 * 1024 * 1024;
  const root = path.resolve(opts.staticDir);
  const sessions = opts.sessions ?? new SessionStore();
  const streams = opts.events ? new EventStreams(opts.events, opts.streams) : null;
  let port = 0;

  const limits: HostLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const server = http.createServer(
    {
      headersTimeout: limits.headersMs,
      requestTimeout: Math.max(limits.requestMs, limits.headersMs),
      keepAliveTimeout: limits.keepAliveMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => {
      void handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Erro interno do PixDesk.' } });
      });
    },
  );
  server.maxConnections = limits.maxConnections;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (!isAllowedHost(req.headers.host, port)) return send(res, 421, 'Host não permitido.');
    if (!isAllowedOrigin(req.headers.origin, port, method)) return send(res, 403, 'Origem não permitida.');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return send(res, 400, 'Endereço inválido.');
    }

    // Opening a page session: the launch URL (run token) or a one-time handoff from a live page.
    if (method === 'GET' && url.pathname === '/' && (url.searchParams.has('token') || url.searchParams.has('handoff'))) {
      const launch = url.searchParams.get('token');
      if (launch !== null) {
        if (!tokenMatches(launch, token)) return send(res, 401, 'Token inválido. Abra o endereço impresso pelo PixDesk ao iniciar.');
        return servePage(res, sessions.open());
      }
      const handed = sessions.redeem(url.searchParams.get('handoff'));
      if (!handed) return send(res, 401, 'Este link de nova aba já foi usado ou expirou. Abra a nova aba outra vez a partir do PixDesk.');
      return servePage(res, sessions.open(handed.from));
    }

    const apiCall = url.pathname.startsWith('/rpc/') || url.pathname.startsWith('/session/') || url.pathname === '/events';
    if (apiCall && !sessions.check(req.headers[SESSION_HEADER])) {
      return sendJson(res, 401, {
        ok: false,
        error: { code: 'SESSION', message: 'Sessão não autorizada. Abra o endereço impresso pelo PixDesk ao iniciar (ele contém o token desta execução).' },
      });
    }

    if (url.pathname === '/events') {
      if (method !== 'GET') return sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: 'Use GET.' } });
      if (!streams) return sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Este PixDesk não publica eventos.' } });
      const ctx = { session: sessions.authOf(req.headers[SESSION_HEADER]) };
      streams.serve(req, res, opts.eventFilter ? (e) => opts.eventFilter!(ctx, e) : undefined);
      return;
    }

    if (url.pathname === '/session/handoff') {
      if (method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: 'Use POST.' } });
      return sendJson(res, 200, { ok: true, value: { url: `/?handoff=${sessions.handoff(sessions.authOf(req.headers[SESSION_HEADER]))}` } });
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: 'Use POST.' } });
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/json')) {
        return sendJson(res, 415, { ok: false, error: { code: 'CONTENT_TYPE', message: 'Envie JSON (application/json).' } });
      }
      let op: string;
      try {
        op = decodeURIComponent(url.pathname.slice('/rpc/'.length));
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'UNKNOWN_OP', message: 'Nome de operação inválido (codificação de URL quebrada).' } });
      }
      const body = await readBody(req, maxBody, limits.bodyIdleMs);
      if (body === 'too-large' || body === 'stalled') {
        // The rest of the body is not wanted: answer, then drop the connection instead of draining it.
        res.setHeader('Connection', 'close');
        res.once('finish', () => req.socket.destroy());
        return body === 'too-large'
          ? sendJson(res, 413, { ok: false, error: { code: 'TOO_LARGE', message: 'Requisição grande demais.' } })
          : sendJson(res, 408, { ok: false, error: { code: 'TIMEOUT', message: 'O envio dos dados parou no meio. Tente de novo.' } });
      }
      let input: unknown;
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as unknown) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'BAD_JSON', message: 'JSON inválido.' } });
      }
      // The page session's identity (who is logged in on this tab) goes with the call: core/auth decides.
      const result = await opts.dispatch(op, input, { session: sessions.authOf(req.headers[SESSION_HEADER]) });
      return sendJson(res, 200, result);
    }

    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'Método não permitido.');
    return serveStatic(url.pathname, res);
  }

  /** index.html carrying a new session secret for the page (never cached, never in a cookie). */
  function servePage(res: http.ServerResponse, secret: string): void {
    let html: string;
    try {
      html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
    } catch {
      return send(res, 503, 'Interface não compilada. Rode "npm run build".');
    }
    const body = pageWithSession(html, secret);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES['.html'] as string,
      'Content-Length': Buffer.byteLength(body),
      'Set-Cookie': `${OLD_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`,
    });
    res.end(body);
  }

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'Caminho inválido.');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(root, '.' + rel);
    if (!file.startsWith(root + path.sep)) return send(res, 404, 'Não encontrado.');
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      // The renderer is a single page: unknown paths get the app (its router shows the section).
      try {
        data = fs.readFileSync(path.join(root, 'index.html'));
        return send(res, 200, data, TYPES['.html']);
      } catch {
        return send(res, 503, 'Interface não compilada. Rode "npm run build".');
      }
    }
    send(res, 200, data, TYPES[path.extname(file)] ?? 'application/octet-stream');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        streams?.closeAll();
        server.close(() => resolve());
        // Idle keep-alive sockets (a browser's preconnects) would hold close() for up to a minute.
        server.closeAllConnections();
      }),
  };
}

/** Read a request body up to `max` bytes; gives up when no byte arrives for `idleMs`. */
function readBody(req: http.IncomingMessage, max: number, idleMs: number): Promise<Buffer | 'too-large' | 'stalled'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer = setTimeout(() => finish('stalled'), idleMs);
    let done = false;
    const finish = (result: Buffer | 'too-large' | 'stalled') => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      req.removeAllListeners('data');
      if (typeof result === 'string') req.pause();
      resolve(result);
    };
    req.on('data', (c: Buffer) => {
      clearTimeout(timer);
      size += c.length;
      if (size > max) return finish('too-large');
      chunks.push(c);
      timer = setTimeout(() => finish('stalled'), idleMs);
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
