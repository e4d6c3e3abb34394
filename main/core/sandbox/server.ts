import crypto from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors';
import { loadOrCreateCa, loadOrCreateServerCredentials } from './ca';
import { cobRoutes, PIX_PREFIX } from './cob-routes';
import { controlRoutes } from './control-routes';
import { FaultInjector } from './faults';
import { locRoutes } from './loc-routes';
import { correlationIdOf, peerFingerprint, readBody, sendAreaError, type Req, type Route, type RouteArea, type SandboxContext } from './http';
import { pixRoutes } from './pix-routes';
import { openSandboxState, sandboxDir, type SandboxState } from './state';
import { stsRoutes } from './sts-routes';

/** How to start the local Itaú sandbox. */
export interface SandboxOptions {
  /** Profile folder; state and keys live in `<profileDir>/sandbox/`. */
  profileDir: string;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** TCP port (default 0: a free port, reported in the result). */
  port?: number;
  /** Clock (tests move it to expire tokens, charges and refunds). */
  now?: () => Date;
  /** Imitate Itaú production quirks (default true). */
  quirks?: boolean;
  /** Whether certificate renewal answers a new `Secret:` line (default false: the old secret stays valid). */
  renewalSecret?: boolean;
  /** How long a refund stays EM_PROCESSAMENTO before DEVOLVIDO (default 2000 ms). */
  refundDelayMs?: number;
  /** Refuse a cob/cobv whose `chave` is not registered for the calling Client ID (default true, as a bank does). */
  requireRegisteredKeys?: boolean;
  /** Electron's build of better-sqlite3's native addon. */
  nativeBinding?: string;
  /** Called with a one-line description of an unexpected failure (never contains tokens or secrets). */
  onError?: (line: string) => void;
}

/** A sandbox listening for requests. */
export interface RunningSandbox {
  /** Base URL of the STS (append `/seguranca/v1/certificado/solicitacao`, `/api/oauth/token`, …). */
  stsUrl: string;
  /** Base URL of the Pix API, `…/regulatorio-pix/v2`. */
  pixUrl: string;
  /** PEM file of the sandbox CA (trust it to talk to the sandbox; `curl --cacert`). */
  caFile: string;
  caPem: string;
  /** Random id of this server, answered by `GET /sandbox/health`. */
  instanceId: string;
  /** Base URL of the loopback control routes (`/sandbox/health`, `/sandbox/faults`, `/sandbox/keys`, …). */
  controlUrl: string;
  port: number;
  state: SandboxState;
  faults: FaultInjector;
  /** Stop listening, drop open connections and close the state file. */
  close(): Promise<void>;
}

const ROUTES: Route[] = [...controlRoutes, ...stsRoutes, ...cobRoutes, ...locRoutes, ...pixRoutes];

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function dispatch(ctx: SandboxContext, raw: IncomingMessage, res: ServerResponse, onError: (l: string) => void): Promise<void> {
  const url = new URL(raw.url ?? '/', 'https://sandbox.invalid');
  const path = url.pathname;
  const method = (raw.method ?? 'GET').toUpperCase();
  let params: Record<string, string> = {};
  const match = ROUTES.find((r) => {
    if (r.method !== method) return false;
    const m = r.pattern.exec(path);
    if (m) params = { ...(m.groups ?? {}) };
    return m !== null;
  });
  const area: RouteArea = match?.area ?? (path.startsWith(PIX_PREFIX) ? 'pix' : path.startsWith('/sandbox/') ? 'control' : 'sts');
  const req: Req = {
    raw,
    res,
    method,
    path,
    query: url.searchParams,
    params,
    body: Buffer.alloc(0),
    correlationId: correlationIdOf(raw),
    peerFingerprint: peerFingerprint(raw),
    tokensExpired: false,
    refundFailure: null,
  };
  res.setHeader('x-itau-correlationID', req.correlationId);
  if (method === 'POST' && path === TOKEN_PATH) countTokenRequest(ctx, req);
  let dropResponse = false;
  if (area !== 'control') {
    const fault = ctx.faults.take(method, path);
    if (fault) {
      if (fault.latencyMs) await sleep(fault.latencyMs);
      if (fault.reset) {
        raw.socket.destroy();
        return;
      }
      if (fault.status) return sendAreaError(req, area, fault.status, `Falha injetada pelo sandbox (HTTP ${fault.status}).`);
      req.tokensExpired = fault.expireTokens;
      req.refundFailure = fault.refundFailure;
      dropResponse = fault.dropResponse;
    }
  }
  if (dropResponse) swallowAnswer(res);
  try {
    req.body = await readBody(raw);
  } catch {
    return sendAreaError(req, area, 413, 'Corpo da requisição grande demais.');
  }
  if (!match) {
    const other = ROUTES.some((r) => r.pattern.test(path));
    return sendAreaError(req, area, other ? 405 : 404, other ? 'Método não permitido para este recurso.' : 'Recurso não encontrado.');
  }
  try {
    await match.handle(ctx, req);
  } catch (e) {
    onError(`sandbox: falha inesperada em ${method} ${path}: ${(e as Error)?.name ?? 'Error'}`);
    if (!res.headersSent) sendAreaError(req, area, 500, 'Erro interno do sandbox.');
    else res.destroy();
  }
  if (dropResponse) raw.socket.destroy();
}

