/**
 * Pix keys (chaves Pix): detection from what a person types, normalisation to the DICT directory format and
 * validation.
 *
 *   CPF    11 digits with valid check digits ("123.456.789-09" accepted)
 *   CNPJ   14 characters: 12 alphanumeric [0-9A-Z] + 2 numeric check digits (alphanumeric CNPJ, from July
 *          2026; a character's value is its ASCII code − 48, so digits keep their value) — "12.ABC.345/01DE-35"
 *   phone  E.164 "+55" + DDD + 8 or 9 digits ("(11) 91234-5678", "11 91234-5678", "+55 11 91234-5678")
 *   email  lower-case, ≤ 77 characters
 *   EVP    random key: lower-case UUID with hyphens (32 hex digits without hyphens accepted)
 *
 * Bare 11 digits are ambiguous (CPF or mobile with DDD): a valid CPF wins, else a plausible mobile. A mask
 * decides when present ("123.456.789-09" is a CPF, "(11) 91234-5678" a phone).
 */
import { BrCodeError } from './errors';
import { LIMITS, type PixKey, type PixKeyType } from './types';

const CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function allSame(s: string): boolean {
  for (let i = 1; i < s.length; i++) if (s.charCodeAt(i) !== s.charCodeAt(0)) return false;
  return true;
}

/** CPF: 11 digits, both check digits right, not a repeated digit. */
export function isValidCpf(cpf: string): boolean {
  if (cpf.length !== 11 || !allDigits(cpf) || allSame(cpf)) return false;
  for (let t = 9; t < 11; t++) {
    let sum = 0;
    for (let i = 0; i < t; i++) sum += (cpf.charCodeAt(i) - 48) * (t + 1 - i);
    const dv = ((sum * 10) % 11) % 10;
    if (dv !== cpf.charCodeAt(t) - 48) return false;
  }
  return true;
}

/** Check digits of the 12-character CNPJ base (digits or upper-case letters; value = ASCII − 48). */
export function cnpjCheckDigits(base12: string): string {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < 12; i++) {
    const v = base12.charCodeAt(i) - 48;
    s1 += v * (CNPJ_W1[i] as number);
    s2 += v * (CNPJ_W2[i] as number);
  }
  const r1 = s1 % 11;
  const d1 = r1 < 2 ? 0 : 11 - r1;
  s2 += d1 * (CNPJ_W2[12] as number);
  const r2 = s2 % 11;
  const d2 = r2 < 2 ? 0 : 11 - r2;
  return `${d1}${d2}`;
}

/** CNPJ, numeric or alphanumeric: [0-9A-Z]{12} + 2 check digits, not a repeated digit. */
export function isValidCnpj(cnpj: string): boolean {
  if (cnpj.length !== 14) return false;
  for (let i = 0; i < 12; i++) {
    const c = cnpj.charCodeAt(i);
    if (!isDigit(c) && !(c >= 65 && c <= 90)) return false;
  }
  if (!isDigit(cnpj.charCodeAt(12)) || !isDigit(cnpj.charCodeAt(13))) return false;
  if (allSame(cnpj)) return false;
  return cnpjCheckDigits(cnpj.slice(0, 12)) === cnpj.slice(12);
}

/** +55, DDD (two digits 1–9), then 8 digits (landline) or 9 digits starting with 9 (mobile). */
export function isValidPhone(phone: string): boolean {
  if (!phone.startsWith('+55')) return false;
  const n = phone.slice(3);
  if (!allDigits(n) || (n.length !== 10 && n.length !== 11)) return false;
  if (n.charCodeAt(0) === 48 || n.charCodeAt(1) === 48) return false;
  if (n.length === 11 && n.charCodeAt(2) !== 57) return false;
  return true;
}

const EMAIL = /^[a-z0-9.!#$&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** DICT e-mail: lower-case, ≤ 77 characters, a domain with at least one dot. */
export function isValidEmail(email: string): boolean {
  return email.length <= LIMITS.email && EMAIL.test(email);
}

const EVP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Random key: lower-case UUID with hyphens. */
export function isValidEvp(evp: string): boolean {
  return evp.length === 36 && EVP.test(evp);
}

/** The type of `key` when it is already in directory format (what a payload must carry), else null. */
export function directoryKeyType(key: string): PixKeyType | null {
  const n = key.length;
  if (n === 11 && isValidCpf(key)) return 'cpf';
  if (n === 14 && isValidCnpj(key)) return 'cnpj';
  if (n === 36 && isValidEvp(key)) return 'evp';
  if (key.charCodeAt(0) === 43 /* + */) return isValidPhone(key) ? 'phone' : null;
  if (key.includes('@')) return isValidEmail(key) ? 'email' : null;
  return null;
}

function fail(message: string, type?: PixKeyType): never {
  throw new BrCodeError('PIX_KEY_INVALID', message, type ? { field: 'key', type } : { field: 'key' });
}

function parseEmail(raw: string): PixKey {
  const key = raw.toLowerCase();
  if (key.length > LIMITS.email) fail(`Chave Pix (e-mail) tem ${key.length} caracteres; o máximo é ${LIMITS.email}.`, 'email');
  if (!EMAIL.test(key)) fail(`Chave Pix (e-mail) inválida: "${raw}". Confira o endereço (ex.: nome@empresa.com.br).`, 'email');
  return { type: 'email', key };
}

function parsePhone(digits: string, raw: string, hadPlus: boolean): PixKey {
  let national = digits;
  if (hadPlus) {
    if (!digits.startsWith('55')) fail(`Chave Pix (celular) "${raw}": só números do Brasil (+55) são chaves Pix.`, 'phone');
    national = digits.slice(2);
  } else if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) {
    national = digits.slice(2);
  } else if (digits.length === 12 && digits.startsWith('0')) {
    national = digits.slice(1); // 0 + DDD + number, the trunk prefix
  }
  const key = '+55' + national;
  if (!isValidPhone(key)) {
    fail(`Chave Pix (celular) inválida: "${raw}". Use DDD + número, ex.: (11) 91234-5678.`, 'phone');
  }
  return { type: 'phone', key };
}

