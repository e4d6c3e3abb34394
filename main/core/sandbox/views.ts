import crypto from 'node:crypto';
import { cnpjCheckDigits, encodeDynamic } from './brcode-bridge';
import type { ChargeRecord, LocationRecord, PixRecord, RefundRecord } from './charge-store';
import { bearerToken, sendProblem, type Req, type SandboxContext } from './http';
import type { Violacao } from './request-schemas';
import { requireClientCertificate } from './sts-routes';
import type { ClientInfo } from './sts-store';
import { brCodeText, formatApiTime, parseRfc3339 } from './util';

/*
 * How records become Pix API JSON (BCB field order and names, Itaú's time quirk), plus the checks every Pix API call
 * shares: mTLS + Bearer + x-itau-apikey, the inicio/fim window and `paginacao`.
 */

/**
 * Authenticate a Pix API call like Itaú's gateway: an issued, valid client certificate (403), a valid access token of
 * the same client (401), and `x-itau-apikey` equal to the Client ID (403). Returns the Client ID or null (answered).
 */
export function requirePixAuth(ctx: SandboxContext, req: Req): string | null {
  const cert = requireClientCertificate(ctx, req, (r) =>
    sendProblem(r, 403, { detail: 'Certificado de cliente ausente, inválido, revogado ou expirado (mTLS obrigatório).' }),
  );
  if (!cert) return null;
  const token = bearerToken(req.raw);
  const check = token ? ctx.state.sts.verifyAccessToken(token) : null;
  if (!check || !check.ok || req.tokensExpired) {
    const expired = req.tokensExpired || (check !== null && !check.ok && check.reason === 'expired');
    sendProblem(req, 401, { detail: expired ? 'Access token expirado.' : 'Access token ausente ou inválido.' });
    return null;
  }
  if (check.clientId !== cert.clientId) {
    sendProblem(req, 403, { detail: 'O access token não pertence ao certificado apresentado.' });
    return null;
  }
  const apiKey = String(req.raw.headers['x-itau-apikey'] ?? '').toLowerCase();
  if (apiKey !== cert.clientId) {
    sendProblem(req, 403, { detail: 'Header x-itau-apikey ausente ou diferente do Client ID.' });
    return null;
  }
  return cert.clientId;
}

const MERCHANT_NAME = 'PIXDESK SANDBOX';
const MERCHANT_CITY = 'SAO PAULO';

/** The BR Code of a charge: a dynamic payload pointing at its location, merchant from the certificate subject. */
export function dynamicBrCode(info: ClientInfo, location: string): string {
  return encodeDynamic({
    url: location,
    name: brCodeText(info.merchantName, 25, MERCHANT_NAME),
    city: brCodeText(info.merchantCity, 15, MERCHANT_CITY),
  });
}

/** A stable, valid CNPJ for a sandbox client (the receiver of its cobv). */
export function sandboxCnpj(clientId: string): string {
  const digits = BigInt(`0x${crypto.createHash('sha256').update(clientId).digest('hex').slice(0, 15)}`).toString().padStart(12, '0').slice(-12);
  const base = digits.slice(0, 8) + '0001';
  return base + cnpjCheckDigits(base);
}

/** Format an instant for this server (quirk aware). */
export function t(ctx: SandboxContext, ms: number): string {
  return formatApiTime(ms, ctx.quirks);
}

/** PayloadLocation JSON; `withTxid` adds the bound charge's txid (PayloadLocationCompleta, GET /loc). */
export function locView(ctx: SandboxContext, l: LocationRecord, withTxid = false): Record<string, unknown> {
  return {
    id: l.id,
    ...(withTxid && l.txid ? { txid: l.txid } : {}),
    location: l.location,
    tipoCob: l.tipoCob,
    criacao: t(ctx, l.createdMs),
  };
}

/** Devolucao JSON. */
export function refundView(ctx: SandboxContext, r: RefundRecord): Record<string, unknown> {
  const horario: Record<string, string> = { solicitacao: t(ctx, r.requestedMs) };
  if (r.settledMs !== null) horario.liquidacao = t(ctx, r.settledMs);
  return {
    id: r.id,
    rtrId: r.rtrId,
    valor: r.valor,
    natureza: r.natureza,
    ...(r.descricao ? { descricao: r.descricao } : {}),
    horario,
    status: r.status,
    ...(r.status === 'NAO_REALIZADO' && r.motivo ? { motivo: r.motivo } : {}),
  };
}

/** Pix JSON, with its refunds. */
export function pixView(ctx: SandboxContext, p: PixRecord): Record<string, unknown> {
  const refunds = ctx.state.charges.refundsOf(p.e2eid);
  return {
    endToEndId: p.e2eid,
    ...(p.txid ? { txid: p.txid } : {}),
    valor: p.valor,
    componentesValor: { original: { valor: p.valor } },
    chave: p.chave,
    horario: t(ctx, p.horarioMs),
    ...(p.infoPagador ? { infoPagador: p.infoPagador } : {}),
    ...(p.payerName || p.payerCpf || p.payerCnpj
      ? { pagador: { ...(p.payerCpf ? { cpf: p.payerCpf } : {}), ...(p.payerCnpj ? { cnpj: p.payerCnpj } : {}), ...(p.payerName ? { nome: p.payerName } : {}) } }
      : {}),
    ...(refunds.length ? { devolucoes: refunds.map((r) => refundView(ctx, r)) } : {}),
  };
}

