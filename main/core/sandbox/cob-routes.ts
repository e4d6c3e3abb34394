import crypto from 'node:crypto';
import type { ChargeBody, ChargeKind, ChargeRecord } from './charge-store';
import { renderQrPng } from './brcode-bridge';
import { route, sendJson, sendProblem, type Req, type Route, type SandboxContext } from './http';
import { cobRevisadaSchema, cobSolicitadaSchema, cobVRevisadaSchema, cobVSolicitadaSchema, TXID, validateBody, type Violacao } from './request-schemas';
import { sha256Hex } from './util';
import { chargeView, dynamicBrCode, paginacao, parsePaging, parseWindow, recebedorOf, requirePixAuth, t } from './views';

/*
 * Charges of the Pix API (BCB v2 as Itaú serves it): cob (immediate) and cobv (due date), Itaú's `/qrcode` extra,
 * and the public payload location a payer's app fetches (`/qr/v2/{id}`).
 */

export const PIX_PREFIX = '/regulatorio-pix/v2';

const PROBLEM = {
  cob: { type: 'CobOperacaoInvalida', title: 'Cobrança inválida.', detail: 'A requisição que busca alterar ou criar uma cobrança para pagamento imediato não respeita o _schema_ ou está semanticamente errada.' },
  cobv: { type: 'CobVOperacaoInvalida', title: 'Cobrança inválida.', detail: 'A requisição que busca alterar ou criar uma cobrança com vencimento não respeita o _schema_ ou está semanticamente errada.' },
};

function invalid(req: Req, kind: ChargeKind, violacoes: Violacao[], detail?: string): void {
  const p = PROBLEM[kind];
  sendProblem(req, 400, { type: p.type, title: p.title, detail: detail ?? p.detail, violacoes });
}

/** Parse a JSON body; answers 400 and returns undefined when it is not JSON. */
export function jsonBody(req: Req, onInvalid: (v: Violacao[]) => void): unknown {
  try {
    return JSON.parse(req.body.toString('utf8') || 'null') as unknown;
  } catch {
    onInvalid([{ razao: 'O corpo da requisição não é um JSON válido.', propriedade: 'body' }]);
    return undefined;
  }
}

function notFound(req: Req, what = 'Cobrança não encontrada para o txid informado.'): void {
  sendProblem(req, 404, { detail: what });
}

function checkTxid(req: Req, kind: ChargeKind): string | null {
  const txid = req.params.txid ?? '';
  if (TXID.test(txid)) return txid;
  invalid(req, kind, [{ razao: 'O txid deve ter de 26 a 35 caracteres [a-zA-Z0-9].', propriedade: `${kind}.txid`, valor: txid }]);
  return null;
}

/** Canonical JSON (sorted keys) so that a retried PUT with the same body is recognised. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Refuse a key the calling Client ID has not registered (as Itaú does for a key outside the account's DICT entries).
 * Answers 400 and returns false.
 */
function keyAllowed(ctx: SandboxContext, req: Req, clientId: string, kind: ChargeKind, chave: string): boolean {
  if (!ctx.requireRegisteredKeys || ctx.state.keys.owner(chave) === clientId) return true;
  invalid(req, kind, [
    {
      razao: `A chave Pix ${chave} não pertence a este recebedor: registre-a para o Client ID ${clientId} antes de cobrar com ela.`,
      propriedade: `${kind}.chave`,
      valor: chave,
    },
  ]);
  return false;
}

const LOC_REFUSALS = {
  'loc-not-found': 'A location informada não existe para este recebedor.',
  'loc-bound': 'A location informada já está vinculada a outra cobrança: desvincule-a com DELETE /loc/{id}/txid.',
  'loc-tipo': 'A location informada é de outro tipo de cobrança (tipoCob).',
};

/**
 * Create a charge. A client-chosen txid makes creation idempotent: the same body again answers the existing charge;
 * a different body on a used txid is refused. `locId` binds an existing free location instead of a new one.
 */
