import { z } from 'zod';
import { directoryKeyType, isValidCnpj, isValidCpf } from './brcode-bridge';
import { toCents } from './util';

/*
 * Request bodies of the Pix API as zod schemas written from BCB's spec (bacen-pix-api-2.9.0.yaml): CobSolicitada,
 * CobRevisada, CobVSolicitada, DevolucaoSolicitada, WebhookSolicitado. Extra properties are ignored (the spec does
 * not forbid them); fields the sandbox does not implement (`loc` in a revision, `valor.retirada`) are refused with a clear reason.
 */

/** `\d{1,10}\.\d{2}`, the format of every amount in the Pix API. */
export const VALOR = /^\d{1,10}\.\d{2}$/;
/** txid of a charge (PUT /cob/{txid}, /cobv/{txid}). */
export const TXID = /^[a-zA-Z0-9]{26,35}$/;
export const E2EID = /^[a-zA-Z0-9]{32}$/;
export const DEVOLUCAO_ID = /^[a-zA-Z0-9]{1,35}$/;

const valor = z.string().regex(VALOR, 'deve seguir o formato \\d{1,10}\\.\\d{2}, ex.: "10.50"');
const valorPositivo = valor.refine((v) => toCents(v) > 0, 'deve ser maior que 0.00');

const cpf = z.string().regex(/^\d{11}$/, 'deve ter 11 dígitos').refine(isValidCpf, 'CPF com dígitos verificadores inválidos');
const cnpj = z
  .string()
  .regex(/^[0-9A-Z]{14}$/, 'deve ter 14 caracteres [0-9A-Z]')
  .refine(isValidCnpj, 'CNPJ com dígitos verificadores inválidos');

/** Devedor: PessoaFisica (cpf + nome) or PessoaJuridica (cnpj + nome), never both ids; optional address fields. */
const devedor = z
  .object({
    cpf: cpf.optional(),
    cnpj: cnpj.optional(),
    nome: z.string().min(1, 'não pode ser vazio').max(200).optional(),
    email: z.string().max(200).optional(),
    logradouro: z.string().max(200).optional(),
    cidade: z.string().max(200).optional(),
    uf: z.string().max(2).optional(),
    cep: z.string().max(8).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.cpf && d.cnpj) ctx.addIssue({ code: 'custom', message: 'cpf e cnpj não podem ser informados ao mesmo tempo', path: ['cnpj'] });
    if (!d.cpf && !d.cnpj) ctx.addIssue({ code: 'custom', message: 'informe cpf ou cnpj do devedor', path: ['cpf'] });
    if (!d.nome) ctx.addIssue({ code: 'custom', message: 'nome do devedor é obrigatório com cpf/cnpj', path: ['nome'] });
  });

const chave = z
  .string()
  .min(1, 'é obrigatória')
  .max(77, 'tem no máximo 77 caracteres')
  .refine((k) => directoryKeyType(k) !== null, 'não é uma chave Pix no formato do DICT (CPF, CNPJ, +55…, e-mail ou EVP)');

const infoAdicionais = z
  .array(z.object({ nome: z.string().max(50), valor: z.string().max(200) }))
  .max(50, 'no máximo 50 itens');

const notSupported = (what: string) =>
  z
    .unknown()
    .refine((v) => v === undefined, `${what} não é suportado pelo sandbox`)
    .optional();

const expiracao = z.number().int('deve ser um inteiro (segundos)').positive('deve ser maior que zero').max(2147483647);
const modalidadeAlteracao = z.union([z.literal(0), z.literal(1)], { error: 'deve ser 0 ou 1' });

/** `loc: {id}` of a create request: bind an existing free location (from POST /loc or unlinked) instead of a new one. */
const locRef = z.object({ id: z.number().int('deve ser um inteiro').positive('deve ser maior que zero') });

/** CobSolicitada: body of PUT /cob/{txid} and POST /cob. */
export const cobSolicitadaSchema = z.object({
  calendario: z.object({ expiracao: expiracao.optional() }),
  devedor: devedor.optional(),
  loc: locRef.optional(),
  valor: z.object({ original: valorPositivo, modalidadeAlteracao: modalidadeAlteracao.optional(), retirada: notSupported('retirada (Pix Saque/Troco)') }),
  chave,
  solicitacaoPagador: z.string().max(140).optional(),
  infoAdicionais: infoAdicionais.optional(),
});
export type CobSolicitada = z.infer<typeof cobSolicitadaSchema>;

