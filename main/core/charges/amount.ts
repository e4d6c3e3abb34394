import { AppError } from '../errors';

/** The largest amount the Pix API can carry: `\d{1,10}\.\d{2}` → 9.999.999.999,99. */
export const MAX_CENTS = 999_999_999_999;

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });

/** 1050 → "R$ 10,50" (for messages shown to people). */
export function formatBrl(cents: number): string {
  return brl.format(cents / 100).replace(/\u00a0/g, ' ');
}

/** 1050 → "10.50", the Pix API's amount format. */
export function centsToValor(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** "10.50" (as the bank writes it) → 1050; null when it is not in the API format. */
export function valorToCents(valor: unknown): number | null {
  if (typeof valor !== 'string') return null;
  const m = /^(\d{1,10})\.(\d{2})$/.exec(valor.trim());
  return m ? Number(m[1]) * 100 + Number(m[2]) : null;
}

/**
 * Check an amount in cents for a charge: a positive integer within the Pix API's range. Throws an AppError whose
 * pt-BR message says what is wrong and how to write it instead.
 */
export function checkCents(cents: unknown): number {
  if (typeof cents !== 'number' || !Number.isFinite(cents)) {
    throw new AppError('AMOUNT_INVALID', 'Valor inválido: informe o valor da cobrança, por exemplo 10,50.');
  }
  if (!Number.isInteger(cents)) {
    throw new AppError('AMOUNT_INVALID', 'Valor inválido: o Pix aceita no máximo 2 casas decimais (centavos). Ex.: 10,50.');
  }
  if (cents <= 0) throw new AppError('AMOUNT_INVALID', 'O valor da cobrança deve ser maior que zero. Ex.: 10,50.');
  if (cents > MAX_CENTS) {
    throw new AppError('AMOUNT_TOO_LARGE', `Valor alto demais: o Pix aceita até ${formatBrl(MAX_CENTS)} por cobrança.`);
  }
  return cents;
}

/**
 * Parse an amount typed by a person ("10.50", "10,50", "1.234,56", "1234") into cents, strictly: no more than two
 * decimals, no signs, no exponents, nothing but digits and one decimal separator (thousands separators in the
 * Brazilian style are accepted only before a decimal comma).
 */
export function parseAmountText(text: string): number {
  const s = text.trim();
  const bad = (): never => {
    throw new AppError('AMOUNT_INVALID', `Valor inválido: "${text.slice(0, 30)}". Use reais com até 2 casas decimais, ex.: 10,50 ou 10.50.`);
  };
  if (s === '') bad();
  let intPart: string;
  let frac: string;
  // "1.234,56": Brazilian thousands dots are accepted only together with a decimal comma (else "1.234" is ambiguous).
  const grouped = /^(\d{1,3}(?:\.\d{3})+),(\d+)$/.exec(s);
  if (grouped) {
    intPart = grouped[1]!.replace(/\./g, '');
    frac = grouped[2]!;
  } else {
    const m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
    if (!m) return bad();
    intPart = m[1]!;
    frac = m[2] ?? '';
  }
  if (frac.length > 2) {
    throw new AppError('AMOUNT_INVALID', `Valor inválido: "${text.slice(0, 30)}" tem mais de 2 casas decimais; o Pix aceita centavos, ex.: 10,50.`);
  }
  if (intPart.replace(/^0+(?=\d)/, '').length > 10) {
    throw new AppError('AMOUNT_TOO_LARGE', `Valor alto demais: o Pix aceita até ${formatBrl(MAX_CENTS)} por cobrança.`);
  }
  return checkCents(Number(intPart) * 100 + Number(frac.padEnd(2, '0')));
}
