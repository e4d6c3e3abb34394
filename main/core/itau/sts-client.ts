import { AppError } from '../errors';
import type { Logger } from '../log';
import { bankErrorText, httpsRequest, type HttpRequest, type HttpResponse, type TlsOptions } from './http';

/** What Itaú's STS answers to a CSR: the client secret (only on first issue, sometimes on renewal) and the certificate. */
export interface CertificateResponse {
  secret: string | null;
  certPem: string;
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/**
 * Parse the text/plain answer of `/certificado/solicitacao` or `/renovacao`, robustly: the secret is the first
 * non-empty line before the certificate, with or without a `Secret:` prefix; the certificate is the first PEM block.
 */
export function parseCertificateResponse(text: string, requireSecret: boolean): CertificateResponse {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) {
    throw new AppError('STS_RESPONSE', 'A resposta do Itaú não trouxe o certificado esperado. A resposta foi guardada; tente retomar o onboarding ou fale com o gerente.');
  }
  const certPem = text.slice(start, end + END.length) + '\n';
  const before = text.slice(0, start).split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '');
  let secret: string | null = before ? before.replace(/^secret\s*:\s*/i, '').trim() : null;
  if (secret === '') secret = null;
  if (requireSecret && !secret) {
    throw new AppError('STS_RESPONSE', 'A resposta do Itaú não trouxe o client secret junto do certificado. Fale com o gerente: o secret é mostrado uma única vez.');
  }
  return { secret, certPem };
}

/** Map an STS error status to a pt-BR explanation of what happened and what to do next. */
export function stsError(res: HttpResponse, stage: 'solicitacao' | 'token' | 'renovacao'): AppError {
  const bank = bankErrorText(res.body);
  const said = bank ? ` O banco respondeu: "${bank}".` : '';
  if (stage === 'solicitacao') {
    if (res.status === 401 || res.status === 403) {
      return new AppError('TOKEN_REJECTED', `O Itaú recusou o token temporário (expirado, já usado ou de outro Client ID).${said} Peça ao gerente Itaú um novo token e importe a nova planilha.`, { status: res.status });
    }
    if (res.status === 400 || res.status === 422) {
      return new AppError('CSR_REJECTED', `O Itaú recusou a solicitação de certificado.${said} Confira o Client ID da planilha.`, { status: res.status });
    }
  }
  if (stage === 'token') {
    if (res.status === 403) return new AppError('MTLS_REFUSED', `O Itaú não aceitou o certificado desta conta (mTLS).${said} Verifique se o certificado não expirou.`, { status: 403 });
    if (res.status === 401) return new AppError('SECRET_REJECTED', `O Itaú recusou o client secret desta conta.${said}`, { status: 401 });
  }
  if (res.status >= 500) {
    return new AppError('BANK_UNAVAILABLE', `O Itaú está com instabilidade (HTTP ${res.status}).${said} Tente novamente em alguns minutos.`, { status: res.status });
  }
  return new AppError('BANK_ERROR', `O Itaú respondeu com erro (HTTP ${res.status}).${said}`, { status: res.status });
}

export interface StsEndpoints {
  /** e.g. https://sts.itau.com.br */
  stsUrl: string;
  tls: Pick<TlsOptions, 'extraCa' | 'onlyExtraCa'>;
  /** Renewal path variant: v1, or v2 with `x-itau-force-cert: true`. */
  renewalPath?: 'v1' | 'v2';
}

export interface AccessToken {
  accessToken: string;
  expiresIn: number;
  scope: string | null;
}

/** Client of Itaú's STS (certificate issue and renewal, OAuth client-credentials token over mTLS). */
export class ItauStsClient {
  constructor(private readonly ep: StsEndpoints, private readonly log?: Logger) {}

  private url(path: string): string {
    return this.ep.stsUrl.replace(/\/+$/, '') + path;
  }

