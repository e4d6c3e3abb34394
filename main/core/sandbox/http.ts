import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SandboxCa } from './ca';
import type { FaultInjector } from './faults';
import type { Violacao } from './request-schemas';
import type { SandboxState } from './state';

/** Everything a route handler needs from the running server. */
export interface SandboxContext {
  state: SandboxState;
  ca: SandboxCa;
  faults: FaultInjector;
  /** Production quirks (Brasília time with a `Z`, no milliseconds in GET /pix, empty windows with 100 pages). */
  quirks: boolean;
  /** Whether certificate renewal answers with a new `Secret:` line. */
  renewalSecret: boolean;
  /** Time a refund stays EM_PROCESSAMENTO. */
  refundDelayMs: number;
  /** `host:port` written into charge locations (no scheme, as BCB's `location`). */
  locationHost(): string;
  /** Refuse cob/cobv on a `chave` not registered for the caller (default true). */
  requireRegisteredKeys: boolean;
  /** Random id of this running server, answered by `/sandbox/health` (tells a live instance from a reused pid). */
  instanceId: string;
}

/** One request, parsed. */
export interface Req {
  raw: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: Buffer;
  correlationId: string;
  /** SHA-256 fingerprint (lowercase hex) of the client certificate presented in the TLS handshake, if any. */
  peerFingerprint: string | null;
  /** Set by an `expireTokens` fault: every token in this request is treated as expired. */
  tokensExpired: boolean;
  /** Set by a `refund: 'NAO_REALIZADO'` fault: a refund requested now will not be made. */
  refundFailure: { motivo: string } | null;
}

/** Which family of error bodies a route speaks. */
export type RouteArea = 'sts' | 'pix' | 'public' | 'control';

export interface Route {
  method: string;
  pattern: RegExp;
  area: RouteArea;
  handle(ctx: SandboxContext, req: Req): Promise<void> | void;
}

/** Build a route from a path template like `/cob/:txid` under `prefix`. Parameters match one path segment. */
export function route(method: string, prefix: string, template: string, area: RouteArea, handle: Route['handle']): Route {
  const src = (prefix + template)
    .split('/')
    .map((seg) => (seg.startsWith(':') ? `(?<${seg.slice(1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, pattern: new RegExp(`^${src}$`), area, handle };
}

/** Read the whole request body, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Fingerprint of the certificate the client proved possession of. The server runs with `rejectUnauthorized: false`
 * so a request without (or with a foreign) certificate still reaches the route, which answers like Itaú (403 C100);
 * possession of the key is guaranteed by the TLS handshake itself, and the fingerprint is then looked up among the
 * certificates the sandbox issued.
 */
export function peerFingerprint(req: IncomingMessage): string | null {
  const sock = req.socket as TLSSocket;
  if (typeof sock.getPeerCertificate !== 'function') return null;
  const cert = sock.getPeerCertificate(false);
  if (!cert || !cert.fingerprint256) return null;
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

/** Send a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`, 'Content-Length': data.length, 'Cache-Control': 'no-store' });
  res.end(data);
}

/** Send a text/plain body. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  const data = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': data.length, 'Cache-Control': 'no-store' });
  res.end(data);
}

/** An STS error as Itaú writes it: `{codigo?, mensagem, acao}`. */
export function sendStsError(res: ServerResponse, status: number, mensagem: string, acao: string, codigo?: string): void {
  sendJson(res, status, codigo ? { codigo, mensagem, acao } : { mensagem, acao });
}

const PROBLEM_TITLES: Record<number, [string, string]> = {
  400: ['RequisicaoInvalida', 'Requisição inválida'],
  401: ['NaoAutorizado', 'Não autorizado'],
  403: ['AcessoNegado', 'Acesso Negado'],
  404: ['NaoEncontrado', 'Não Encontrado'],
  405: ['MetodoNaoPermitido', 'Método não permitido'],
  415: ['TipoDeMidiaNaoSuportado', 'Tipo de mídia não suportado'],
  429: ['MuitasRequisicoes', 'Muitas requisições'],
  500: ['ErroInterno', 'Erro interno'],
  502: ['ServicoIndisponivel', 'Serviço Indisponível'],
  503: ['ServicoIndisponivel', 'Serviço Indisponível'],
  504: ['ServicoIndisponivel', 'Serviço Indisponível'],
};

/** Options of an RFC 7807 problem; `type` is the last segment of BCB's error URI (e.g. "CobOperacaoInvalida"). */
export interface ProblemInit {
  type?: string;
  title?: string;
  detail: string;
  violacoes?: Violacao[];
}

/** An RFC 7807 problem as BCB specifies it, served as application/problem+json. */
export function sendProblem(req: Req, status: number, p: ProblemInit): void {
  const [defType, defTitle] = PROBLEM_TITLES[status] ?? ['Erro', 'Erro'];
  const body: Record<string, unknown> = {
    type: `https://pix.bcb.gov.br/api/v2/error/${p.type ?? defType}`,
    title: p.title ?? defTitle,
    status,
    detail: p.detail,
    correlationId: req.correlationId,
  };
  if (p.violacoes) body.violacoes = p.violacoes;
  sendJson(req.res, status, body, 'application/problem+json');
}

/** Send an error in the shape of the route's area (used for injected faults and unexpected failures). */
export function sendAreaError(req: Req, area: RouteArea, status: number, detail: string): void {
  if (area === 'pix' || area === 'public') sendProblem(req, status, { detail });
  else sendStsError(req.res, status, detail, 'Tente novamente em alguns instantes.');
}

/** The correlation id of a request: the client's `x-itau-correlationID` when sane, else a new UUID. */
export function correlationIdOf(req: IncomingMessage): string {
  const h = req.headers['x-itau-correlationid'];
  const v = Array.isArray(h) ? h[0] : h;
  return v && /^[A-Za-z0-9-]{1,64}$/.test(v) ? v : crypto.randomUUID();
}

/** The Bearer token of the Authorization header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

/** The media type of the request (lowercase, without parameters). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
