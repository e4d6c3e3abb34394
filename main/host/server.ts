import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../core/contract/dispatch';
import { isAllowedHost, isAllowedOrigin, readCookie, SECURITY_HEADERS, tokenMatches } from './guards';

export interface HostOptions {
  dispatch: Dispatch;
  /** Folder with the built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
  maxBodyBytes?: number;
}

export interface RunningHost {
  port: number;
  token: string;
  /** The URL to open: it carries the token once, then a cookie keeps the session. */
  url: string;
  close(): Promise<void>;
}

const COOKIE = 'pixdesk_session';
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
 * request needs our Host header; state-changing requests need our Origin; everything needs the run's
 * token (first as `?token=` on the launch URL, which sets an HttpOnly SameSite=Strict cookie).
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  // A 25 MiB e-mail travels as ~33.4 MB of base64 inside JSON.
  const maxBody = opts.maxBodyBytes ?? 36 * 1024 * 1024;
  const root = path.resolve(opts.staticDir);
  let port = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Erro interno do PixDesk.' } });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (!isAllowedHost(req.headers.host, port)) return send(res, 421, 'Host não permitido.');
    if (!isAllowedOrigin(req.headers.origin, port, method)) return send(res, 403, 'Origem não permitida.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    const queryToken = url.searchParams.get('token');
    if (method === 'GET' && url.pathname === '/' && queryToken !== null) {
      if (!tokenMatches(queryToken, token)) return send(res, 401, 'Token inválido. Abra o endereço impresso pelo PixDesk ao iniciar.');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      return void res.end();
    }
    const presented = readCookie(req.headers.cookie, COOKIE) ?? req.headers['x-pixdesk-token'];
    if (!tokenMatches(presented, token)) {
      return send(res, 401, 'Sessão não autorizada. Abra o endereço impresso pelo PixDesk ao iniciar (ele contém o token desta execução).');
    }

    if (url.pathname.startsWith('/rpc/')) {
      if (method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: 'Use POST.' } });
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/json')) {
        return sendJson(res, 415, { ok: false, error: { code: 'CONTENT_TYPE', message: 'Envie JSON (application/json).' } });
      }
      const body = await readBody(req, maxBody);
      if (body === null) {
        return sendJson(res, 413, { ok: false, error: { code: 'TOO_LARGE', message: 'Requisição grande demais.' } });
      }
      let input: unknown;
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as unknown) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'BAD_JSON', message: 'JSON inválido.' } });
      }
      const op = decodeURIComponent(url.pathname.slice('/rpc/'.length));
      const result = await opts.dispatch(op, input);
      return sendJson(res, 200, result);
    }

    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'Método não permitido.');
    return serveStatic(url.pathname, res);
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
        server.close(() => resolve());
        // Idle keep-alive sockets (a browser's preconnects) would hold close() for up to a minute.
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