/** CobGerada / CobCompleta JSON (and CobV for `kind === 'cobv'`). `pix[]` is added once the charge was paid. */
export function chargeView(ctx: SandboxContext, c: ChargeRecord): Record<string, unknown> {
  const b = c.body;
  const calendario =
    c.kind === 'cob'
      ? { criacao: t(ctx, c.createdMs), expiracao: b.calendario.expiracao }
      : { criacao: t(ctx, c.createdMs), dataDeVencimento: b.calendario.dataDeVencimento, validadeAposVencimento: b.calendario.validadeAposVencimento };
  const out: Record<string, unknown> = {
    calendario,
    txid: c.txid,
    revisao: c.revisao,
    // After DELETE /loc/{id}/txid the charge no longer presents a location (BCB), its status unchanged.
    ...(c.loc ? { loc: locView(ctx, c.loc), location: c.loc.location } : {}),
    status: c.status,
    ...(b.devedor ? { devedor: b.devedor } : {}),
  };
  if (c.kind === 'cobv') out.recebedor = recebedorOf(ctx.state.sts.clientInfo(c.clientId));
  Object.assign(out, {
    valor: b.valor,
    chave: b.chave,
    ...(b.solicitacaoPagador ? { solicitacaoPagador: b.solicitacaoPagador } : {}),
    ...(b.infoAdicionais ? { infoAdicionais: b.infoAdicionais } : {}),
    pixCopiaECola: c.pixCopiaECola,
  });
  const pix = ctx.state.charges.pixForCharge(c.id);
  if (pix.length) out.pix = pix.map((p) => pixView(ctx, p));
  return out;
}

/** The receiver of a cobv, built from the certificate subject (the sandbox has no registration data). */
export function recebedorOf(info: ClientInfo): Record<string, string> {
  return {
    cnpj: sandboxCnpj(info.clientId),
    nome: info.merchantName ?? MERCHANT_NAME,
    logradouro: 'Rua do Sandbox, 1',
    cidade: info.merchantCity ?? 'Sao Paulo',
    uf: (info.merchantUf ?? 'SP').slice(0, 2).toUpperCase(),
    cep: '01001000',
  };
}

/** A query window `inicio`/`fim` as RFC 3339 instants. */
export interface Window {
  inicio: string;
  fim: string;
  fromMs: number;
  toMs: number;
}

/** Parse `inicio`/`fim`. With `rejectMillis` (Itaú's GET /pix quirk) a fractional second is a 400. */
export function parseWindow(req: Req, prefix: string, rejectMillis: boolean): Window | Violacao[] {
  const v: Violacao[] = [];
  const get = (name: 'inicio' | 'fim') => {
    const raw = req.query.get(name);
    const prop = `${prefix}.${name}`;
    if (!raw) {
      v.push({ razao: `O parâmetro ${name} é obrigatório.`, propriedade: prop });
      return null;
    }
    const p = parseRfc3339(raw);
    if (!p) {
      v.push({ razao: `O parâmetro ${name} não respeita o formato RFC 3339 (ex.: 2026-01-31T10:00:00-03:00).`, propriedade: prop, valor: raw });
      return null;
    }
    if (rejectMillis && p.hasFraction) {
      v.push({ razao: `O parâmetro ${name} não aceita milissegundos; envie segundos com fuso, ex.: 2026-01-31T10:00:00-03:00.`, propriedade: prop, valor: raw });
      return null;
    }
    return { raw, ms: p.ms };
  };
  const a = get('inicio');
  const b = get('fim');
  if (a && b && a.ms > b.ms) v.push({ razao: 'inicio deve ser anterior ou igual a fim.', propriedade: `${prefix}.inicio`, valor: a.raw });
  if (v.length || !a || !b) return v;
  return { inicio: a.raw, fim: b.raw, fromMs: a.ms, toMs: b.ms };
}

/** `paginacao.paginaAtual` (≥ 0, default 0) and `paginacao.itensPorPagina` (1–1000, default 100). */
export function parsePaging(req: Req, prefix: string): { page: number; size: number } | Violacao[] {
  const v: Violacao[] = [];
  const num = (name: string, def: number, min: number, max: number) => {
    const raw = req.query.get(`paginacao.${name}`);
    if (raw === null || raw === '') return def;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      v.push({ razao: `paginacao.${name} deve ser um inteiro entre ${min} e ${max}.`, propriedade: `${prefix}.paginacao.${name}`, valor: raw });
      return def;
    }
    return Number(raw);
  };
  const page = num('paginaAtual', 0, 0, 1_000_000);
  const size = num('itensPorPagina', 100, 1, 1000);
  return v.length ? v : { page, size };
}

/**
 * `paginacao` of a list answer. Itaú quirk: an empty window reports 100 pages (clients must stop on the total).
 */
export function paginacao(ctx: SandboxContext, total: number, page: number, size: number) {
  const pages = total === 0 ? (ctx.quirks ? 100 : 1) : Math.ceil(total / size);
  return { paginaAtual: page, itensPorPagina: size, quantidadeDePaginas: pages, quantidadeTotalDeItens: total };
}