function create(ctx: SandboxContext, req: Req, clientId: string, kind: ChargeKind, txid: string, body: ChargeBody, locId?: number): void {
  const requestSha256 = sha256Hex(canonical({ kind, body, locId }));
  const existing = (): boolean => {
    const cur = ctx.state.charges.getCharge(clientId, txid);
    if (!cur) return false;
    if (cur.kind === kind && cur.requestSha256 === requestSha256) sendJson(req.res, 201, chargeView(ctx, cur));
    else invalid(req, kind, [{ razao: 'Já existe uma cobrança com este txid para este recebedor.', propriedade: `${kind}.txid`, valor: txid }]);
    return true;
  };
  if (existing()) return;
  if (!keyAllowed(ctx, req, clientId, kind, body.chave)) return;
  const info = ctx.state.sts.clientInfo(clientId);
  const created = ctx.state.charges.createCharge({
    clientId,
    kind,
    txid,
    body,
    requestSha256,
    locationHost: ctx.locationHost(),
    ...(locId !== undefined ? { locId } : {}),
    brCodeFor: (location) => dynamicBrCode(info, location),
  });
  if (!created.ok) {
    if (created.reason === 'txid-taken') existing();
    else invalid(req, kind, [{ razao: LOC_REFUSALS[created.reason], propriedade: `${kind}.loc.id`, valor: String(locId) }]);
    return;
  }
  sendJson(req.res, 201, chargeView(ctx, created.charge));
}

function cobBody(v: ReturnType<typeof cobSolicitadaSchema.parse>): ChargeBody {
  return {
    calendario: { expiracao: v.calendario.expiracao ?? 86400 },
    ...(v.devedor ? { devedor: v.devedor } : {}),
    valor: { original: v.valor.original, modalidadeAlteracao: v.valor.modalidadeAlteracao ?? 0 },
    chave: v.chave,
    ...(v.solicitacaoPagador !== undefined ? { solicitacaoPagador: v.solicitacaoPagador } : {}),
    ...(v.infoAdicionais ? { infoAdicionais: v.infoAdicionais } : {}),
  };
}

function createCob(fixedTxid: boolean) {
  return (ctx: SandboxContext, req: Req): void => {
    const clientId = requirePixAuth(ctx, req);
    if (!clientId) return;
    const txid = fixedTxid ? checkTxid(req, 'cob') : crypto.randomUUID().replace(/-/g, '');
    if (!txid) return;
    const data = jsonBody(req, (v) => invalid(req, 'cob', v));
    if (data === undefined) return;
    const r = validateBody(cobSolicitadaSchema, data, 'cob');
    if (!r.ok) return invalid(req, 'cob', r.violacoes);
    create(ctx, req, clientId, 'cob', txid, cobBody(r.value), r.value.loc?.id);
  };
}

function loadCharge(ctx: SandboxContext, req: Req, kind: ChargeKind): { clientId: string; charge: ChargeRecord } | null {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return null;
  const txid = checkTxid(req, kind);
  if (!txid) return null;
  const charge = ctx.state.charges.getCharge(clientId, txid);
  if (!charge || charge.kind !== kind) {
    notFound(req);
    return null;
  }
  return { clientId, charge };
}

function patchCob(ctx: SandboxContext, req: Req): void {
  const found = loadCharge(ctx, req, 'cob');
  if (!found) return;
  const { charge } = found;
  const data = jsonBody(req, (v) => invalid(req, 'cob', v));
  if (data === undefined) return;
  const r = validateBody(cobRevisadaSchema, data, 'cob');
  if (!r.ok) return invalid(req, 'cob', r.violacoes);
  if (charge.status !== 'ATIVA') {
    return invalid(req, 'cob', [{ razao: `A cobrança está ${charge.status} e não pode ser alterada.`, propriedade: 'cob.status', valor: charge.status }]);
  }
  const p = r.value;
  const b = charge.body;
  const body: ChargeBody = {
    ...b,
    calendario: { expiracao: p.calendario?.expiracao ?? b.calendario.expiracao },
    ...(p.devedor ? { devedor: p.devedor } : {}),
    valor: { ...b.valor, ...(p.valor?.original ? { original: p.valor.original } : {}), ...(p.valor?.modalidadeAlteracao !== undefined ? { modalidadeAlteracao: p.valor.modalidadeAlteracao } : {}) },
    chave: p.chave ?? b.chave,
    ...(p.solicitacaoPagador !== undefined ? { solicitacaoPagador: p.solicitacaoPagador } : {}),
    ...(p.infoAdicionais ? { infoAdicionais: p.infoAdicionais } : {}),
  };
  if (body.chave !== b.chave && !keyAllowed(ctx, req, found.clientId, 'cob', body.chave)) return;
  const status = p.status ?? charge.status;
  const changed = canonical(body) !== canonical(b) || status !== charge.status;
  ctx.state.charges.updateCharge(charge.id, { body, status, bumpRevisao: changed });
  sendJson(req.res, 200, chargeView(ctx, ctx.state.charges.getChargeById(charge.id)!));
}