/** CobRevisada: body of PATCH /cob/{txid}; `status` may only be REMOVIDA_PELO_USUARIO_RECEBEDOR. */
export const cobRevisadaSchema = z.object({
  calendario: z.object({ expiracao: expiracao.optional() }).optional(),
  devedor: devedor.optional(),
  loc: notSupported('loc'),
  status: z.literal('REMOVIDA_PELO_USUARIO_RECEBEDOR', { error: 'só aceita REMOVIDA_PELO_USUARIO_RECEBEDOR' }).optional(),
  valor: z.object({ original: valorPositivo.optional(), modalidadeAlteracao: modalidadeAlteracao.optional(), retirada: notSupported('retirada') }).optional(),
  chave: chave.optional(),
  solicitacaoPagador: z.string().max(140).optional(),
  infoAdicionais: infoAdicionais.optional(),
});
export type CobRevisada = z.infer<typeof cobRevisadaSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'deve ser uma data YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'data inexistente');

const modalidadeValor = z.object({ modalidade: z.number().int(), valorPerc: valor }).loose();

/** CobVSolicitada: body of PUT /cobv/{txid}. Fines, interest and discounts are accepted and echoed, not computed. */
const cobvValor = {
  multa: modalidadeValor.optional(),
  juros: modalidadeValor.optional(),
  abatimento: modalidadeValor.optional(),
  desconto: z.object({ modalidade: z.number().int() }).loose().optional(),
};

export const cobVSolicitadaSchema = z.object({
  calendario: z.object({ dataDeVencimento: isoDate, validadeAposVencimento: z.number().int().min(0).optional() }),
  devedor,
  loc: locRef.optional(),
  valor: z.object({ original: valorPositivo, ...cobvValor }),
  chave,
  solicitacaoPagador: z.string().max(140).optional(),
  infoAdicionais: infoAdicionais.optional(),
});
export type CobVSolicitada = z.infer<typeof cobVSolicitadaSchema>;

/** CobVRevisada: body of PATCH /cobv/{txid}; every field optional, `status` only REMOVIDA_PELO_USUARIO_RECEBEDOR. */
export const cobVRevisadaSchema = z.object({
  calendario: z.object({ dataDeVencimento: isoDate.optional(), validadeAposVencimento: z.number().int().min(0).optional() }).optional(),
  devedor: devedor.optional(),
  loc: notSupported('loc'),
  status: z.literal('REMOVIDA_PELO_USUARIO_RECEBEDOR', { error: 'só aceita REMOVIDA_PELO_USUARIO_RECEBEDOR' }).optional(),
  valor: z.object({ original: valorPositivo.optional(), ...cobvValor }).optional(),
  chave: chave.optional(),
  solicitacaoPagador: z.string().max(140).optional(),
  infoAdicionais: infoAdicionais.optional(),
});
export type CobVRevisada = z.infer<typeof cobVRevisadaSchema>;

/** DevolucaoSolicitada: body of PUT /pix/{e2eid}/devolucao/{id}. */
export const devolucaoSolicitadaSchema = z.object({
  valor: valorPositivo,
  natureza: z.enum(['ORIGINAL', 'RETIRADA']).optional(),
  descricao: z.string().max(140).optional(),
});

/** WebhookSolicitado: body of PUT /webhook/{chave}. */
export const webhookSolicitadoSchema = z.object({
  webhookUrl: z
    .string()
    .max(2048)
    .refine((u) => {
      try {
        return new URL(u).protocol === 'https:';
      } catch {
        return false;
      }
    }, 'deve ser uma URL https://'),
});

/** One entry of `violacoes` in an RFC 7807 problem. */
export interface Violacao {
  razao: string;
  propriedade: string;
  valor?: string;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function ptMessage(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? 'é obrigatório' : `tipo inválido (esperado ${issue.expected})`;
    case 'too_big':
      return `excede o máximo (${String(issue.maximum)})`;
    case 'too_small':
      return `abaixo do mínimo (${String(issue.minimum)})`;
    case 'invalid_format':
      return 'formato inválido';
    case 'invalid_value':
      return 'valor não permitido';
    case 'invalid_union':
      return 'valor não permitido';
    default:
      return issue.message;
  }
}

/**
 * Validate `data` and turn zod issues into BCB `violacoes` (propriedade like "cob.valor.original", pt-BR razão).
 */
export function validateBody<T>(
  schema: z.ZodType<T>,
  data: unknown,
  prefix: string,
): { ok: true; value: T } | { ok: false; violacoes: Violacao[] } {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  const violacoes = r.error.issues.map((issue) => {
    const input = valueAt(data, issue.path);
    const prop = [prefix, ...issue.path.map(String)].join('.');
    const custom = issue.code === 'custom' || !/^(Invalid|Too|Expected)/.test(issue.message);
    const msg = custom ? issue.message : ptMessage(issue, input);
    const v: Violacao = { razao: `O campo ${prop} não respeita o _schema_: ${msg}.`, propriedade: prop };
    if (input !== undefined && input !== null && typeof input !== 'object') v.valor = String(input);
    return v;
  });
  return { ok: false, violacoes };
}
