/**
 * BR Code writers. Every value goes through its normaliser (fields.ts, pix-key.ts) before a single byte is
 * written, so a bad input throws a BrCodeError naming the field and never yields a wrong payload.
 *
 * Layout (ids ascending, as the manual lists them):
 *   00 "01" | 01 "12" (single use only) | 26 { 00 GUI, 01 key | 25 url, 02 description } | 52 "0000" |
 *   53 "986" | 54 amount (static, when set) | 58 "BR" | 59 name | 60 city | 61 CEP | 62 { 05 txid } | 63 CRC
 */
import { CRC_INIT, crcHex, crcTwoDigits, crcUpdate } from './crc';
import { inputError } from './errors';
import {
  normaliseAmount,
  normaliseCity,
  normaliseDescription,
  normaliseName,
  normalisePostalCode,
  normaliseTxid,
  normaliseUrl,
} from './fields';
import { parsePixKey } from './pix-key';
import { TWO_DIGITS } from './tlv';
import { LIMITS, PIX_GUI, type DynamicInput, type StaticInput } from './types';

/**
 * Appends pieces to the payload and folds each into the CRC as it goes, so the finished payload is never
 * scanned a second time (and never has to be flattened from the rope string concatenation builds).
 */
class Writer {
  out = '';
  crc = CRC_INIT;

  raw(piece: string): void {
    this.out += piece;
    this.crc = crcUpdate(this.crc, piece);
  }

  /** Template header only: id + 2-digit length of the subfields that follow (ids and lengths 0..99). */
  open(id: number, length: number): void {
    this.out += (TWO_DIGITS[id] as string) + (TWO_DIGITS[length] as string);
    this.crc = crcTwoDigits(crcTwoDigits(this.crc, id), length);
  }

  /** id + 2-digit length + value; 0 < length ≤ 99 is guaranteed by the normalisers. */
  field(id: number, value: string): void {
    this.open(id, value.length);
    this.raw(value);
  }
}

const GUI_FIELD = '0014' + PIX_GUI;
const HEAD = '000201';
const SINGLE_USE = '010212';
const MCC_CURRENCY = '52040000' + '5303986';
const COUNTRY = '5802BR';
const CRC_TAG = '6304';

function requireObject(i: unknown): void {
  if (typeof i !== 'object' || i === null) throw inputError('input', 'Dados do BR Code não informados.');
}

/** The common tail: 58, 59, 60, 61, 62 and the CRC. */
function finish(w: Writer, name: string, city: string, postalCode: string | null, txid: string): string {
  w.raw(COUNTRY);
  w.field(59, name);
  w.field(60, city);
  if (postalCode !== null) w.field(61, postalCode);
  w.open(62, 4 + txid.length);
  w.field(5, txid);
  w.raw(CRC_TAG);
  if (w.out.length + 4 > LIMITS.payload) {
    throw inputError('payload', `O BR Code ficaria com ${w.out.length + 4} caracteres; o máximo é ${LIMITS.payload}.`);
  }
  return w.out + crcHex(w.crc);
}

/** Static Pix BR Code (key in the payload), with CRC. */
export function encodeStatic(i: StaticInput): string {
  requireObject(i);
  const key = parsePixKey(i.key).key;
  const name = normaliseName(i.name);
  const city = normaliseCity(i.city);
  const amount = normaliseAmount(i.amount);
  const txid = normaliseTxid(i.txid);
  const postalCode = normalisePostalCode(i.postalCode);
  const description = normaliseDescription(i.description);

  let account = GUI_FIELD.length + 4 + key.length;
  if (description !== null) {
    const room = LIMITS.template - account - 4;
    if (description.length > room) {
      throw inputError(
        'description',
        room > 0
          ? `Descrição tem ${description.length} caracteres, mas com esta chave Pix cabem no máximo ${room} (o bloco da conta Pix tem ${LIMITS.template}).`
          : 'Descrição não cabe no QR com esta chave Pix (o bloco da conta Pix tem 99 caracteres): deixe-a em branco.',
      );
    }
    account += 4 + description.length;
  }

  const w = new Writer();
  w.raw(i.singleUse === true ? HEAD + SINGLE_USE : HEAD);
  w.open(26, account);
  w.raw(GUI_FIELD);
  w.field(1, key);
  if (description !== null) w.field(2, description);
  w.raw(MCC_CURRENCY);
  if (amount !== null) w.field(54, amount);
  return finish(w, name, city, postalCode, txid);
}

/** Dynamic Pix BR Code: location URL (no "https://"), txid "***", amount carried by the URL's payload. */
export function encodeDynamic(i: DynamicInput): string {
  requireObject(i);
  const url = normaliseUrl(i.url);
  const name = normaliseName(i.name);
  const city = normaliseCity(i.city);
  const postalCode = normalisePostalCode(i.postalCode);

  const w = new Writer();
  w.raw(i.singleUse === true ? HEAD + SINGLE_USE : HEAD);
  w.open(26, GUI_FIELD.length + 4 + url.length);
  w.raw(GUI_FIELD);
  w.field(25, url);
  w.raw(MCC_CURRENCY);
  return finish(w, name, city, postalCode, '***');
}
