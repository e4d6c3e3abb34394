import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One entry of tests/fixtures/brcode/brcode-public.json (sources in that folder's README.md). */
export interface Vector {
  source: string;
  kind: string;
  input: Record<string, unknown>;
  expected: string;
  crc_ok: boolean;
  tlv_ok: boolean;
  strict_pix_issues: string[];
}

/** Resolved from this file, so the suite runs from any checkout and any working directory. */
const VECTORS_FILE = path.join(__dirname, '..', '..', 'fixtures', 'brcode', 'brcode-public.json');

/** The public BR Code vectors committed under tests/fixtures/brcode. */
export function loadVectors(): Vector[] {
  return JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as Vector[];
}

/** Bitwise reference CRC-16/CCITT-FALSE over bytes (no table), independent of the implementation. */
export function referenceCrc(bytes: Uint8Array): string {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Recompute a payload's CRC (everything up to and including "6304"). */
export function withCrc(withoutCrcValue: string): string {
  return withoutCrcValue + referenceCrc(Buffer.from(withoutCrcValue, 'utf8'));
}

/** Build a TLV field (test-side writer, independent of the implementation). */
export function f(id: string, value: string): string {
  if (value.length > 99) throw new Error(`test bug: ${id} too long`);
  return id + String(value.length).padStart(2, '0') + value;
}

/** A valid CPF from 9 base digits (test-side check digit computation). */
export function cpfFrom(base9: string): string {
  const d = base9.split('').map(Number);
  const dv = (ds: number[]) => {
    const s = ds.reduce((acc, x, i) => acc + x * (ds.length + 1 - i), 0);
    const r = (s * 10) % 11;
    return r === 10 ? 0 : r;
  };
  const d1 = dv(d);
  const d2 = dv([...d, d1]);
  return base9 + d1 + d2;
}

/** A valid CNPJ (numeric or alphanumeric) from 12 base characters: value = ASCII − 48. */
export function cnpjFrom(base12: string): string {
  const vals = base12.split('').map((c) => c.charCodeAt(0) - 48);
  const dv = (vs: number[]) => {
    const weights = vs.length === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const r = vs.reduce((acc, v, i) => acc + v * (weights[i] as number), 0) % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = dv(vals);
  const d2 = dv([...vals, d1]);
  return base12 + d1 + d2;
}
