import { isAppError } from '../errors';

/**
 * Errors of the local API, answered as OpenPix does: a status and `{"error": "<message>"}`, in pt-BR, naming the
 * field when input is at fault. Nothing thrown ever reaches the client as text other than these messages.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What an AppError of the charges engine means over HTTP (anything not listed is a 400: the request can't be done). */
const STATUS_OF_CODE: Record<string, number> = {
  CHARGE_NOT_FOUND: 404,
  APP_NOT_FOUND: 404,
  CHARGE_PENDING: 503,
  REFUND_PENDING: 202,
  CHARGE_BUSY: 409,
  INTERNAL: 500,
};

/** Friendly type names for validation messages. */
const TYPE_PT: Record<string, string> = {
  integer: 'um número inteiro',
  number: 'um número',
  string: 'um texto',
  boolean: 'verdadeiro ou falso (true/false)',
  object: 'um objeto JSON',
  array: 'uma lista',
};

/** Hints added after the generic message for fields whose format people often get wrong. */
const FIELD_HINT: Record<string, string> = {
  value: 'em centavos (ex.: 1050 para R$ 10,50)',
  expiresIn: 'em segundos (ex.: 3600 para 1 hora)',
  correlationID: 'um identificador seu, único por cobrança (ex.: o número do pedido)',
  skip: 'número de itens a pular (0 ou mais)',
  limit: 'de 1 a 100',
  start: 'data ISO 8601, ex.: 2026-01-31T00:00:00Z',
  end: 'data ISO 8601, ex.: 2026-01-31T23:59:59Z',
};

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

function fieldName(context: string | undefined, path: string, extra?: string): string {
  const parts = path.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  if (!parts.length) return context === 'querystring' ? 'parâmetros da URL' : 'corpo da requisição';
  return parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

function hint(field: string): string {
  const h = FIELD_HINT[field.split('.').pop() ?? ''];
  return h ? ` (${h})` : '';
}

/** One pt-BR sentence for the first schema violation of a request. */
export function validationMessage(issues: readonly AjvIssue[], context: string | undefined): string {
  const i = issues[0];
  if (!i) return 'Requisição inválida.';
  const p = i.params;
  switch (i.keyword) {
    case 'required': {
      const f = fieldName(context, i.instancePath, String(p.missingProperty));
      return `O campo "${f}" é obrigatório${hint(f)}.`;
    }
    case 'additionalProperties':
      return `O campo "${fieldName(context, i.instancePath, String(p.additionalProperty))}" não é aceito nesta rota.`;
    case 'type': {
      const f = fieldName(context, i.instancePath);
      if (!i.instancePath) return `O ${f} deve ser ${TYPE_PT[String(p.type)] ?? String(p.type)}.`;
      return `O campo "${f}" deve ser ${TYPE_PT[String(p.type)] ?? String(p.type)}${hint(f)}.`;
    }
    case 'minimum':
    case 'exclusiveMinimum': {
      const f = fieldName(context, i.instancePath);
      return `O campo "${f}" deve ser ${i.keyword === 'minimum' ? 'no mínimo' : 'maior que'} ${String(p.limit)}${hint(f)}.`;
    }
    case 'maximum': {
      const f = fieldName(context, i.instancePath);
      return `O campo "${f}" deve ser no máximo ${String(p.limit)}${hint(f)}.`;
    }
    case 'minLength': {
      const f = fieldName(context, i.instancePath);
      return Number(p.limit) <= 1 ? `O campo "${f}" não pode ser vazio${hint(f)}.` : `O campo "${f}" deve ter pelo menos ${String(p.limit)} caracteres.`;
    }
    case 'maxLength':
      return `O campo "${fieldName(context, i.instancePath)}" deve ter no máximo ${String(p.limit)} caracteres.`;
    case 'maxItems':
      return `A lista "${fieldName(context, i.instancePath)}" aceita no máximo ${String(p.limit)} itens.`;
    case 'enum':
      return `O campo "${fieldName(context, i.instancePath)}" deve ser um de: ${(p.allowedValues as unknown[]).join(', ')}.`;
    case 'pattern':
    case 'format': {
      const f = fieldName(context, i.instancePath);
      return `O campo "${f}" está em formato inválido${hint(f)}.`;
    }
    default:
      return `O campo "${fieldName(context, i.instancePath)}" é inválido.`;
  }
}

/** Status and pt-BR message for anything thrown by a route or by fastify itself. */
export function toHttpError(e: unknown): { status: number; message: string } {
  if (e instanceof ApiError) return { status: e.statusCode, message: e.message };
  if (isAppError(e)) return { status: STATUS_OF_CODE[e.code] ?? 400, message: e.message };
  const fe = e as { code?: string; statusCode?: number; validation?: AjvIssue[]; validationContext?: string } | null;
  if (fe?.validation) return { status: 400, message: validationMessage(fe.validation, fe.validationContext) };
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'Corpo da requisição grande demais. Envie só os campos da cobrança (limite de 16 KiB).' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Tipo de conteúdo não aceito: envie o corpo como JSON (Content-Type: application/json).' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'Content-Length não confere com o corpo enviado.' };
    case 'FST_ERR_BAD_URL':
      return { status: 400, message: 'Endereço inválido: a URL tem um caractere "%" mal codificado. Codifique os parâmetros (encodeURIComponent) e tente de novo.' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 400, message: 'Endereço inválido: um identificador na URL é longo demais (máximo de 100 caracteres).' };
  }
  if (fe?.statusCode === 429) return { status: 429, message: 'Limite de requisições deste app excedido. Aguarde alguns segundos e tente de novo, ou peça ao administrador para aumentar o limite do app.' };
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return { status: fe.statusCode, message: 'Requisição inválida.' };
  return { status: 500, message: 'Erro interno do PixDesk. Tente novamente; se persistir, verifique o PixDesk no computador do caixa.' };
}
