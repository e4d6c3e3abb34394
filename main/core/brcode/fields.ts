/**
 * Field normalisers of the encoder: each takes what a person (or another module) typed and returns the exact
 * value to write, or throws BrCodeError naming the field in pt-BR. Nothing here guesses silently in a way that
 * could change money or identifiers: amounts with ambiguous separators and bad txids are rejected, only
 * free text is transliterated and truncated.
 */
import { inputError } from './errors';
import { isDigits, normaliseText } from './text';
import { LIMITS } from './types';

/** Split "1.234.567" style grouping (thousands separator `sep`) into plain digits, or null if malformed. */
function ungroup(s: string, sep: string): string | null {
  const parts = s.split(sep);
  const first = parts[0] as string;
  if (first.length < 1 || first.length > 3 || !isDigits(first)) return null;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p.length !== 3 || !isDigits(p)) return null;
  }
  return parts.join('');
}

/** `[1-9]\d{0,9}\.\d{2}` or `0.\d{2}` other than 0.00: already what tag 54 needs. */
function isCanonicalAmount(s: string): boolean {
  const n = s.length;
  if (n < 4 || n > LIMITS.amount || s.charCodeAt(n - 3) !== 46) return false;
  for (let i = 0; i < n; i++) {
    if (i === n - 3) continue;
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (s.charCodeAt(0) === 48) return n === 4 && (s.charCodeAt(2) !== 48 || s.charCodeAt(3) !== 48);
  return true;
}

const AMOUNT_HINT = 'Use, por exemplo, 10, 10,50, 10.50 ou 1.234,56.';

/**
 * Amount for tag 54: "10" → "10.00", "10,5" → "10.50", "1.234,56" → "1234.56", "R$ 7,00" → "7.00".
 * null, undefined and blank mean an open amount (tag 54 omitted) and return null. Zero, negatives, more than
 * two decimals, "1.234" (three decimals or a thousands group? ambiguous) and values over 13 characters
 * throw. A finite number is accepted when it has at most two decimals.
 */
export function normaliseAmount(input: string | number | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || Math.round(input * 100) / 100 !== input) {
      throw inputError('amount', `Valor "${input}" inválido: use no máximo 2 casas decimais.`);
    }
    s = input.toFixed(2);
  } else if (typeof input === 'string') {
    s = input.trim();
  } else {
    throw inputError('amount', `Valor inválido. ${AMOUNT_HINT}`);
  }
  if (s === '') return null;
  if (isCanonicalAmount(s)) return s; // "10.50": nothing to normalise
  const shown = s;
  if (s.startsWith('R$') || s.startsWith('r$')) s = s.slice(2).trim();
  if (s.startsWith('-')) throw inputError('amount', `Valor "${shown}" não pode ser negativo.`);
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  let intPart: string | null;
  let frac = '';
  if (comma >= 0 && dot >= 0) {
    const dec = comma > dot ? ',' : '.';
    const thousands = dec === ',' ? '.' : ',';
    const at = Math.max(comma, dot);
    intPart = ungroup(s.slice(0, at), thousands);
    frac = s.slice(at + 1);
  } else if (comma >= 0 || dot >= 0) {
    const sep = comma >= 0 ? ',' : '.';
    const first = s.indexOf(sep);
    const at = comma >= 0 ? comma : dot;
    if (first !== at) {
      // several separators of one kind: thousands groups only ("1.234.567")
      intPart = ungroup(s, sep);
    } else {
      intPart = s.slice(0, at);
      frac = s.slice(at + 1);
      if (intPart === '' && frac !== '') intPart = '0';
      if (frac.length === 3 && isDigits(frac) && isDigits(intPart) && intPart.length <= 3 && intPart.charCodeAt(0) !== 48) {
        throw inputError(
          'amount',
          `Valor "${shown}" é ambíguo: "${sep}" com 3 dígitos depois. Escreva com 2 casas decimais (ex.: 1234,00).`,
        );
      }
    }
  } else {
    intPart = s;
  }
  if (intPart === null || !isDigits(intPart) || (frac !== '' && !isDigits(frac))) {
    throw inputError('amount', `Valor "${shown}" inválido. ${AMOUNT_HINT}`);
  }
  if (frac.length > 2) throw inputError('amount', `Valor "${shown}" tem mais de 2 casas decimais.`);
  let i = 0;
  while (i < intPart.length - 1 && intPart.charCodeAt(i) === 48) i++;
  const out = `${intPart.slice(i)}.${frac.padEnd(2, '0')}`;
  if (/^0\.00$/.test(out)) {
    throw inputError('amount', 'Valor deve ser maior que zero. Para valor livre (definido por quem paga), deixe em branco.');
  }
  if (out.length > LIMITS.amount) {
    throw inputError('amount', `Valor "${shown}" é alto demais: o campo aceita no máximo ${LIMITS.amount} caracteres (até 9999999999.99).`);
  }
  return out;
}

