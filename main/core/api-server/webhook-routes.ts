import type { FastifyInstance } from 'fastify';
import { paging } from './charge-routes';
import { ApiError } from './http-errors';
import { idParams, webhookBody, webhookDeleteQuery, webhookListQuery } from './schemas';
import type { WebhookInput, WebhookService } from './webhooks';

/** `/api/v1/webhook…`: an app's webhooks (scope WEBHOOK) and the public keys that verify their signatures. */
export function webhookRoutes(app: FastifyInstance, w: WebhookService): void {
  app.get('/api/v1/webhook/public-keys', { config: { public: true } }, () => w.publicKeys());

  app.get('/api/v1/webhook', { schema: { querystring: webhookListQuery }, config: { scope: 'WEBHOOK' } }, (req) => {
    const q = req.query as Record<string, string | undefined>;
    const { skip, limit } = paging(q);
    return w.list(req.pixApp!.id, q.url, skip, limit);
  });

  app.post('/api/v1/webhook', { schema: { body: webhookBody }, config: { scope: 'WEBHOOK' } }, (req) => w.create(req.pixApp!.id, (req.body as { webhook: WebhookInput }).webhook));

  app.delete('/api/v1/webhook/:id', { schema: { params: idParams }, config: { scope: 'WEBHOOK' } }, (req) => w.remove(req.pixApp!.id, (req.params as { id: string }).id));

  app.delete('/api/v1/webhook', { schema: { querystring: webhookDeleteQuery }, config: { scope: 'WEBHOOK' } }, (req) => {
    const id = (req.query as { id?: string }).id;
    if (!id) throw new ApiError(400, 'O campo "id" é obrigatório: informe o id do webhook (DELETE /api/v1/webhook/{id} ou ?id=).');
    return w.remove(req.pixApp!.id, id);
  });
}
