import type { ContractError, QuickQrField } from './types';

const FIELDS: readonly QuickQrField[] = ['key', 'name', 'city', 'amount', 'description'];

/** Message prefixes the BR Code engine uses when it names a field (its messages are pt-BR sentences). */
const PREFIXES: readonly [RegExp, QuickQrField][] = [
  [/^Chave/i, 'key'],
  [/^Nome do recebedor/i, 'name'],
  [/^Cidade/i, 'city'],
  [/^Valor/i, 'amount'],
  [/^Descri[cç][aã]o/i, 'description'],
];

/**
 * Which field of "QR Code rápido" an error of `brcode:build` is about, or null when it is about the whole
 * QR (e.g. the payload would be too long). The contract only carries `{code, message}`, so the field comes
 * from the code (PIX_KEY_INVALID), the zod path quoted in INVALID_INPUT, or the message's first words.
 */
export function fieldOfError(error: ContractError): QuickQrField | null {
  if (error.code === 'PIX_KEY_INVALID') return 'key';
  if (error.code === 'INVALID_INPUT') {
    const m = /"(\w+)"/.exec(error.message);
    const f = m?.[1] as QuickQrField | undefined;
    return f && FIELDS.includes(f) ? f : null;
  }
  for (const [re, field] of PREFIXES) if (re.test(error.message.trim())) return field;
  return null;
}
