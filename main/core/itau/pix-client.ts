import crypto from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import { httpsRequest, NetworkError, TRANSIENT_CODES, type HttpResponse, type TlsOptions } from './http';

/*
 * Client of Itaú's Pix API (BCB Pix API v2): cob, pix and devolucao. Every call goes over mTLS with the account
 * certificate and carries `Authorization: Bearer`, `x-itau-apikey` and `x-itau-correlationID`. Every operation used
 * here is idempotent by construction (client-chosen txid and refund id), so transient failures are retried.
 */

/** What one account needs to talk to the Pix API. Built on demand; the key never leaves main. */
export interface PixAccess {
  pixUrl: string;
  clientId: string;
  tls: TlsOptions;
  /** A valid access token (cached: one per account). */
  token(): Promise<string>;
  /** Drop a token the bank refused before its expiry. */
  invalidateToken(): void;
}

export interface PixClientOptions {
  /** Extra attempts after a transient failure (reset, timeout, 5xx, 429); default 2, so a till waits ~30 s at worst. */
  retries?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A violation reported by the bank (`violacoes[]` of RFC 7807 problems). */
export interface BankViolation {
  razao: string;
  propriedade: string;
  valor?: string;
}

/** An error answer of the Pix API, parsed from application/problem+json or plain JSON. */
export interface BankProblem {
  status: number;
  type: string | null;
  title: string | null;
  detail: string | null;
  violacoes: BankViolation[];
}

/** A refused Pix API call, with the bank's problem kept for decisions (message in pt-BR). */
export class PixApiError extends AppError {
  constructor(code: string, message: string, readonly problem: BankProblem) {
    super(code, message, { status: problem.status });
  }
}

const statusSchema = z.string().transform((s) => s.trim().toUpperCase().replace(/^REMOVIDO_/, 'REMOVIDA_'));

const devolucaoSchema = z.looseObject({
  id: z.string(),
  rtrId: z.string().optional(),
  valor: z.string(),
  status: z.string(),
  motivo: z.string().optional(),
  horario: z.looseObject({ solicitacao: z.string().optional(), liquidacao: z.string().optional() }).optional(),
});

const pagadorSchema = z.looseObject({ nome: z.string().optional(), cpf: z.string().optional(), cnpj: z.string().optional() });

const pixSchema = z.looseObject({
  endToEndId: z.string(),
  txid: z.string().optional().nullable(),
  valor: z.string(),
  chave: z.string().optional(),
  horario: z.string(),
  infoPagador: z.string().optional(),
  pagador: pagadorSchema.optional(),
  devolucoes: z.array(devolucaoSchema).optional(),
});

const cobSchema = z.looseObject({
  txid: z.string(),
  status: statusSchema,
  revisao: z.number().optional(),
  location: z.string().optional(),
  loc: z.looseObject({ location: z.string().optional() }).optional(),
  pixCopiaECola: z.string().optional(),
  calendario: z.looseObject({ criacao: z.string().optional(), expiracao: z.number().optional() }).optional(),
  valor: z.looseObject({ original: z.string() }),
  chave: z.string().optional(),
  pix: z.array(pixSchema).optional(),
});

const pixListSchema = z.looseObject({
  parametros: z.looseObject({
    paginacao: z.looseObject({
      paginaAtual: z.number().optional(),
      itensPorPagina: z.number().optional(),
      quantidadeDePaginas: z.number().optional(),
      quantidadeTotalDeItens: z.number(),
    }),
  }),
  pix: z.array(pixSchema).optional(),
});

export type CobAnswer = z.infer<typeof cobSchema>;
export type PixAnswer = z.infer<typeof pixSchema>;
export type DevolucaoAnswer = z.infer<typeof devolucaoSchema>;
export type PixListAnswer = z.infer<typeof pixListSchema>;

/** Read a cob answer (statuses normalised: Itaú prose's `REMOVIDO_…` becomes BCB's `REMOVIDA_…`). */
export function readCobAnswer(data: unknown): CobAnswer {
  return parse(cobSchema, data, 'cobrança');
}

/** Body of `PUT /cob/{txid}` as PixDesk sends it. */
export interface CobRequest {
  calendario: { expiracao: number };
  valor: { original: string; modalidadeAlteracao?: 0 | 1 };
  chave: string;
  solicitacaoPagador?: string;
  /** A reusable location to bind (the fixed till QR). */
  loc?: { id: number };
}

/** Read a Pix API error body: RFC 7807 (`problem+json`) or Itaú's plain JSON (`mensagem`, `codigo`). */
export function parseBankProblem(res: HttpResponse): BankProblem {
  let o: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object') o = parsed as Record<string, unknown>;
  } catch {
    /* not JSON: status only */
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? printable(v) : null);
  const list = Array.isArray(o.violacoes) ? o.violacoes : [];
  const violacoes = list
    .filter((v): v is Record<string, unknown> => !!v && typeof v === 'object')
    .map((v) => ({ razao: str(v.razao) ?? '', propriedade: str(v.propriedade) ?? '', ...(str(v.valor) ? { valor: str(v.valor)! } : {}) }));
  const type = str(o.type);
  return {
    status: res.status,
    type: type ? type.replace(/^.*\//, '') : str(o.codigo),
    title: str(o.title),
    detail: str(o.detail) ?? str(o.mensagem) ?? str(o.message),
    violacoes,
  };
}

function printable(s: string): string {
  return Array.from(s, (ch) => (ch.charCodeAt(0) < 0x20 ? ' ' : ch)).join('').slice(0, 300);
}

/** The bank's own words, shortened, for the end of a pt-BR message. */
export function bankSaid(p: BankProblem): string {
  const parts = [p.detail ?? p.title, ...p.violacoes.map((v) => (v.propriedade ? `${v.propriedade}: ${v.razao}` : v.razao))].filter(Boolean);
  return parts.length ? ` O banco respondeu: "${parts.join('; ').slice(0, 400)}".` : '';
}

/** True when a refusal is about the Pix key (not registered for this Client ID, or not the receiver's). */
export function isKeyProblem(p: BankProblem): boolean {
  return p.violacoes.some((v) => /(^|\.)chave$/i.test(v.propriedade)) || /chave/i.test(p.detail ?? '');
}

function errorOf(res: HttpResponse, what: string): PixApiError {
  const p = parseBankProblem(res);
  const said = bankSaid(p);
  if (res.status === 401) return new PixApiError('TOKEN_REJECTED', `O Itaú recusou o access token ao ${what} (HTTP 401).${said} Tente novamente; se persistir, confira o client secret da conta.`, p);
  if (res.status === 403) {
    return new PixApiError('PIX_FORBIDDEN', `O Itaú recusou o acesso à API Pix ao ${what} (HTTP 403): certificado, Client ID ou permissão da conta.${said} Verifique se o certificado está válido e se a conta tem acesso à API Pix.`, p);
  }
  if (res.status === 404) return new PixApiError('BANK_NOT_FOUND', `O Itaú não encontrou o recurso ao ${what} (HTTP 404).${said}`, p);
  if (res.status === 429) return new PixApiError('BANK_BUSY', `O Itaú pediu para esperar (muitas requisições) ao ${what}.${said} Tente de novo em instantes.`, p);
  if (res.status >= 500) return new PixApiError('BANK_UNAVAILABLE', `O Itaú está com instabilidade (HTTP ${res.status}) ao ${what}.${said} Tente novamente em alguns minutos.`, p);
  if (isKeyProblem(p)) {
    return new PixApiError('PIX_KEY_REFUSED', `O Itaú recusou a chave Pix da cobrança: ela não está registrada para o Client ID desta conta.${said} Use uma chave cadastrada no Itaú para esta conta (pixdesk accounts keys add) e tente de novo.`, p);
  }
  return new PixApiError('BANK_REFUSED', `O Itaú recusou o pedido ao ${what} (HTTP ${res.status}).${said}`, p);
}

/** A location (`POST /loc` answer): what the fixed till QR needs of it. */
const locSchema = z.looseObject({ id: z.number().int().positive(), location: z.string().min(1) });

/** Failures worth another attempt with the same (idempotent) request. */
export function isTransient(e: unknown): boolean {
  if (e instanceof NetworkError) return TRANSIENT_CODES.has(e.netCode);
  return e instanceof PixApiError && (e.code === 'BANK_UNAVAILABLE' || e.code === 'BANK_BUSY');
}

/** Client of one account's Pix API. */
export class ItauPixClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly access: () => Promise<PixAccess>, private readonly o: PixClientOptions = {}) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Create (or, with the same body, answer again) the immediate charge `txid`. */
  async putCob(txid: string, body: CobRequest): Promise<CobAnswer> {
    return parse(cobSchema, await this.call('PUT', `/cob/${txid}`, 'criar a cobrança', body, [200, 201]), 'cobrança');
  }

  async getCob(txid: string): Promise<CobAnswer> {
    return parse(cobSchema, await this.call('GET', `/cob/${txid}`, 'consultar a cobrança', undefined, [200]), 'cobrança');
  }

  async patchCob(txid: string, body: Record<string, unknown>): Promise<CobAnswer> {
    return parse(cobSchema, await this.call('PATCH', `/cob/${txid}`, 'alterar a cobrança', body, [200]), 'cobrança');
  }

  /** One page of `GET /pix` (inicio/fim already formatted with seconds and offset). */
  async listPix(q: { inicio: string; fim: string; page: number; size: number; txid?: string | undefined }): Promise<PixListAnswer> {
    const qs = new URLSearchParams({ inicio: q.inicio, fim: q.fim, 'paginacao.paginaAtual': String(q.page), 'paginacao.itensPorPagina': String(q.size) });
    if (q.txid) qs.set('txid', q.txid);
    return parse(pixListSchema, await this.call('GET', `/pix?${qs.toString()}`, 'consultar os Pix recebidos', undefined, [200]), 'lista de Pix');
  }

  async putDevolucao(e2eid: string, id: string, body: { valor: string; natureza?: string; descricao?: string }): Promise<DevolucaoAnswer> {
    return parse(devolucaoSchema, await this.call('PUT', `/pix/${e2eid}/devolucao/${id}`, 'pedir a devolução', body, [200, 201]), 'devolução');
  }

  async getDevolucao(e2eid: string, id: string): Promise<DevolucaoAnswer> {
    return parse(devolucaoSchema, await this.call('GET', `/pix/${e2eid}/devolucao/${id}`, 'consultar a devolução', undefined, [200]), 'devolução');
  }

  /** Create a reusable location (`POST /loc`) for immediate charges: its URL, hence its printed QR, never changes. */
  async postLoc(): Promise<{ id: number; location: string }> {
    return parse(locSchema, await this.call('POST', '/loc', 'criar a localização do QR fixo', { tipoCob: 'cob' }, [200, 201]), 'localização');
  }

  /** Unlink the charge bound to location `id` (`DELETE /loc/{id}/txid`, idempotent), freeing it for the next charge. */
  async unlinkLoc(id: number): Promise<void> {
    await this.call('DELETE', `/loc/${id}/txid`, 'desvincular a cobrança do QR fixo', undefined, [200, 204]);
  }

  private async call(method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE', path: string, what: string, body: unknown, ok: number[]): Promise<unknown> {
    const retries = this.o.retries ?? 2;
    const base = this.o.baseDelayMs ?? 200;
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const a = await this.access();
        const token = await a.token();
        const res = await httpsRequest({
          url: a.pixUrl.replace(/\/+$/, '') + path,
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            'x-itau-apikey': a.clientId,
            'x-itau-correlationID': crypto.randomUUID(),
            Accept: 'application/json',
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          tls: a.tls,
          timeoutMs: this.o.timeoutMs ?? 10_000,
        });
        if (res.status === 401 && !renewedToken) {
          // A token the bank no longer accepts (revoked, clock skew): fetch a new one once.
          renewedToken = true;
          a.invalidateToken();
          attempt--;
          continue;
        }
        if (!ok.includes(res.status)) throw errorOf(res, what);
        try {
          // DELETE /loc/{id}/txid may answer without a body.
          if (res.body.length === 0) return null;
          return JSON.parse(res.body.toString('utf8')) as unknown;
        } catch {
          throw new AppError('BANK_RESPONSE', `O Itaú respondeu algo ilegível ao ${what}. Tente novamente.`);
        }
      } catch (e) {
        if (attempt >= retries || !isTransient(e)) throw e;
        await this.sleep(base * 2 ** attempt);
      }
    }
  }
}

function parse<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new AppError('BANK_RESPONSE', `O Itaú devolveu uma ${what} num formato inesperado. Tente novamente; se persistir, avise o suporte.`);
  return r.data;
}