/** PATCH /cobv/{txid}: revise due date, devedor, amounts, key, texts, or cancel. */
function patchCobv(ctx: SandboxContext, req: Req): void {
  const found = loadCharge(ctx, req, 'cobv');
  if (!found) return;
  const { charge } = found;
  const data = jsonBody(req, (v) => invalid(req, 'cobv', v));
  if (data === undefined) return;
  const r = validateBody(cobVRevisadaSchema, data, 'cobv');
  if (!r.ok) return invalid(req, 'cobv', r.violacoes);
  if (charge.status !== 'ATIVA') {
    return invalid(req, 'cobv', [{ razao: `A cobrança está ${charge.status} e não pode ser alterada.`, propriedade: 'cobv.status', valor: charge.status }]);
  }
  const p = r.value;
  const b = charge.body;
  const { original, ...rest } = p.valor ?? {};
  const body: ChargeBody = {
    ...b,
    calendario: { ...b.calendario, ...(p.calendario ?? {}) },
    ...(p.devedor ? { devedor: p.devedor } : {}),
    valor: { ...b.valor, ...rest, ...(original ? { original } : {}) },
    chave: p.chave ?? b.chave,
    ...(p.solicitacaoPagador !== undefined ? { solicitacaoPagador: p.solicitacaoPagador } : {}),
    ...(p.infoAdicionais ? { infoAdicionais: p.infoAdicionais } : {}),
  };
  if (body.chave !== b.chave && !keyAllowed(ctx, req, found.clientId, 'cobv', body.chave)) return;
  const status = p.status ?? charge.status;
  const changed = canonical(body) !== canonical(b) || status !== charge.status;
  ctx.state.charges.updateCharge(charge.id, { body, status, bumpRevisao: changed });
  sendJson(req.res, 200, chargeView(ctx, ctx.state.charges.getChargeById(charge.id)!));
}

function getOne(kind: ChargeKind) {
  return (ctx: SandboxContext, req: Req): void => {
    const found = loadCharge(ctx, req, kind);
    if (found) sendJson(req.res, 200, chargeView(ctx, found.charge));
  };
}

function parseBoolParam(req: Req, name: string, prefix: string, v: Violacao[]): boolean | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  v.push({ razao: `${name} deve ser true ou false.`, propriedade: `${prefix}.${name}`, valor: raw });
  return undefined;
}

/** GET /cob and GET /cobv: charges created in a window, with status/cpf/cnpj/locationPresente filters and paging. */
function listCharges(kind: ChargeKind) {
  return (ctx: SandboxContext, req: Req): void => {
    const clientId = requirePixAuth(ctx, req);
    if (!clientId) return;
    const w = parseWindow(req, kind, false);
    const p = parsePaging(req, kind);
    const v: Violacao[] = [...(Array.isArray(w) ? w : []), ...(Array.isArray(p) ? p : [])];
    const status = req.query.get('status') ?? undefined;
    const cpf = req.query.get('cpf') ?? undefined;
    const cnpj = req.query.get('cnpj') ?? undefined;
    if (cpf && cnpj) v.push({ razao: 'cpf e cnpj não podem ser usados juntos.', propriedade: `${kind}.cnpj`, valor: cnpj });
    const locationPresente = parseBoolParam(req, 'locationPresente', kind, v);
    if (v.length || Array.isArray(w) || Array.isArray(p)) return sendProblem(req, 400, { detail: 'Parâmetros de consulta inválidos.', violacoes: v });
    const page = ctx.state.charges.listCharges({ clientId, kind, fromMs: w.fromMs, toMs: w.toMs, status, cpf, cnpj, locationPresente, page: p.page, size: p.size });
    sendJson(req.res, 200, {
      parametros: {
        inicio: w.inicio,
        fim: w.fim,
        ...(cpf ? { cpf } : {}),
        ...(cnpj ? { cnpj } : {}),
        ...(locationPresente !== undefined ? { locationPresente } : {}),
        ...(status ? { status } : {}),
        paginacao: paginacao(ctx, page.total, p.page, p.size),
      },
      cobs: page.items.map((c) => chargeView(ctx, c)),
    });
  };
}

async function qrcode(ctx: SandboxContext, req: Req): Promise<void> {
  const found = loadCharge(ctx, req, 'cob');
  if (!found) return;
  const loc = found.charge.loc;
  if (!loc) return notFound(req, 'A cobrança não tem location vinculada (foi desvinculada com DELETE /loc/{id}/txid).');
  const png = await renderQrPng(found.charge.pixCopiaECola, { size: 300 });
  sendJson(req.res, 200, {
    emv: found.charge.pixCopiaECola,
    imagem_base64: png.toString('base64'),
    pix_link: `https://${loc.location}`,
  });
}

