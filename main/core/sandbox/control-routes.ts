import { z } from 'zod';
import { AppError, isAppError } from '../errors';
import { faultRequestSchema } from './faults';
import { route, sendJson, type Req, type Route, type SandboxContext } from './http';
import type { PayOptions } from './payer';
import { parseRfc3339 } from './util';

/*
 * Sandbox-only endpoints, outside Itaú's API, for tests, benchmarks and the CLI of other processes: a payer
 * (`POST /sandbox/pay`, like a bank app), what a payer app reads at a location (`GET /sandbox/qr/{id}`), Pix key
 * registration, bulk seeding of received Pix, statistics and fault control. All but the payer and the health check
 * answer only to 127.0.0.1. Errors are `{codigo?, mensagem}` with a pt-BR message.
 */

function isLoopback(req: Req): boolean {
  const a = req.raw.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

function jsonOf(req: Req): unknown {
  try {
    return JSON.parse(req.body.toString('utf8') || '{}') as unknown;
  } catch {
    return undefined;
  }
}

/** Wrap a handler: loopback only, body checked by `schema`, AppErrors answered as `{codigo, mensagem}`. */
function control<T>(schema: z.ZodType<T> | null, usage: string, okStatus: number, fn: (ctx: SandboxContext, body: T, req: Req) => unknown, loopbackOnly = true) {
  return (ctx: SandboxContext, req: Req): void => {
    if (loopbackOnly && !isLoopback(req)) return sendJson(req.res, 403, { mensagem: 'Rotas de controle do sandbox só são aceitas a partir de 127.0.0.1.' });
    let body = undefined as T;
    if (schema) {
      const r = schema.safeParse(jsonOf(req));
      if (!r.success) return sendJson(req.res, 400, { codigo: 'SANDBOX_CONTROL_USAGE', mensagem: `Corpo inválido. Envie ${usage}` });
      body = r.data;
    }
    try {
      sendJson(req.res, okStatus, fn(ctx, body, req));
    } catch (e) {
      if (!isAppError(e)) throw e;
      const status = e.code === 'SANDBOX_PIX_KEY_TAKEN' ? 409 : e.code === 'SANDBOX_PAY_REFUSED' ? 422 : 400;
      sendJson(req.res, status, { codigo: e.code, mensagem: e.message });
    }
  };
}

const payer = {
  amount: z.string().max(20).optional(),
  payerName: z.string().max(140).optional(),
  payerCpf: z.string().max(14).optional(),
  payerCnpj: z.string().max(14).optional(),
  infoPagador: z.string().max(140).optional(),
};
const paySchema = z.union([
  z.object({ brcode: z.string().min(1).max(1024), ...payer }),
  z.object({ txid: z.string().min(1).max(35), clientId: z.string().max(64).optional(), ...payer }),
  z.object({ key: z.string().min(1).max(77), ...payer, amount: z.string().min(1).max(20) }),
]);

function pay(ctx: SandboxContext, b: z.infer<typeof paySchema>) {
  const opts: PayOptions = { amount: b.amount, payerName: b.payerName, payerCpf: b.payerCpf, payerCnpj: b.payerCnpj, infoPagador: b.infoPagador };
  if ('brcode' in b) return ctx.state.pay(b.brcode, opts);
  if ('txid' in b) return ctx.state.payTxid(b.txid, { ...opts, clientId: b.clientId });
  return ctx.state.payKey(b.key, { ...opts, amount: b.amount });
}

const keySchema = z.object({ clientId: z.string().min(1).max(64), key: z.string().min(1).max(77) });

const bulkSchema = z.object({
  clientId: z.string().max(64).optional(),
  key: z.string().max(77).optional(),
  count: z.number().int().min(1).max(100_000),
  valor: z.string().max(20).optional(),
  inicio: z.string().max(40).optional(),
  fim: z.string().max(40).optional(),
  txidEvery: z.number().int().min(0).optional(),
});

function bulk(ctx: SandboxContext, b: z.infer<typeof bulkSchema>) {
  const at = (v: string | undefined) => (v === undefined ? undefined : (parseRfc3339(v)?.ms ?? Number.NaN));
  const fromMs = at(b.inicio);
  const toMs = at(b.fim);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    throw new AppError('SANDBOX_CONTROL_USAGE', 'inicio e fim devem ser datas RFC 3339 com fuso, ex.: 2026-01-31T10:00:00-03:00.');
  }
  const r = ctx.state.seedPix({ clientId: b.clientId, chave: b.key, count: b.count, valor: b.valor, fromMs, toMs, txidEvery: b.txidEvery });
  return { count: r.count, key: r.chave, inicio: new Date(r.fromMs).toISOString(), fim: new Date(r.toMs).toISOString() };
}

