import crypto from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import { AppError } from '../errors';

/** TLS material of one request: trusted CAs (system roots plus extras) and, for mTLS, our cert and key. */
export interface TlsOptions {
  /** Extra trusted CAs in PEM: the sandbox CA, or a company's TLS-inspecting proxy CA. */
  extraCa?: string[] | undefined;
  /** Trust ONLY extraCa (the local sandbox), not the system roots. */
  onlyExtraCa?: boolean | undefined;
  certPem?: string | undefined;
  keyPem?: string | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Buffer;
  tls?: TlsOptions;
  timeoutMs?: number;
}

/** Errors that say the request may not have reached the bank, or its answer was lost: safe to retry reads. */
export const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'TIMEOUT', 'EHOSTUNREACH']);

/** A network failure, with the Node error code kept for retry decisions (message in pt-BR). */
export class NetworkError extends AppError {
  constructor(readonly netCode: string, message: string) {
    super('NETWORK', message, { netCode });
  }
}

function describeNetError(code: string, host: string): string {
  if (code === 'ECONNREFUSED') return `Não foi possível conectar a ${host} (conexão recusada). Verifique a internet e o endereço configurado.`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `A conexão com ${host} caiu no meio da operação. Tente novamente.`;
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT') return `${host} não respondeu a tempo. Tente novamente em instantes.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `O endereço ${host} não foi encontrado (DNS). Verifique a internet ou o endereço configurado.`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|SIGNATURE/.test(code)) {
    return `O certificado TLS de ${host} não é confiável neste computador. Se a empresa usa um proxy que inspeciona TLS, cadastre o certificado da CA do proxy na conta.`;
  }
  return `Falha de rede ao falar com ${host} (${code}). Tente novamente.`;
}

const MAX_AGENTS = 32;
const agents = new Map<string, https.Agent>();

/**
 * One keep-alive agent per distinct TLS material (trusted CAs, client certificate and key). Reusing it skips
 * re-parsing ~140 system roots and re-doing full TLS handshakes on every call to the bank. Keys are hashes,
 * so no key material is kept as a map key; idle sockets are unref'd and never keep the process alive.
 */
function agentFor(t: TlsOptions): https.Agent {
  const id = crypto
    .createHash('sha256')
    .update(JSON.stringify([t.onlyExtraCa ?? false, t.extraCa ?? [], t.certPem ?? '', t.keyPem ?? '']))
    .digest('hex');
  let agent = agents.get(id);
  if (agent) {
    agents.delete(id);
    agents.set(id, agent); // most recently used last
    return agent;
  }
  const ca = t.extraCa?.length ? (t.onlyExtraCa ? t.extraCa : [...tls.rootCertificates, ...t.extraCa]) : undefined;
  agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca, cert: t.certPem, key: t.keyPem, minVersion: 'TLSv1.2' });
  agents.set(id, agent);
  if (agents.size > MAX_AGENTS) {
    const [oldestId, oldest] = agents.entries().next().value as [string, https.Agent];
    agents.delete(oldestId);
    oldest.destroy();
  }
  return agent;
}

/** Close every pooled connection (on shutdown, or after credentials change). */
export function closeHttpsAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

/** One HTTPS request with explicit TLS material; resolves with any HTTP status, rejects only on network errors. */
export function httpsRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  if (url.protocol !== 'https:') {
    return Promise.reject(new AppError('CONFIG', `Endereço inválido (${url.protocol}): a comunicação com o banco é sempre HTTPS.`));
  }
  return send(url, req, agentFor(req.tls ?? {}), true);
}

function send(url: URL, req: HttpRequest, agent: https.Agent, mayRetry: boolean): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port || 443,
        path: url.pathname + url.search,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e: NodeJS.ErrnoException) => reject(new NetworkError(e.code ?? 'ECONNRESET', describeNetError(e.code ?? 'ECONNRESET', url.host))));
      },
    );
    r.setTimeout(req.timeoutMs ?? 30_000, () => r.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    r.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'UNKNOWN';
      // A pooled connection the server had already closed fails before the request reached it: send once more
      // on a fresh connection (Node's documented pattern for keep-alive races).
      if (mayRetry && r.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
        send(url, req, agent, false).then(resolve, reject);
        return;
      }
      reject(new NetworkError(code, describeNetError(code, url.host)));
    });
    r.end(req.body);
  });
}

/** Pull a short, printable message out of a bank error body (Itaú `{mensagem, acao}` or RFC 7807). */
export function bankErrorText(body: Buffer): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const o = parsed as Record<string, unknown>;
  const parts = [o.mensagem, o.detail ?? o.title, o.acao].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (!parts.length) return null;
  // Bank text is shown to people: keep it short and printable.
  return Array.from(parts.join(' — '), (ch) => (ch.charCodeAt(0) < 0x20 ? ' ' : ch)).join('').slice(0, 300);
}
