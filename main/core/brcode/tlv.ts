/**
 * EMV MPM TLV: a 2-digit id, a 2-digit length counting characters (UTF-16 code units; valid payloads are
 * ASCII, where every way of counting agrees) and the value. Templates nest the same encoding inside their value.
 *
 * The scanner walks char codes and never throws: broken input yields null, so callers decide what "broken"
 * means. Ids and lengths come from lookup tables to keep allocation to the field objects and value slices.
 * {@link scanTlvCounting} reads the same structure when a generator counted lengths another way (code points
 * or UTF-8 bytes); it is slower and only used on non-ASCII payloads the character scan cannot read.
 */
import type { TlvField } from './types';

/** "00".."99". */
export const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

/** Ids whose value is itself TLV: merchant account templates 26–51, additional data 62, language 64, 80–99. */
const TEMPLATE = new Uint8Array(100);
for (let i = 26; i <= 51; i++) TEMPLATE[i] = 1;
TEMPLATE[62] = 1;
TEMPLATE[64] = 1;
for (let i = 80; i <= 99; i++) TEMPLATE[i] = 1;

export function isTemplateId(id: number): boolean {
  return TEMPLATE[id] === 1;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * Scan `s[start, end)` as a flat TLV sequence. Returns null when an id or length is not two digits or a
 * value runs past `end`. With `nested`, template values (see isTemplateId) get `children` when they scan
 * cleanly as TLV themselves (one level: the BR Code has no deeper nesting).
 */
export function scanTlv(s: string, start = 0, end = s.length, nested = false): TlvField[] | null {
  const out: TlvField[] = [];
  let i = start;
  while (i < end) {
    if (i + 4 > end) return null;
    const a = digit(s, i);
    const b = digit(s, i + 1);
    const c = digit(s, i + 2);
    const d = digit(s, i + 3);
    if (a < 0 || b < 0 || c < 0 || d < 0) return null;
    const length = c * 10 + d;
    const vStart = i + 4;
    const vEnd = vStart + length;
    if (vEnd > end) return null;
    const idNum = a * 10 + b;
    const field: TlvField = { id: TWO_DIGITS[idNum] as string, length, value: s.slice(vStart, vEnd) };
    if (nested && length > 0 && TEMPLATE[idNum] === 1) {
      const children = scanTlv(s, vStart, vEnd, false);
      if (children) field.children = children;
    }
    out.push(field);
    i = vEnd;
  }
  return out;
}

/** Other ways generators count a length: Unicode code points (Python's `len`) or UTF-8 bytes (C, Go, PHP). */
export type LengthUnit = 'codepoint' | 'utf8';

/** A payload cut into counting units; `text` is null when a range would split a character. */
interface Units {
  readonly length: number;
  code(i: number): number;
  text(a: number, b: number): string | null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function unitsOf(s: string, unit: LengthUnit): Units {
  if (unit === 'codepoint') {
    const cps = Array.from(s);
    return { length: cps.length, code: (i) => (cps[i] as string).charCodeAt(0), text: (a, b) => cps.slice(a, b).join('') };
  }
  const bytes = Buffer.from(s, 'utf8');
  return {
    length: bytes.length,
    code: (i) => bytes[i] as number,
    text: (a, b) => {
      try {
        return strictUtf8.decode(bytes.subarray(a, b));
      } catch {
        return null; // the length ends inside a multi-byte character: not this way of counting
      }
    },
  };
}

function unitDigit(u: Units, i: number): number {
  const c = u.code(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function scanUnits(u: Units, start: number, end: number, nested: boolean): TlvField[] | null {
  const out: TlvField[] = [];
  let i = start;
  while (i < end) {
    if (i + 4 > end) return null;
    const a = unitDigit(u, i);
    const b = unitDigit(u, i + 1);
    const c = unitDigit(u, i + 2);
    const d = unitDigit(u, i + 3);
    if (a < 0 || b < 0 || c < 0 || d < 0) return null;
    const length = c * 10 + d;
    const vStart = i + 4;
    const vEnd = vStart + length;
    if (vEnd > end) return null;
    const value = u.text(vStart, vEnd);
    if (value === null) return null;
    const idNum = a * 10 + b;
    const field: TlvField = { id: TWO_DIGITS[idNum] as string, length, value };
    if (nested && length > 0 && TEMPLATE[idNum] === 1) {
      const children = scanUnits(u, vStart, vEnd, false);
      if (children) field.children = children;
    }
    out.push(field);
    i = vEnd;
  }
  return out;
}

/**
 * {@link scanTlv} with lengths counted in `unit` instead of UTF-16 code units, templates included (a generator
 * counts one way throughout). A value that would end inside a character makes the whole scan fail (null).
 */
export function scanTlvCounting(s: string, unit: LengthUnit, nested = false): TlvField[] | null {
  const u = unitsOf(s, unit);
  return scanUnits(u, 0, u.length, nested);
}

/** First field with `id`, or undefined. */
export function findField(fields: readonly TlvField[] | undefined, id: string): TlvField | undefined {
  if (!fields) return undefined;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as TlvField;
    if (f.id === id) return f;
  }
  return undefined;
}

/** Number of fields with `id`. */
export function countField(fields: readonly TlvField[], id: string): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) if ((fields[i] as TlvField).id === id) n++;
  return n;
}

/** One TLV data object. The caller guarantees 0 < value.length ≤ 99 (the encoder checks lengths first). */
export function tlv(id: string, value: string): string {
  return id + (TWO_DIGITS[value.length] as string) + value;
}