function putCobv(ctx: SandboxContext, req: Req): void {
  const clientId = requirePixAuth(ctx, req);
  if (!clientId) return;
  const txid = checkTxid(req, 'cobv');
  if (!txid) return;
  const data = jsonBody(req, (v) => invalid(req, 'cobv', v));
  if (data === undefined) return;
  const r = validateBody(cobVSolicitadaSchema, data, 'cobv');
  if (!r.ok) return invalid(req, 'cobv', r.violacoes);
  const v = r.value;
  const body: ChargeBody = {
    calendario: { dataDeVencimento: v.calendario.dataDeVencimento, validadeAposVencimento: v.calendario.validadeAposVencimento ?? 30 },
    devedor: v.devedor,
    valor: v.valor,
    chave: v.chave,
    ...(v.solicitacaoPagador !== undefined ? { solicitacaoPagador: v.solicitacaoPagador } : {}),
    ...(v.infoAdicionais ? { infoAdicionais: v.infoAdicionais } : {}),
  };
  create(ctx, req, clientId, 'cobv', txid, body, v.loc?.id);
}

/**
 * The payload location (what a payer's app fetches after reading a dynamic QR): a JWS signed by the sandbox whose
 * payload is BCB's CobPayload / CobVPayload.
 */
function payload(ctx: SandboxContext, req: Req): void {
  const c = ctx.state.charges.getChargeByLocation(req.params.id ?? '');
  if (!c || (req.path.includes('/cobv/') ? 'cobv' : 'cob') !== c.kind) {
    return sendProblem(req, 404, { type: 'CobPayloadNaoEncontrado', title: 'Cobrança não encontrada.', detail: 'A cobrança em questão não foi encontrada para a location requisitada.' });
  }
  const b = c.body;
  const now = ctx.state.now().getTime();
  const calendario =
    c.kind === 'cob'
      ? { criacao: t(ctx, c.createdMs), apresentacao: t(ctx, now), expiracao: b.calendario.expiracao }
      : { criacao: t(ctx, c.createdMs), apresentacao: t(ctx, now), dataDeVencimento: b.calendario.dataDeVencimento, validadeAposVencimento: b.calendario.validadeAposVencimento };
  const body = {
    calendario,
    ...(b.devedor ? { devedor: b.devedor } : {}),
    ...(c.kind === 'cobv' ? { recebedor: recebedorOf(ctx.state.sts.clientInfo(c.clientId)) } : {}),
    txid: c.txid,
    revisao: c.revisao,
    status: c.status,
    valor: c.kind === 'cob' ? { original: b.valor.original, modalidadeAlteracao: b.valor.modalidadeAlteracao ?? 0 } : { original: b.valor.original, final: b.valor.original },
    chave: b.chave,
    ...(b.solicitacaoPagador ? { solicitacaoPagador: b.solicitacaoPagador } : {}),
    ...(b.infoAdicionais ? { infoAdicionais: b.infoAdicionais } : {}),
  };
  const jws = ctx.state.jwt.signJws(body, 'JWS');
  req.res.writeHead(200, { 'Content-Type': 'application/jose', 'Content-Length': Buffer.byteLength(jws), 'Cache-Control': 'no-store' });
  req.res.end(jws);
}

/** Charge routes under /regulatorio-pix/v2, plus the public payload locations. */
export const cobRoutes: Route[] = [
  route('GET', PIX_PREFIX, '/cob/:txid/qrcode', 'pix', qrcode),
  route('PUT', PIX_PREFIX, '/cob/:txid', 'pix', createCob(true)),
  route('PATCH', PIX_PREFIX, '/cob/:txid', 'pix', patchCob),
  route('GET', PIX_PREFIX, '/cob/:txid', 'pix', getOne('cob')),
  route('POST', PIX_PREFIX, '/cob', 'pix', createCob(false)),
  route('GET', PIX_PREFIX, '/cob', 'pix', listCharges('cob')),
  route('PUT', PIX_PREFIX, '/cobv/:txid', 'pix', putCobv),
  route('PATCH', PIX_PREFIX, '/cobv/:txid', 'pix', patchCobv),
  route('GET', PIX_PREFIX, '/cobv/:txid', 'pix', getOne('cobv')),
  route('GET', PIX_PREFIX, '/cobv', 'pix', listCharges('cobv')),
  route('GET', '', '/qr/v2/cobv/:id', 'public', payload),
  route('GET', '', '/qr/v2/:id', 'public', payload),
];
