import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedApp } from '../apps';
import type { ChargeApi, ChargeBody, RefundBody } from './charge-api';
import { ApiError } from './http-errors';
import type { QrCodeApi, QrCodeBody } from './qrcode-api';
import { chargeBody, createQuery, idParams, listQuery, pageQuery, qrCodeBody, refundBody } from './schemas';

type Q = Record<string, string | undefined>;

function appOf(req: FastifyRequest): AuthenticatedApp {
  // The auth hook has run (these routes are not public), so an app is always set here.
  return req.pixApp!;
}

/** skip/limit as OpenPix takes them (limit default 20, at most 100). */
export function paging(q: Q): { skip: number; limit: number } {
  return { skip: q.skip ? Number(q.skip) : 0, limit: q.limit ? Number(q.limit) : 20 };
}

function isoOrNull(text: string | undefined, field: string): string | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ApiError(400, `O campo "${field}" não é uma data válida (use ISO 8601, ex.: 2026-01-31T00:00:00Z).`);
  return new Date(t).toISOString();
}

/** `/api/v1/charge…` and `/api/v1/qrcode-static…`: the OpenPix charge API. */
export function chargeRoutes(app: FastifyInstance, charges: ChargeApi, qrcodes: QrCodeApi): void {
  app.post('/api/v1/charge', { schema: { body: chargeBody, querystring: createQuery }, config: { scope: 'CHARGE_POST' } }, async (req, reply) => {
    const r = await charges.create(appOf(req), req.body as ChargeBody, (req.query as Q).return_existing === 'true');
    return reply.code(r.status).send(r.body);
  });

  app.get('/api/v1/charge', { schema: { querystring: listQuery }, config: { scope: 'CHARGE_GET' } }, (req) => {
    const q = req.query as Q;
    return charges.list(appOf(req), {
      ...paging(q),
      start: isoOrNull(q.start, 'start'),
      end: isoOrNull(q.end, 'end'),
      status: q.status as 'ACTIVE' | 'COMPLETED' | 'EXPIRED' | undefined,
    });
  });

  app.get('/api/v1/charge/:id', { schema: { params: idParams }, config: { scope: 'CHARGE_GET' } }, (req) => charges.get(appOf(req), (req.params as { id: string }).id));

  app.delete('/api/v1/charge/:id', { schema: { params: idParams }, config: { scope: 'CHARGE_POST' } }, (req) => charges.remove(appOf(req), (req.params as { id: string }).id));

  app.post('/api/v1/charge/:id/refund', { schema: { params: idParams, body: refundBody }, config: { scope: 'REFUND' } }, async (req, reply) => {
    const r = await charges.refund(appOf(req), (req.params as { id: string }).id, req.body as RefundBody);
    return reply.code(r.status).send(r.body);
  });

  app.get('/api/v1/charge/:id/refund', { schema: { params: idParams, querystring: pageQuery }, config: { scope: 'REFUND' } }, (req) => {
    const { skip, limit } = paging(req.query as Q);
    return charges.refunds(appOf(req), (req.params as { id: string }).id, skip, limit);
  });

  app.post('/api/v1/qrcode-static', { schema: { body: qrCodeBody, querystring: createQuery }, config: { scope: 'QRCODE_STATIC' } }, (req) =>
    qrcodes.create(appOf(req), req.body as QrCodeBody, (req.query as Q).return_existing === 'true'),
  );

  app.get('/api/v1/qrcode-static', { schema: { querystring: pageQuery }, config: { scope: 'QRCODE_STATIC' } }, (req) => {
    const { skip, limit } = paging(req.query as Q);
    return qrcodes.list(appOf(req), skip, limit);
  });

  app.get('/api/v1/qrcode-static/:id', { schema: { params: idParams }, config: { scope: 'QRCODE_STATIC' } }, (req) => qrcodes.get(appOf(req), (req.params as { id: string }).id));
}
