import { isAppError } from '../errors';
import { faultRequestSchema } from './faults';
import { route, sendJson, type Req, type Route, type SandboxContext } from './http';

/*
 * Sandbox-only endpoints, outside Itaú's API: a payer (`POST /sandbox/pay`, like a bank app paying a QR code) and
 * fault control for end-to-end tests running in other processes (`/sandbox/faults`, loopback only).
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

function pay(ctx: SandboxContext, req: Req): void {
  const body = jsonOf(req) as { brcode?: unknown; amount?: unknown; payerName?: unknown } | undefined;
  if (!body || typeof body.brcode !== 'string' || (body.amount !== undefined && typeof body.amount !== 'string') || (body.payerName !== undefined && typeof body.payerName !== 'string')) {
    return sendJson(req.res, 400, { mensagem: 'Envie JSON {"brcode": "...", "amount"?: "10.50", "payerName"?: "..."}.' });
  }
  try {
    const r = ctx.state.pay(body.brcode, { amount: body.amount, payerName: body.payerName });
    sendJson(req.res, 201, r);
  } catch (e) {
    if (isAppError(e)) return sendJson(req.res, 422, { codigo: e.code, mensagem: e.message });
    throw e;
  }
}

function setFault(ctx: SandboxContext, req: Req): void {
  if (!isLoopback(req)) return sendJson(req.res, 403, { mensagem: 'Controle de falhas só é aceito a partir de 127.0.0.1.' });
  const r = faultRequestSchema.safeParse(jsonOf(req));
  if (!r.success) {
    return sendJson(req.res, 400, {
      mensagem: 'Envie {"route": "POST /api/oauth/token", "status"?: 503, "latencyMs"?: 100, "reset"?: true, "expireTokens"?: true, "times"?: 1} ou {"clear": true}.',
    });
  }
  if ('clear' in r.data) ctx.faults.clear(r.data.route);
  else {
    const { route: pattern, ...spec } = r.data;
    ctx.faults.set(pattern, spec);
  }
  sendJson(req.res, 200, { faults: ctx.faults.list() });
}

function clearFaults(ctx: SandboxContext, req: Req): void {
  if (!isLoopback(req)) return sendJson(req.res, 403, { mensagem: 'Controle de falhas só é aceito a partir de 127.0.0.1.' });
  ctx.faults.clear();
  sendJson(req.res, 200, { faults: [] });
}

function listFaults(ctx: SandboxContext, req: Req): void {
  if (!isLoopback(req)) return sendJson(req.res, 403, { mensagem: 'Controle de falhas só é aceito a partir de 127.0.0.1.' });
  sendJson(req.res, 200, { faults: ctx.faults.list() });
}

/** Sandbox control routes; never subject to injected faults. */
export const controlRoutes: Route[] = [
  route('POST', '', '/sandbox/pay', 'control', pay),
  route('POST', '', '/sandbox/faults', 'control', setFault),
  route('DELETE', '', '/sandbox/faults', 'control', clearFaults),
  route('GET', '', '/sandbox/faults', 'control', listFaults),
  route('GET', '', '/sandbox/health', 'control', (_ctx, req) => sendJson(req.res, 200, { ok: true })),
];