function parseCnpj(compact: string, raw: string): PixKey {
  const key = compact.toUpperCase();
  if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(key)) {
    fail(`Chave Pix (CNPJ) inválida: "${raw}". O CNPJ tem 12 letras ou números e 2 dígitos verificadores.`, 'cnpj');
  }
  if (!isValidCnpj(key)) fail(`Chave Pix (CNPJ) "${raw}": dígitos verificadores não conferem.`, 'cnpj');
  return { type: 'cnpj', key };
}

function parseCpf(digits: string, raw: string): PixKey {
  if (!isValidCpf(digits)) fail(`Chave Pix (CPF) "${raw}": dígitos verificadores não conferem.`, 'cpf');
  return { type: 'cpf', key: digits };
}

/**
 * Detect the type of a Pix key typed by a person and return it in directory format.
 * Throws BrCodeError (code PIX_KEY_INVALID) with a pt-BR message when it is not a valid key.
 */
export function parsePixKey(input: string): PixKey {
  if (typeof input !== 'string') fail('Chave Pix não informada.');
  const raw = input.trim();
  if (raw === '') fail('Chave Pix não informada.');
  const direct = directoryKeyType(raw); // already in directory format: the common case (saved keys)
  if (direct !== null) return { type: direct, key: raw };

  if (raw.includes('@')) return parseEmail(raw);

  const lower = raw.toLowerCase();
  if (isValidEvp(lower)) return { type: 'evp', key: lower };
  if (/^[0-9a-f]{32}$/.test(lower)) {
    const k = `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
    return { type: 'evp', key: k };
  }

  // Masks: only digits, letters (CNPJ) and . - / ( ) + spaces are accepted around a document or phone.
  if (!/^[0-9A-Za-z.\-/()+\s]+$/.test(raw)) {
    fail(`Chave Pix "${raw}" não é CPF, CNPJ, celular, e-mail nem chave aleatória.`);
  }
  const compact = raw.replace(/[.\-/()\s]/g, '');
  const hadPlus = compact.startsWith('+');
  const body = hadPlus ? compact.slice(1) : compact;
  if (body.includes('+')) fail(`Chave Pix "${raw}" não é CPF, CNPJ, celular, e-mail nem chave aleatória.`);

  const looksPhone = hadPlus || raw.includes('(');
  if (!allDigits(body)) {
    // Letters: only an alphanumeric CNPJ can have them.
    if (!looksPhone && body.length === 14) return parseCnpj(body, raw);
    if (/^[0-9a-f-]{30,40}$/i.test(raw)) fail(`Chave aleatória (EVP) inválida: "${raw}". Use o formato 123e4567-e89b-12d3-a456-426614174000.`, 'evp');
    fail(`Chave Pix "${raw}" não é CPF, CNPJ, celular, e-mail nem chave aleatória.`);
  }
  if (looksPhone) return parsePhone(body, raw, hadPlus);

  const cpfMask = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(raw);
  const cnpjMask = raw.includes('/');
  if (cpfMask) return parseCpf(body, raw);
  if (cnpjMask || body.length === 14) return parseCnpj(body, raw);
  if (body.length === 11) {
    if (isValidCpf(body)) return { type: 'cpf', key: body };
    // Not a CPF: a mobile with DDD ("11912345678") or a CPF typo.
    if (body.charCodeAt(2) === 57 && isValidPhone('+55' + body)) return { type: 'phone', key: '+55' + body };
    fail(`Chave Pix (CPF) "${raw}": dígitos verificadores não conferem.`, 'cpf');
  }
  if (body.length === 10 || body.length === 12 || body.length === 13) return parsePhone(body, raw, false);
  fail(`Chave Pix "${raw}" não é CPF (11 dígitos), CNPJ (14), celular, e-mail nem chave aleatória.`);
}
