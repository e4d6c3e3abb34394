/** Signed webhooks per API app with a durable SQLite queue. No electron import. */
export { WebhookService, checkWebhookUrl, type WebhookInput, type WebhookServiceDeps } from './service';
export { DeliveryQueue, MAX_RETRIES, RETRY_BASE_MS, LEASE_MS, type DeliveryRow, type AttemptRow } from './queue';
export { WebhookKeys, hmacSignature, type PublicKeyView } from './signing';
