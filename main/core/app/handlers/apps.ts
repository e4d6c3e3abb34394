import type { WebhookService } from '../../api-server/webhooks';
import type { ApiAppService } from '../../apps';
import type { Handlers } from '../../contract';

type AppHandlers = Pick<Handlers, 'apps:create' | 'apps:list' | 'apps:update' | 'apps:regenerate' | 'apps:revoke' | 'apps:deliveries' | 'apps:resendDelivery'>;

/** API apps. Only `apps:create` and `apps:regenerate` answer with an AppID; every other answer is secret-free. */
export function appHandlers(apps: ApiAppService, webhooks: WebhookService): AppHandlers {
  return {
    'apps:create': (i) => apps.create(i),
    'apps:list': () => apps.list(),
    'apps:update': (i) => apps.update(i),
    'apps:regenerate': (i) => apps.regenerate(i.id),
    'apps:revoke': (i) => apps.revoke(i.id),
    'apps:deliveries': (i) => webhooks.deliveryLog(apps.get(i.id).id),
    'apps:resendDelivery': (i) => webhooks.resend(i.id),
  };
}
