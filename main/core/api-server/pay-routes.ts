import type { FastifyInstance } from 'fastify';
import { renderQrPng } from '../brcode';
import type { ApiStore } from './api-store';
import type { ChargeApi } from './charge-api';
import { ApiError } from './http-errors';
import { openPixStatus } from './openpix-views';
import { payPage, type PayPageModel } from './pay-page';

export interface PayDeps {
  charges: ChargeApi;
  store: ApiStore;
}

const LINK = { type: 'object', required: ['linkId'], properties: { linkId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } } } as const;
const IMAGE = { type: 'object', required: ['file'], properties: { file: { type: 'string', pattern: '^[0-9a-f-]{36}\\.png$' } } } as const;
const SIZE = { type: 'object', properties: { size: { type: 'string', pattern: '^\\d{3,4}$' } } } as const;

/** A payment link's charge or static QR code as the page shows it. */
function model(d: PayDeps, linkId: string): PayPageModel {
  const c = d.charges.byPaymentLink(linkId);
  if (c) {
    return { linkId, title: c.row.comment ?? c.view.description ?? 'Cobrança Pix', amountCents: c.view.amountCents, brCode: c.view.brCode, status: openPixStatus(c.view.status), expiresAt: c.view.expiresAt, live: true };
  }
  const q = d.store.qrCodeByLink(linkId);
  if (q) return { linkId, title: q.name, amountCents: q.value, brCode: q.br_code, status: 'ACTIVE', expiresAt: null, live: false };
  throw new ApiError(404, 'Link de pagamento não encontrado. Confira o endereço ou peça um novo QR Code no caixa.');
}

/** Public routes: the payment page, its status, and QR images (unguessable ids, as OpenPix serves them). */
export function payRoutes(app: FastifyInstance, d: PayDeps): void {
  const images = new Map<string, Buffer>();

  app.get('/pay/:linkId', { schema: { params: LINK }, config: { public: true } }, (req, reply) => {
    const { html, csp } = payPage(model(d, (req.params as { linkId: string }).linkId));
    return reply
      .header('content-security-policy', csp)
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .type('text/html; charset=utf-8')
      .send(html);
  });

  app.get('/pay/:linkId/status', { schema: { params: LINK }, config: { public: true } }, (req) => {
    const m = model(d, (req.params as { linkId: string }).linkId);
    return { status: m.status };
  });

  app.get('/openpix/charge/brcode/image/:file', { schema: { params: IMAGE, querystring: SIZE }, config: { public: true } }, async (req, reply) => {
    const linkId = (req.params as { file: string }).file.slice(0, -4);
    const size = Math.min(1024, Math.max(128, Number((req.query as { size?: string }).size ?? 512)));
    const m = model(d, linkId);
    if (!m.brCode) throw new ApiError(404, 'Esta cobrança ainda não tem QR Code (o banco não confirmou a criação).');
    const key = `${linkId}:${size}`;
    let png = images.get(key);
    if (!png) {
      png = await renderQrPng(m.brCode, { size });
      if (images.size > 500) images.clear();
      images.set(key, png);
    }
    return reply.header('cache-control', 'public, max-age=3600').type('image/png').send(png);
  });
}
