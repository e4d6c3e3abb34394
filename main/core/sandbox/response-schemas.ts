import { z } from 'zod';

/*
 * Response bodies of the Pix API and the STS as zod schemas derived from BCB's spec (bacen-pix-api-2.9.0.yaml) and
 * Itaú's documentation. The sandbox's tests check its answers against them; a PixDesk client may use them to read
 * Itaú's answers. They are lenient where production is (extra fields allowed; date-times with any offset).
 */

const dateTime = z.iso.datetime({ offset: true });
const valor = z.string().regex(/^\d{1,10}\.\d{2}$/);
const txid = z.string().regex(/^[a-zA-Z0-9]{26,35}$/);
const e2eid = z.string().regex(/^[a-zA-Z0-9]{32}$/);
const cobStatus = z.enum(['ATIVA', 'CONCLUIDA', 'REMOVIDA_PELO_USUARIO_RECEBEDOR', 'REMOVIDA_PELO_PSP']);
const pessoa = z.union([
  z.object({ cpf: z.string().regex(/^\d{11}$/), nome: z.string().max(200) }).loose(),
  z.object({ cnpj: z.string().regex(/^[0-9A-Z]{14}$/), nome: z.string().max(200) }).loose(),
]);

/** PayloadLocation as embedded in a charge (`loc`). */
export const payloadLocationSchema = z.object({
  id: z.number().int(),
  location: z.string().max(77).refine((l) => !/^https?:\/\//.test(l), 'location vem sem esquema'),
  tipoCob: z.enum(['cob', 'cobv']),
  criacao: dateTime,
});

/** Devolucao. */
export const devolucaoSchema = z.object({
  id: z.string().regex(/^[a-zA-Z0-9]{1,35}$/),
  rtrId: z.string().regex(/^[a-zA-Z0-9]{32}$/),
  valor,
  natureza: z.enum(['ORIGINAL', 'RETIRADA', 'MED_OPERACIONAL', 'MED_FRAUDE', 'MED_PIX_AUTOMATICO']).optional(),
  descricao: z.string().max(140).optional(),
  horario: z.object({ solicitacao: dateTime.optional(), liquidacao: dateTime.optional() }),
  status: z.enum(['EM_PROCESSAMENTO', 'DEVOLVIDO', 'NAO_REALIZADO']),
  motivo: z.string().max(140).optional(),
});

/** PayloadLocationCompleta: answer of GET /loc/{id} (txid while a charge is bound). */
export const payloadLocationCompletaSchema = payloadLocationSchema.extend({ txid: z.string().regex(/^[a-zA-Z0-9]{26,35}$/).optional() });

/** Pix (a received payment). `pagador` is Itaú's addition (name and CPF or CNPJ of the payer). */
export const pixSchema = z.object({
  endToEndId: e2eid,
  txid: z.string().regex(/^[a-zA-Z0-9]{1,35}$/).optional(),
  valor,
  componentesValor: z.object({ original: z.object({ valor }).optional() }).loose().optional(),
  chave: z.string().max(77).optional(),
  horario: dateTime,
  infoPagador: z.string().max(140).optional(),
  pagador: z
    .object({ nome: z.string().max(200).optional(), cpf: z.string().regex(/^\d{11}$/).optional(), cnpj: z.string().regex(/^[0-9A-Z]{14}$/).optional() })
    .loose()
    .optional(),
  devolucoes: z.array(devolucaoSchema).optional(),
});

const cobBase = {
  txid,
  revisao: z.number().int().min(0),
  // Absent once the charge was unlinked from its location (DELETE /loc/{id}/txid).
  loc: payloadLocationSchema.optional(),
  location: z.string().max(77).optional(),
  status: cobStatus,
  devedor: pessoa.optional(),
  chave: z.string().max(77),
  solicitacaoPagador: z.string().max(140).optional(),
  infoAdicionais: z.array(z.object({ nome: z.string().max(50), valor: z.string().max(200) })).max(50).optional(),
  pixCopiaECola: z.string().max(512),
};

/** CobGerada: answer of PUT/POST/PATCH /cob. */
export const cobGeradaSchema = z.object({
  ...cobBase,
  calendario: z.object({ criacao: dateTime, expiracao: z.number().int() }),
  valor: z.object({ original: valor, modalidadeAlteracao: z.number().int().min(0).max(1).optional() }).loose(),
});

/** CobCompleta: answer of GET /cob/{txid}. */
export const cobCompletaSchema = cobGeradaSchema.extend({ pix: z.array(pixSchema.extend({ txid })).optional() });

/** Paginacao inside `parametros`. */
export const paginacaoSchema = z.object({
  paginaAtual: z.number().int().min(0),
  itensPorPagina: z.number().int().min(1),
  quantidadeDePaginas: z.number().int().min(1),
  quantidadeTotalDeItens: z.number().int().min(0),
});

const parametros = z.object({ inicio: dateTime, fim: dateTime, paginacao: paginacaoSchema }).loose();

/** CobsVConsultadas: answer of GET /cobv. */
export const cobsVConsultadasSchema = z.object({ parametros, cobs: z.array(z.lazy(() => cobVCompletaSchema)) });

/** CobsConsultadas: answer of GET /cob. */
export const cobsConsultadasSchema = z.object({ parametros, cobs: z.array(cobCompletaSchema) });

/** PayloadLocationConsultadas: answer of GET /loc. */
export const locsConsultadasSchema = z.object({ parametros, loc: z.array(payloadLocationCompletaSchema) });

/** PixConsultados: answer of GET /pix. */
export const pixConsultadosSchema = z.object({ parametros, pix: z.array(pixSchema) });

/** CobVGerada / CobVCompleta: answer of PUT/GET /cobv. */
export const cobVCompletaSchema = z.object({
  ...cobBase,
  calendario: z.object({ criacao: dateTime, dataDeVencimento: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), validadeAposVencimento: z.number().int() }),
  devedor: pessoa,
  recebedor: z
    .object({ logradouro: z.string(), cidade: z.string(), uf: z.string().max(2), cep: z.string().max(8), nome: z.string() })
    .loose()
    .refine((r) => 'cpf' in r || 'cnpj' in r, 'recebedor precisa de cpf ou cnpj'),
  valor: z.object({ original: valor }).loose(),
  pix: z.array(pixSchema).optional(),
});

/** WebhookCompleto as BCB's example shows it. */
export const webhookCompletoSchema = z.object({ webhookUrl: z.url(), chave: z.string(), criacao: dateTime });

/** RFC 7807 problem (BCB `Problema`). */
export const problemaSchema = z.object({
  type: z.url(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  correlationId: z.string().optional(),
  violacoes: z.array(z.object({ razao: z.string(), propriedade: z.string(), valor: z.string().optional() })).optional(),
});

/** Itaú's `GET /cob/{txid}/qrcode`. */
export const itauQrCodeSchema = z.object({ emv: z.string().max(512), imagem_base64: z.string().min(1), pix_link: z.string() });

/** `POST /api/oauth/token`. */
export const oauthTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
  scope: z.string(),
});

/** STS errors: `{mensagem, acao?}`, with `codigo` on some (C100 for a missing certificate). */
export const stsErrorSchema = z.object({ codigo: z.string().optional(), mensagem: z.string(), acao: z.string().optional() }).loose();
