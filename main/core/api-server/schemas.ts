/*
 * JSON schemas of the local API's routes (fastify validates them before a handler runs; type coercion is off, so
 * `"value": "10"` is refused rather than guessed). Query strings are strings with patterns, parsed by the routes.
 */

const correlationID = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' } as const;
const cents = { type: 'integer', minimum: 1, maximum: 999_999_999_999 } as const;
const uintText = { type: 'string', pattern: '^\\d{1,7}$' } as const;
const isoText = { type: 'string', maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+)?(Z|[+-]\\d{2}:?\\d{2})?$' } as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const chargeBody = {
  type: 'object',
  required: ['correlationID', 'value'],
  additionalProperties: true,
  properties: {
    correlationID,
    value: cents,
    comment: { type: 'string', maxLength: 140 },
    expiresIn: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
    customer: {
      type: 'object',
      additionalProperties: true,
      properties: {
        name: { type: 'string', maxLength: 100 },
        email: { type: 'string', maxLength: 120, pattern: '^[^@\\s]+@[^@\\s]+$' },
        phone: { type: 'string', maxLength: 20, pattern: '^\\+?[0-9 ()-]{8,20}$' },
        taxID: { type: 'string', maxLength: 18, pattern: '^[0-9./-]{11,18}$' },
      },
    },
    additionalInfo: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['key', 'value'],
        properties: { key: { type: 'string', minLength: 1, maxLength: 100 }, value: { type: 'string', maxLength: 500 } },
      },
    },
  },
} as const;

export const createQuery = {
  type: 'object',
  properties: { return_existing: { type: 'string', enum: ['true', 'false'] } },
} as const;

export const listQuery = {
  type: 'object',
  properties: {
    start: isoText,
    end: isoText,
    status: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'EXPIRED'] },
    skip: uintText,
    limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' },
  },
} as const;

export const pageQuery = {
  type: 'object',
  properties: { skip: uintText, limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' } },
} as const;

export const refundBody = {
  type: 'object',
  required: ['correlationID'],
  properties: { correlationID, value: cents, comment: { type: 'string', maxLength: 140 } },
} as const;

export const qrCodeBody = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    correlationID,
    value: cents,
    comment: { type: 'string', maxLength: 72 },
  },
} as const;

export const WEBHOOK_EVENTS = [
  'OPENPIX:CHARGE_CREATED',
  'OPENPIX:CHARGE_COMPLETED',
  'OPENPIX:CHARGE_EXPIRED',
  'OPENPIX:TRANSACTION_RECEIVED',
  'OPENPIX:TRANSACTION_REFUND_RECEIVED',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhookBody = {
  type: 'object',
  required: ['webhook'],
  properties: {
    webhook: {
      type: 'object',
      required: ['event', 'url'],
      properties: {
        name: { type: 'string', maxLength: 100 },
        event: { type: 'string', enum: WEBHOOK_EVENTS },
        url: { type: 'string', minLength: 8, maxLength: 500, pattern: '^[hH][tT][tT][pP][sS]?://' },
        authorization: { type: 'string', maxLength: 500 },
        isActive: { type: 'boolean' },
      },
    },
  },
} as const;

export const webhookListQuery = {
  type: 'object',
  properties: { url: { type: 'string', maxLength: 500 }, skip: uintText, limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' } },
} as const;

export const webhookDeleteQuery = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 100 } },
} as const;