/** The charge bound to a location now, as a payer's app would show it before paying (no JWS). */
function qr(ctx: SandboxContext, _b: unknown, req: Req) {
  const id = req.params.id ?? '';
  const loc = /^\d+$/.test(id) ? ctx.state.db.prepare('SELECT uuid FROM locations WHERE id = ?').get(Number(id)) : { uuid: id };
  const l = loc ? ctx.state.locations.getByUuid((loc as { uuid: string }).uuid) : null;
  if (!l) return { found: false };
  const c = l.chargeId === null ? null : ctx.state.charges.getChargeById(l.chargeId);
  return {
    found: true,
    loc: { id: l.id, location: l.location, tipoCob: l.tipoCob },
    cob: c ? { txid: c.txid, status: c.status, valor: c.body.valor.original, chave: c.body.chave, pixCopiaECola: c.pixCopiaECola } : null,
  };
}

/** Sandbox control routes; never subject to injected faults. */
export const controlRoutes: Route[] = [
  route('POST', '', '/sandbox/pay', 'control', control(paySchema, '{"brcode"} | {"txid", "clientId"?} | {"key", "amount"} (+ "amount"?, "payerName"?, "payerCpf"?, "payerCnpj"?, "infoPagador"?).', 201, pay, false)),
  route('GET', '', '/sandbox/qr/:id', 'control', control(null, '', 200, qr, false)),
  route('POST', '', '/sandbox/keys', 'control', control(keySchema, '{"clientId": "<uuid>", "key": "<chave Pix>"}.', 201, (ctx, b) => {
    ctx.state.keys.register(b.clientId, b.key);
    return { clientId: b.clientId.toLowerCase(), key: b.key, keys: ctx.state.keys.list(b.clientId) };
  })),
  route('DELETE', '', '/sandbox/keys', 'control', control(keySchema, '{"clientId": "<uuid>", "key": "<chave Pix>"}.', 200, (ctx, b) => ({
    removed: ctx.state.keys.unregister(b.clientId, b.key),
    keys: ctx.state.keys.list(b.clientId),
  }))),
  route('GET', '', '/sandbox/keys', 'control', control(null, '', 200, (ctx, _b, req) => {
    const clientId = (req.query.get('clientId') ?? '').toLowerCase();
    return { clientId, keys: ctx.state.keys.list(clientId) };
  })),
  route('POST', '', '/sandbox/pix/bulk', 'control', control(bulkSchema, '{"clientId"? | "key"?, "count": 10000, "valor"?: "10.00", "inicio"?, "fim"?}.', 201, bulk)),
  route('GET', '', '/sandbox/stats', 'control', control(null, '', 200, (ctx) => ctx.state.stats())),
  route('POST', '', '/sandbox/stats/reset', 'control', control(null, '', 200, (ctx) => {
    ctx.state.sts.resetTokenRequestCounts();
    return ctx.state.stats();
  })),
  route('POST', '', '/sandbox/faults', 'control', control(
    faultRequestSchema,
    '{"route": "POST /api/oauth/token", "status"?: 503, "latencyMs"?: 100, "reset"?: true, "dropResponse"?: true, "expireTokens"?: true, "refund"?: "NAO_REALIZADO", "motivo"?: "...", "times"?: 1} ou {"clear": true}.',
    200,
    (ctx, b) => {
      if ('clear' in b) ctx.faults.clear(b.route);
      else {
        const { route: pattern, ...spec } = b;
        ctx.faults.set(pattern, spec);
      }
      return { faults: ctx.faults.list() };
    },
  )),
  route('DELETE', '', '/sandbox/faults', 'control', control(null, '', 200, (ctx) => {
    ctx.faults.clear();
    return { faults: [] };
  })),
  route('GET', '', '/sandbox/faults', 'control', control(null, '', 200, (ctx) => ({ faults: ctx.faults.list() }))),
  route('GET', '', '/sandbox/health', 'control', (ctx, req) => sendJson(req.res, 200, { ok: true, pid: process.pid, instanceId: ctx.instanceId })),
];
