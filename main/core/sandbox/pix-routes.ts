import { jsonBody, PIX_PREFIX } from './cob-routes';
import { route, sendJson, sendProblem, type Req, type Route, type SandboxContext } from './http';
import { DEVOLUCAO_ID, devolucaoSolicitadaSchema, E2EID, validateBody, webhookSolicitadoSchema, type Violacao } from './request-schemas';
import { fromCents, pixEndToEndId, toCents } from './util';
import { paginacao, parsePaging, parseWindow, pixView, refundView, requirePixAuth, t } from './views';

/*
 * Received Pix, refunds (asynchronous, as in production) and webhook registration of the Pix API.
 */

/** ISPB of Itaú Unibanco, the PSP that originates refunds of Pix received in an Itaú account. */
const ITAU_ISPB = '60701190';

function parseBool(req: Req, name: string, v: Violacao[]): boolean | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  v.push({ razao: `${name} deve ser true ou false.`, propriedade: `pix.${name}`, valor: raw });
  return undefined;
}

function listPix(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  const w = parseWindow(req, 'pix', ctx.quirks);
  const p = parsePaging(req, 'pix');
  const v: Violacao[] = [...(Array.isArray(w) ? w : []), ...(Array.isArray(p) ? p : [])];
  const txid = req.query.get('txid') ?? undefined;
  if (txid !== undefined && !/^[a-zA-Z0-9]{1,35}$/.test(txid)) v.push({ razao: 'txid inválido.', propriedade: 'pix.txid', valor: txid });
  const txIdPresente = parseBool(req, 'txIdPresente', v);
  const devolucaoPresente = parseBool(req, 'devolucaoPresente', v);
  if (v.length || Array.isArray(w) || Array.isArray(p)) return sendProblem(req, 400, { detail: 'Parâmetros de consulta inválidos.', violacoes: v });
  const page = ctx.state.charges.listPix({ clientId, fromMs: w.fromMs, toMs: w.toMs, txid, txIdPresente, devolucaoPresente, page: p.page, size: p.size });
  sendJson(req.res, 200, {
    parametros: {
      inicio: w.inicio,
      fim: w.fim,
      ...(txid ? { txid } : {}),
      ...(txIdPresente !== undefined ? { txIdPresente } : {}),
      ...(devolucaoPresente !== undefined ? { devolucaoPresente } : {}),
      paginacao: paginacao(ctx, page.total, p.page, p.size),
    },
    pix: page.items.map((x) => pixView(ctx, x)),
  });
}

function findPix(ctx: SandboxContext, req: Req) {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return null;
  const e2eid = req.params.e2eid ?? '';
  if (!E2EID.test(e2eid)) {
    sendProblem(req, 400, { detail: 'endToEndId inválido.', violacoes: [{ razao: 'O e2eid deve ter 32 caracteres [a-zA-Z0-9].', propriedade: 'pix.e2eid', valor: e2eid }] });
    return null;
  }
  const pix = ctx.state.charges.getPix(clientId, e2eid);
  if (!pix) {
    sendProblem(req, 404, { detail: 'Pix não encontrado para o e2eid informado.' });
    return null;
  }
  return pix;
}

function getPix(ctx: SandboxContext, req: Req): void {
  const pix = findPix(ctx, req);
  if (pix) sendJson(req.res, 200, pixView(ctx, pix));
}

const DEV_PROBLEM = {
  type: 'PixDevolucaoInvalida',
  title: 'Devolução inválida.',
  detail: 'A presente requisição de devolução não respeita o _schema_ ou não faz sentido semanticamente.',
};

/**
 * Request a refund. It answers EM_PROCESSAMENTO; the refund settles `refundDelayMs` later, observed on the next read,
 * like the SPI round trip in production: DEVOLVIDO, or NAO_REALIZADO (with `motivo`) when a `refund` fault asked.
 * The sum of refunds not NAO_REALIZADO never exceeds the Pix. Retrying the same id with the same amount is idempotent.
 */