const TOKEN_PATH = '/api/oauth/token';

/** Count a token request for the Client ID of the certificate on the connection (benchmarks read the counts). */
function countTokenRequest(ctx: SandboxContext, req: Req): void {
  const cert = req.peerFingerprint ? ctx.state.sts.findCertificate(req.peerFingerprint) : null;
  ctx.state.sts.countTokenRequest(cert?.clientId ?? 'desconhecido');
}

/**
 * Make the handler's answer vanish: headers and body are swallowed and the socket is destroyed when the handler
 * ends its response, after its state change was committed (better-sqlite3 commits synchronously).
 */
function swallowAnswer(res: ServerResponse): void {
  const r = res as unknown as { writeHead: () => ServerResponse; write: () => boolean; end: () => ServerResponse };
  r.writeHead = () => res;
  r.write = () => true;
  r.end = () => {
    res.socket?.destroy();
    return res;
  };
}

/**
 * Start the local Itaú sandbox: a real HTTPS server with its own CA (kept in the profile), the STS with mTLS and the
 * Pix API, sharing `<profile>/sandbox/sandbox.sqlite` with any other process using the same profile.
 */
export async function startSandbox(o: SandboxOptions): Promise<RunningSandbox> {
  const host = o.host ?? '127.0.0.1';
  const dir = sandboxDir(o.profileDir);
  const state = openSandboxState(o.profileDir, o.now ?? (() => new Date()), o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
  try {
    const ca = loadOrCreateCa(dir);
    const creds = loadOrCreateServerCredentials(dir, ca, host);
    const faults = new FaultInjector();
    let port = o.port ?? 0;
    const ctx: SandboxContext = {
      state,
      ca,
      faults,
      quirks: o.quirks ?? true,
      renewalSecret: o.renewalSecret ?? false,
      refundDelayMs: o.refundDelayMs ?? 2000,
      locationHost: () => `${urlHost(host)}:${port}`,
      instanceId: crypto.randomUUID(),
      requireRegisteredKeys: o.requireRegisteredKeys ?? true,
    };
    const onError = o.onError ?? (() => undefined);
    const server = https.createServer(
      { key: creds.keyPem, cert: creds.certPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
      (raw, res) =>
        void dispatch(ctx, raw, res, onError).catch(() => {
          onError('sandbox: falha inesperada ao tratar uma requisição');
          res.destroy();
        }),
    );
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new AppError('SANDBOX_PORT_IN_USE', `A porta ${port} já está em uso. Escolha outra com --port (0 escolhe uma livre).`)
            : e,
        ),
      );
      server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    port = typeof addr === 'object' && addr ? addr.port : port;
    const base = `https://${urlHost(host)}:${port}`;
    let closed = false;
    return {
      stsUrl: base,
      pixUrl: `${base}${PIX_PREFIX}`,
      caFile: ca.certFile,
      caPem: ca.certPem,
      controlUrl: base,
      instanceId: ctx.instanceId,
      port,
      state,
      faults,
      async close() {
        if (closed) return;
        closed = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        state.close();
      },
    };
  } catch (e) {
    state.close();
    throw e;
  }
}