  /** One call to the STS, logged by stage, host, status and time (never headers or bodies: they carry secrets). */
  private async send(stage: 'solicitacao' | 'token' | 'renovacao', req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    const host = new URL(req.url).host;
    try {
      const res = await httpsRequest(req);
      const fields = { stage, host, status: res.status, ms: Date.now() - started };
      if (res.status >= 200 && res.status < 300) this.log?.debug(fields, 'sts call');
      else this.log?.warn(fields, 'sts call refused');
      return res;
    } catch (e) {
      this.log?.warn({ stage, host, ms: Date.now() - started, err: e }, 'sts call failed');
      throw e;
    }
  }

  /** Exchange the single-use temporary token + CSR for the client secret and certificate (no client cert). */
  async requestCertificate(temporaryToken: string, csrPem: string): Promise<CertificateResponse> {
    return parseCertificateResponse(await this.requestCertificateRaw(temporaryToken, csrPem), true);
  }

  /** The same call, returning the bank's text untouched so it can be stored before it is parsed. */
  async requestCertificateRaw(temporaryToken: string, csrPem: string): Promise<string> {
    const res = await this.send('solicitacao', {
      url: this.url('/seguranca/v1/certificado/solicitacao'),
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${temporaryToken}` },
      body: csrPem,
      tls: this.ep.tls,
    });
    if (res.status < 200 || res.status >= 300) throw stsError(res, 'solicitacao');
    return res.body.toString('utf8');
  }

  /** OAuth client-credentials over mTLS with the account certificate (form body, not Basic auth). */
  async accessToken(a: { clientId: string; clientSecret: string; certPem: string; keyPem: string }): Promise<AccessToken> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret }).toString();
    const res = await this.send('token', {
      url: this.url('/api/oauth/token'),
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      tls: { ...this.ep.tls, certPem: a.certPem, keyPem: a.keyPem },
    });
    if (res.status !== 200) throw stsError(res, 'token');
    let json: { access_token?: unknown; expires_in?: unknown; scope?: unknown };
    try {
      json = JSON.parse(res.body.toString('utf8')) as typeof json;
    } catch {
      throw new AppError('STS_RESPONSE', 'O Itaú devolveu uma resposta de token ilegível. Tente novamente.');
    }
    if (typeof json.access_token !== 'string' || !json.access_token) {
      throw new AppError('STS_RESPONSE', 'O Itaú não devolveu o access token esperado. Tente novamente.');
    }
    return {
      accessToken: json.access_token,
      expiresIn: typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 300,
      scope: typeof json.scope === 'string' ? json.scope : null,
    };
  }

  /** Renew the certificate: new CSR over mTLS with the current certificate plus a Bearer access token. */
  async renewCertificate(a: { accessToken: string; csrPem: string; certPem: string; keyPem: string }): Promise<CertificateResponse> {
    const v2 = this.ep.renewalPath === 'v2';
    const headers: Record<string, string> = { 'Content-Type': 'text/plain', Authorization: `Bearer ${a.accessToken}` };
    if (v2) headers['x-itau-force-cert'] = 'true';
    const res = await this.send('renovacao', {
      url: this.url(`/seguranca/${v2 ? 'v2' : 'v1'}/certificado/renovacao`),
      method: 'POST',
      headers,
      body: a.csrPem,
      tls: { ...this.ep.tls, certPem: a.certPem, keyPem: a.keyPem },
    });
    if (res.status < 200 || res.status >= 300) throw stsError(res, 'renovacao');
    return parseCertificateResponse(res.body.toString('utf8'), false);
  }
}

/** Builds the STS client for one account's endpoints. Core owns the one factory and injects it into the services. */
export type StsClientFactory = (ep: StsEndpoints) => ItauStsClient;

/** The default factory: a client per call (connections are pooled per TLS material in http.ts), logging to `log`. */
export function createStsClient(ep: StsEndpoints, log?: Logger): ItauStsClient {
  return new ItauStsClient(ep, log);
}