/** Static txid: [A-Za-z0-9]{1,25}, or "***" (no identifier) when null, blank or "***". */
export function normaliseTxid(input: string | null | undefined): string {
  if (input === null || input === undefined) return '***';
  if (typeof input !== 'string') throw inputError('txid', 'Identificador (txid) inválido.');
  const s = input.trim();
  if (s === '' || s === '***') return '***';
  if (s.length > LIMITS.txid) {
    throw inputError('txid', `Identificador (txid) tem ${s.length} caracteres; no QR estático o máximo é ${LIMITS.txid}.`);
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!ok) {
      throw inputError('txid', `Identificador (txid) "${s}" só pode ter letras sem acento e números (A-Z, a-z, 0-9), sem espaços nem símbolos.`);
    }
  }
  return s;
}

/** CEP: 8 digits ("70074-900" accepted); null when blank. */
export function normalisePostalCode(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  if (typeof input !== 'string') throw inputError('postalCode', 'CEP inválido.');
  const s = input.trim();
  if (s === '') return null;
  const digits = s.replace(/[\s.-]/g, '');
  if (digits.length !== 8 || !isDigits(digits)) {
    throw inputError('postalCode', `CEP "${s}" inválido: deve ter 8 dígitos (ex.: 70074-900).`);
  }
  return digits;
}

/** Longest location that fits the template: 99 − "0014br.gov.bcb.pix" (18) − "25LL" (4). */
export const MAX_URL = LIMITS.template - 18 - 4;

/** Dynamic location: "https://" removed (it is implied), printable ASCII, no spaces, host with a dot. */
export function normaliseUrl(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw inputError('url', 'URL da cobrança (location) é obrigatória no QR dinâmico.');
  }
  let s = input.trim();
  if (/^https:\/\//i.test(s)) s = s.slice(8);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(s) && s.includes('://')) {
    throw inputError('url', `URL da cobrança "${input.trim()}" deve ser https (e é escrita sem "https://").`);
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c > 0x7e) throw inputError('url', 'URL da cobrança tem espaços ou caracteres fora do ASCII.');
  }
  const slash = s.indexOf('/');
  const host = slash < 0 ? s : s.slice(0, slash);
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d{1,5})?$/.test(host)) {
    throw inputError('url', `URL da cobrança "${input.trim()}" não tem um endereço válido (ex.: pix.banco.com.br/qr/v2/…).`);
  }
  if (s.length > MAX_URL) {
    throw inputError('url', `URL da cobrança tem ${s.length} caracteres sem "https://"; o máximo é ${MAX_URL}.`);
  }
  return s;
}

/** Name (59): printable ASCII, 1–25 characters after truncation and trimming. */
export function normaliseName(input: string): string {
  const s = typeof input === 'string' ? normaliseText(input, LIMITS.name) : '';
  if (s === '') throw inputError('name', `Nome do recebedor é obrigatório (1 a ${LIMITS.name} caracteres; acentos são removidos).`);
  return s;
}

/** City (60): printable ASCII, 1–15 characters after truncation and trimming. */
export function normaliseCity(input: string): string {
  const s = typeof input === 'string' ? normaliseText(input, LIMITS.city) : '';
  if (s === '') throw inputError('city', `Cidade do recebedor é obrigatória (1 a ${LIMITS.city} caracteres; acentos são removidos).`);
  return s;
}

/** Description (26-02): printable ASCII, ≤ 72 after truncation and trimming; null when blank. */
export function normaliseDescription(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  if (typeof input !== 'string') throw inputError('description', 'Descrição inválida.');
  const s = normaliseText(input, LIMITS.description);
  return s === '' ? null : s;
}