function putDevolucao(ctx: SandboxContext, req: Req): void {
  const pix = findPix(ctx, req);
  if (!pix) return;
  const id = req.params.id ?? '';
  if (!DEVOLUCAO_ID.test(id)) {
    return sendProblem(req, 400, { ...DEV_PROBLEM, violacoes: [{ razao: 'O id da devolução deve ter de 1 a 35 caracteres [a-zA-Z0-9].', propriedade: 'devolucao.id', valor: id }] });
  }
  const data = jsonBody(req, (v) => sendProblem(req, 400, { ...DEV_PROBLEM, violacoes: v }));
  if (data === undefined) return;
  const r = validateBody(devolucaoSolicitadaSchema, data, 'devolucao');
  if (!r.ok) return sendProblem(req, 400, { ...DEV_PROBLEM, violacoes: r.violacoes });
  const now = ctx.state.now().getTime();
  const outcome = ctx.state.charges.transaction(() => {
    const existing = ctx.state.charges.getRefund(pix.e2eid, id);
    if (existing) return existing.valor === r.value.valor ? { ok: true as const } : { ok: false as const, razao: 'Já existe uma devolução com este id e outro valor.' };
    const used = ctx.state.charges
      .refundsOf(pix.e2eid)
      .filter((x) => x.status !== 'NAO_REALIZADO')
      .reduce((s, x) => s + toCents(x.valor), 0);
    if (used + toCents(r.value.valor) > toCents(pix.valor)) {
      return { ok: false as const, razao: `A soma das devoluções excede o valor do Pix (disponível: ${fromCents(toCents(pix.valor) - used)}).` };
    }
    ctx.state.charges.createRefund({
      e2eid: pix.e2eid,
      id,
      rtrId: pixEndToEndId(new Date(now), ITAU_ISPB, 'D'),
      valor: r.value.valor,
      natureza: r.value.natureza ?? 'ORIGINAL',
      descricao: r.value.descricao ?? null,
      outcome: req.refundFailure ? 'NAO_REALIZADO' : 'DEVOLVIDO',
      motivo: req.refundFailure?.motivo ?? null,
      requestedMs: now,
      settleMs: now + ctx.refundDelayMs,
    });
    return { ok: true as const };
  });
  if (!outcome.ok) return sendProblem(req, 400, { ...DEV_PROBLEM, violacoes: [{ razao: outcome.razao, propriedade: 'devolucao.valor', valor: r.value.valor }] });
  sendJson(req.res, 201, refundView(ctx, ctx.state.charges.getRefund(pix.e2eid, id)!));
}

function getDevolucao(ctx: SandboxContext, req: Req): void {
  const pix = findPix(ctx, req);
  if (!pix) return;
  const refund = ctx.state.charges.getRefund(pix.e2eid, req.params.id ?? '');
  if (!refund) return sendProblem(req, 404, { detail: 'Devolução não encontrada.' });
  sendJson(req.res, 200, refundView(ctx, refund));
}

const WEBHOOK_PROBLEM = {
  type: 'WebhookOperacaoInvalida',
  title: 'Webhook inválido.',
  detail: 'A presente requisição busca criar um webhook sem respeitar o _schema_ ou, ainda, com sentido semanticamente inválido.',
};

function chaveParam(req: Req): string {
  try {
    return decodeURIComponent(req.params.chave ?? '');
  } catch {
    return '';
  }
}

function putWebhook(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  const chave = chaveParam(req);
  if (!chave || chave.length > 77) {
    return sendProblem(req, 400, { ...WEBHOOK_PROBLEM, violacoes: [{ razao: 'chave inválida (máximo 77 caracteres).', propriedade: 'webhook.chave', valor: chave }] });
  }
  const data = jsonBody(req, (v) => sendProblem(req, 400, { ...WEBHOOK_PROBLEM, violacoes: v }));
  if (data === undefined) return;
  const r = validateBody(webhookSolicitadoSchema, data, 'webhook');
  if (!r.ok) return sendProblem(req, 400, { ...WEBHOOK_PROBLEM, violacoes: r.violacoes });
  ctx.state.charges.putWebhook(clientId, chave, r.value.webhookUrl);
  req.res.writeHead(200, { 'Content-Length': 0 });
  req.res.end();
}

function getWebhook(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  const w = ctx.state.charges.getWebhook(clientId, chaveParam(req));
  if (!w) return sendProblem(req, 404, { detail: 'Webhook não encontrado para a chave informada.' });
  sendJson(req.res, 200, { webhookUrl: w.url, chave: w.chave, criacao: t(ctx, w.createdMs) });
}

function deleteWebhook(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  if (!ctx.state.charges.deleteWebhook(clientId, chaveParam(req))) {
    return sendProblem(req, 404, { detail: 'Webhook não encontrado para a chave informada.' });
  }
  req.res.writeHead(204);
  req.res.end();
}

/** Pix, refund and webhook routes under /regulatorio-pix/v2. */
export const pixRoutes: Route[] = [
  route('GET', PIX_PREFIX, '/pix', 'pix', listPix),
  route('PUT', PIX_PREFIX, '/pix/:e2eid/devolucao/:id', 'pix', putDevolucao),
  route('GET', PIX_PREFIX, '/pix/:e2eid/devolucao/:id', 'pix', getDevolucao),
  route('GET', PIX_PREFIX, '/pix/:e2eid', 'pix', getPix),
  route('PUT', PIX_PREFIX, '/webhook/:chave', 'pix', putWebhook),
  route('GET', PIX_PREFIX, '/webhook/:chave', 'pix', getWebhook),
  route('DELETE', PIX_PREFIX, '/webhook/:chave', 'pix', deleteWebhook),
];
