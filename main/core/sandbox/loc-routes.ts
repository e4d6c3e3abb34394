import { z } from 'zod';
import type { ChargeKind } from './charge-store';
import { jsonBody, PIX_PREFIX } from './cob-routes';
import { route, sendJson, sendProblem, type Req, type Route, type SandboxContext } from './http';
import { validateBody, type Violacao } from './request-schemas';
import { locView, paginacao, parsePaging, parseWindow, requirePixAuth } from './views';

/*
 * Payload locations (`/loc`, BCB tag PayloadLocation): a location can be created before its charge, bound with
 * `loc: {id}` in PUT /cob or /cobv, unlinked with DELETE /loc/{id}/txid and bound again. Its URL (and so a printed
 * dynamic QR) then serves whichever charge is bound at the time.
 */

const NOT_FOUND = { type: 'PayloadLocationNaoEncontrado', title: 'Location não encontrada.', detail: 'Location não encontrada para o id informado.' };
const INVALID = {
  type: 'PayloadLocationOperacaoInvalida',
  title: 'PayloadLocation inválido.',
  detail: 'A presente requisição busca criar uma location sem respeitar o _schema_ estabelecido.',
};
const QUERY_INVALID = {
  type: 'PayloadLocationConsultaInvalida',
  title: 'Consulta inválida.',
  detail: 'Os parâmetros de consulta à lista de locations não respeitam o _schema_ ou não fazem sentido semanticamente.',
};

/** PayloadLocationSolicitada. */
const locSolicitadaSchema = z.object({ tipoCob: z.enum(['cob', 'cobv'], { error: 'deve ser cob ou cobv' }) });

function createLoc(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  const data = jsonBody(req, (v) => sendProblem(req, 400, { ...INVALID, violacoes: v }));
  if (data === undefined) return;
  const r = validateBody(locSolicitadaSchema, data, 'loc');
  if (!r.ok) return sendProblem(req, 400, { ...INVALID, violacoes: r.violacoes });
  const loc = ctx.state.locations.create(clientId, r.value.tipoCob, ctx.locationHost());
  req.res.setHeader('location', loc.location);
  sendJson(req.res, 201, locView(ctx, loc));
}

function findLoc(ctx: SandboxContext, req: Req) {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return null;
  const raw = req.params.id ?? '';
  const loc = /^\d{1,15}$/.test(raw) ? ctx.state.locations.get(clientId, Number(raw)) : null;
  if (!loc) {
    sendProblem(req, 404, NOT_FOUND);
    return null;
  }
  return { clientId, loc };
}

function getLoc(ctx: SandboxContext, req: Req): void {
  const found = findLoc(ctx, req);
  if (found) sendJson(req.res, 200, locView(ctx, found.loc, true));
}

/** Unlink the charge: the location shows no txid, the charge no location; its status is unchanged. Idempotent. */
function unlinkLoc(ctx: SandboxContext, req: Req): void {
  const found = findLoc(ctx, req);
  if (!found) return;
  const loc = ctx.state.locations.unlink(found.clientId, found.loc.id)!;
  sendJson(req.res, 200, locView(ctx, loc));
}

function listLoc(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  const w = parseWindow(req, 'loc', false);
  const p = parsePaging(req, 'loc');
  const v: Violacao[] = [...(Array.isArray(w) ? w : []), ...(Array.isArray(p) ? p : [])];
  const rawPresent = req.query.get('txIdPresente');
  if (rawPresent !== null && rawPresent !== 'true' && rawPresent !== 'false') {
    v.push({ razao: 'txIdPresente deve ser true ou false.', propriedade: 'loc.txIdPresente', valor: rawPresent });
  }
  const rawTipo = req.query.get('tipoCob');
  if (rawTipo !== null && rawTipo !== 'cob' && rawTipo !== 'cobv') v.push({ razao: 'tipoCob deve ser cob ou cobv.', propriedade: 'loc.tipoCob', valor: rawTipo });
  if (v.length || Array.isArray(w) || Array.isArray(p)) return sendProblem(req, 400, { ...QUERY_INVALID, violacoes: v });
  const txIdPresente = rawPresent === null ? undefined : rawPresent === 'true';
  const tipoCob = (rawTipo ?? undefined) as ChargeKind | undefined;
  const page = ctx.state.locations.list({ clientId, fromMs: w.fromMs, toMs: w.toMs, txIdPresente, tipoCob, page: p.page, size: p.size });
  sendJson(req.res, 200, {
    parametros: {
      inicio: w.inicio,
      fim: w.fim,
      ...(txIdPresente !== undefined ? { txIdPresente } : {}),
      ...(tipoCob ? { tipoCob } : {}),
      paginacao: paginacao(ctx, page.total, p.page, p.size),
    },
    loc: page.items.map((l) => locView(ctx, l, true)),
  });
}

/** Location routes under /regulatorio-pix/v2. */
export const locRoutes: Route[] = [
  route('POST', PIX_PREFIX, '/loc', 'pix', createLoc),
  route('GET', PIX_PREFIX, '/loc', 'pix', listLoc),
  route('DELETE', PIX_PREFIX, '/loc/:id/txid', 'pix', unlinkLoc),
  route('GET', PIX_PREFIX, '/loc/:id', 'pix', getLoc),
];
