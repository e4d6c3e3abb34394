/**
 * Optimal QR data segmentation (numeric / alphanumeric / byte) by dynamic programming over the characters,
 * after Project Nayuki's QR Code generator (MIT): costs in sixths of a bit (numeric 10/3 bits per digit,
 * alphanumeric 11/2 per character, byte 8 per UTF-8 byte), plus a segment header (4-bit mode + character
 * count, whose width depends on the version class) at every switch.
 *
 * `qrcode` finds segments with regular expressions and a Dijkstra search over a graph it allocates per call,
 * which is most of the time of QRCode.create(); this linear pass gives a segmentation at least as short (it
 * considers every switch point), so the symbol is never larger, and then `qrcode` encodes those segments.
 */
import type { QRCodeSegment } from 'qrcode';

const NUM = 0;
const ALNUM = 1;
const BYTE = 2;

/** Character-count indicator widths [numeric, alphanumeric, byte] for versions 1–9, 10–26, 27–40. */
const CC_BITS = [
  [10, 9, 8],
  [12, 11, 16],
  [14, 13, 16],
] as const;

/** Version class (0, 1, 2) of a QR version. */
export function versionClass(version: number): 0 | 1 | 2 {
  return version <= 9 ? 0 : version <= 26 ? 1 : 2;
}

const ALNUM_SET = new Uint8Array(128);
for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:') ALNUM_SET[ch.charCodeAt(0)] = 1;

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

const MODE_NAMES = ['numeric', 'alphanumeric', 'byte'] as const;

/** Segments for `qrcode`'s create(), optimal for the given version class. */
export function segmentText(text: string, cls: 0 | 1 | 2): QRCodeSegment[] {
  // Code points, with their UTF-16 start offsets (so byte segments are sliced on code point boundaries).
  const n = text.length;
  const starts: number[] = [];
  const cps: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    starts.push(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    cps.push(c);
  }
  const m = cps.length;
  const cc = CC_BITS[cls];
  const head0 = (4 + cc[NUM]) * 6;
  const head1 = (4 + cc[ALNUM]) * 6;
  const head2 = (4 + cc[BYTE]) * 6;
  // from[i*3 + j]: mode char i is encoded in when the segment that follows it is in mode j (-1: impossible).
  const from = new Int8Array(m * 3);
  let p0 = head0;
  let p1 = head1;
  let p2 = head2;
  for (let i = 0; i < m; i++) {
    const c = cps[i] as number;
    let c2 = p2 + utf8Length(c) * 48;
    let c1 = c < 128 && ALNUM_SET[c] === 1 ? p1 + 33 : Infinity;
    let c0 = c >= 48 && c <= 57 ? p0 + 20 : Infinity;
    let f0 = c0 < Infinity ? NUM : -1;
    let f1 = c1 < Infinity ? ALNUM : -1;
    let f2 = BYTE;
    // Switching after this character: the current segment ends on a whole bit, a new header starts.
    const e0 = c0 < Infinity ? Math.ceil(c0 / 6) * 6 : Infinity;
    const e1 = c1 < Infinity ? Math.ceil(c1 / 6) * 6 : Infinity;
    const e2 = Math.ceil(c2 / 6) * 6;
    // to numeric
    if (e1 + head0 < c0) { c0 = e1 + head0; f0 = ALNUM; }
    if (e2 + head0 < c0) { c0 = e2 + head0; f0 = BYTE; }
    // to alphanumeric
    if (e0 + head1 < c1) { c1 = e0 + head1; f1 = NUM; }
    if (e2 + head1 < c1) { c1 = e2 + head1; f1 = BYTE; }
    // to byte
    if (e0 + head2 < c2) { c2 = e0 + head2; f2 = NUM; }
    if (e1 + head2 < c2) { c2 = e1 + head2; f2 = ALNUM; }
    from[i * 3] = f0;
    from[i * 3 + 1] = f1;
    from[i * 3 + 2] = f2;
    p0 = c0;
    p1 = c1;
    p2 = c2;
  }
  let mode = p0 <= p1 && p0 <= p2 ? NUM : p1 <= p2 ? ALNUM : BYTE;
  const modes = new Int8Array(m);
  for (let i = m - 1; i >= 0; i--) {
    mode = from[i * 3 + mode] as number;
    modes[i] = mode;
  }
  const segments: QRCodeSegment[] = [];
  let segStart = 0;
  for (let i = 1; i <= m; i++) {
    if (i === m || modes[i] !== modes[segStart]) {
      const end = i === m ? n : (starts[i] as number);
      segments.push({ data: text.slice(starts[segStart] as number, end), mode: MODE_NAMES[modes[segStart] as number] } as QRCodeSegment);
      segStart = i;
    }
  }
  return segments;
}
