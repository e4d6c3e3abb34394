/**
 * BR Code reader. It refuses (BrCodeError, code BRCODE_UNREADABLE) only what cannot be read: broken TLV,
 * missing or wrong CRC, no Pix merchant account template (GUI br.gov.bcb.pix, any case, in 26–51), a broken
 * Pix template or additional-data template (62). Everything else is read as written and each spec violation
 * is reported in `problems` (see validate.ts). Unknown fields are kept in `fields`. Lengths counted in bytes
 * or code points by other generators are read too, and reported (see length-counting.ts).
 */
import { crc16Value, crcHex } from './crc';
import { unreadable } from './errors';
import { countingProblem, readTlv } from './length-counting';
import { findField } from './tlv';
import { PIX_GUI, type BrCodeView, type Decoded, type TlvField } from './types';
import { collectProblems } from './validate';

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0xfeff;
}

/** Trim whitespace people paste around a "Pix Copia e Cola" (newlines, NBSP, BOM). */
function trimPasted(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Merchant account templates 26–51. */
export function isAccountTemplateId(id: string): boolean {
  const n = (id.charCodeAt(0) - 48) * 10 + (id.charCodeAt(1) - 48);
  return n >= 26 && n <= 51;
}

/** True when `value` equals the Pix GUI ignoring case. */
export function isPixGui(value: string): boolean {
  return value.length === PIX_GUI.length && (value === PIX_GUI || value.toLowerCase() === PIX_GUI);
}

/** The Pix merchant account template(s): account templates whose 00 subfield is the Pix GUI. */
export function pixTemplates(fields: readonly TlvField[]): TlvField[] {
  const out: TlvField[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as TlvField;
    if (!isAccountTemplateId(f.id) || !f.children) continue;
    const gui = findField(f.children, '00');
    if (gui && isPixGui(gui.value)) out.push(f);
  }
  return out;
}

/** Read a BR Code. Throws BrCodeError only when it is unreadable; otherwise lists problems. */
export function decode(payload: string): Decoded {
  if (typeof payload !== 'string') throw unreadable('BR Code não informado.');
  const s = trimPasted(payload);
  if (s.length === 0) throw unreadable('BR Code vazio.');

  const reading = readTlv(s, pixTemplates);
  if (!reading) {
    throw unreadable(
      'BR Code ilegível: a sequência de campos (id de 2 dígitos, tamanho de 2 dígitos, valor) está quebrada. Confira se o código foi copiado inteiro.',
    );
  }
  const fields = reading.fields;
  const last = fields[fields.length - 1] as TlvField;
  if (last.id !== '63' || last.length !== 4) {
    throw unreadable('BR Code ilegível: falta o CRC (campo 63 com 4 caracteres) no final. Confira se o código foi copiado inteiro.');
  }
  // Over the payload as received (UTF-8 bytes), whichever way its lengths were counted.
  const computed = crcHex(crc16Value(s, s.length - 4));
  if (last.value !== computed && last.value.toUpperCase() !== computed) {
    throw unreadable(
      `BR Code ilegível: o CRC (campo 63) não confere — o código traz ${last.value}, o calculado é ${computed}. O código foi alterado ou copiado com erro.`,
      { crc: last.value, expected: computed },
    );
  }

  const templates = reading.templates;
  const pix = templates[0];
  if (!pix) {
    for (const f of fields) {
      if (isAccountTemplateId(f.id) && !f.children && f.value.slice(4, 18).toLowerCase() === PIX_GUI) {
        throw unreadable(`BR Code ilegível: o bloco da conta Pix (campo ${f.id}) está malformado.`);
      }
    }
    throw unreadable('Não é um BR Code Pix: não há o bloco da conta Pix (GUI br.gov.bcb.pix) nos campos 26 a 51.');
  }
  const additional = findField(fields, '62');
  if (additional && additional.length > 0 && !additional.children) {
    throw unreadable('BR Code ilegível: o campo 62 (dados adicionais, onde fica o txid) está malformado.');
  }

  const pixKey = findField(pix.children, '01')?.value ?? null;
  const url = findField(pix.children, '25')?.value ?? null;
  const decoded: Decoded = {
    pixKey,
    url,
    merchantName: findField(fields, '59')?.value ?? '',
    merchantCity: findField(fields, '60')?.value ?? '',
    postalCode: findField(fields, '61')?.value ?? null,
    amount: findField(fields, '54')?.value ?? null,
    txid: findField(additional?.children, '05')?.value ?? null,
    description: findField(pix.children, '02')?.value ?? null,
    singleUse: findField(fields, '01')?.value === '12',
    crc: last.value,
    mcc: findField(fields, '52')?.value ?? '',
    currency: findField(fields, '53')?.value ?? '',
    countryCode: findField(fields, '58')?.value ?? '',
    fields,
    problems: [],
  };
  decoded.problems = collectProblems(s, fields, templates, decoded);
  const counted = countingProblem(reading);
  if (counted) decoded.problems.unshift(counted);
  return decoded;
}

/** Project a decoded payload onto {@link BrCodeView} (CLI JSON and the contract share it). */
export function decodeView(d: Decoded): BrCodeView {
  return {
    pixKey: d.pixKey,
    url: d.url,
    merchantName: d.merchantName,
    merchantCity: d.merchantCity,
    postalCode: d.postalCode,
    amount: d.amount,
    txid: d.txid,
    description: d.description,
    singleUse: d.singleUse,
    crc: d.crc,
    problems: d.problems,
  };
}
