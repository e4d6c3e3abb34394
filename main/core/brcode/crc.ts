/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) over the UTF-8 bytes of a
 * string, table driven.
 *
 * Hot path: valid BR Codes are ASCII, so two characters are folded per step with a 65 536-entry table
 * (T16[x] = the register after shifting the 16 bits of x through it from zero, so that
 * crc' = T16[crc ^ (b0 << 8 | b1)]); this halves the serial dependency chain of the byte-wise loop. Other
 * code points are UTF-8 encoded on the fly, byte by byte. No allocation either way.
 */
const T8 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
  T8[i] = c & 0xffff;
}
const T16 = new Uint16Array(65536);
for (let hi = 0; hi < 256; hi++) {
  const r = T8[hi] as number;
  for (let lo = 0; lo < 256; lo++) T16[(hi << 8) | lo] = ((r << 8) ^ (T8[((r >>> 8) ^ lo) & 0xff] as number)) & 0xffff;
}

/** "00".."FF", so formatting needs two lookups and one concatenation. */
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).toUpperCase().padStart(2, '0'));

function step(crc: number, byte: number): number {
  return ((crc << 8) ^ (T8[((crc >>> 8) ^ byte) & 0xff] as number)) & 0xffff;
}

/** Fold the code point at s[i] (maybe a surrogate pair) in; returns the register | (UTF-16 units used << 16). */
function stepCodePoint(crc: number, s: string, i: number, end: number): number {
  let c = s.charCodeAt(i);
  let used = 1;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const lo = s.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
      used = 2;
    }
  }
  if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate: what TextEncoder writes
  if (c < 0x80) {
    crc = step(crc, c);
  } else if (c < 0x800) {
    crc = step(crc, 0xc0 | (c >> 6));
    crc = step(crc, 0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    crc = step(crc, 0xe0 | (c >> 12));
    crc = step(crc, 0x80 | ((c >> 6) & 0x3f));
    crc = step(crc, 0x80 | (c & 0x3f));
  } else {
    crc = step(crc, 0xf0 | (c >> 18));
    crc = step(crc, 0x80 | ((c >> 12) & 0x3f));
    crc = step(crc, 0x80 | ((c >> 6) & 0x3f));
    crc = step(crc, 0x80 | (c & 0x3f));
  }
  return crc | (used << 16);
}

/** Continue a CRC register over s[start, end) (UTF-16 indices, UTF-8 bytes). */
export function crcUpdate(crc: number, s: string, start = 0, end = s.length): number {
  let i = start;
  while (i < end) {
    const a = s.charCodeAt(i);
    if (i + 1 < end) {
      const b = s.charCodeAt(i + 1);
      if ((a | b) < 0x80) {
        crc = T16[crc ^ ((a << 8) | b)] as number;
        i += 2;
        continue;
      }
    }
    if (a < 0x80) {
      crc = step(crc, a);
      i++;
      continue;
    }
    const r = stepCodePoint(crc, s, i, end);
    crc = r & 0xffff;
    i += r >>> 16;
  }
  return crc;
}

/** 16-bit code of the two ASCII digits of 0..99 ("07" → 0x3037). */
const DIGIT_PAIRS = new Uint16Array(100);
for (let n = 0; n < 100; n++) DIGIT_PAIRS[n] = ((48 + Math.floor(n / 10)) << 8) | (48 + (n % 10));

/** Continue a CRC register over the two digits of `n` (0..99): one table lookup. */
export function crcTwoDigits(crc: number, n: number): number {
  return T16[crc ^ (DIGIT_PAIRS[n] as number)] as number;
}

/** Initial register value. */
export const CRC_INIT = 0xffff;

/** Raw CRC value of `s` from index 0 (inclusive) to `end` (exclusive, UTF-16 index). */
export function crc16Value(s: string, end: number = s.length): number {
  return crcUpdate(CRC_INIT, s, 0, end);
}

/** 4 uppercase hex digits, zero padded. */
export function crcHex(value: number): string {
  return (HEX2[(value >>> 8) & 0xff] as string) + (HEX2[value & 0xff] as string);
}

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `s`: 4 uppercase hex digits, zero padded ("123456789" → "29B1"). */
export function crc16(s: string): string {
  return crcHex(crc16Value(s));
}
