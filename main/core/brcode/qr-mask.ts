/**
 * QR mask selection (ISO/IEC 18004 §7.8), bit-parallel.
 *
 * The symbol's lines (rows, and columns via a transposed copy) are packed 32 modules per word, so each mask
 * is applied with one XOR per word and the four penalty rules are evaluated with shifts, ANDs and popcounts
 * instead of per-module branches:
 *   N1  runs of ≥ 5 same-colour modules in a line: 3 + (length − 5) each. A run of length R contains R − 4
 *       "5 equal in a row" windows and one window start, so N1 = #windows + 2 · #starts.
 *   N2  2×2 blocks of one colour: 3 each.
 *   N3  1:1:3:1:1 finder-like pattern with 4 light modules before or after (11-module windows 10111010000
 *       or 00001011101, whole windows only): 40 each.
 *   N4  |ceil(dark% / 5) − 10| · 10.
 * The rules, the quirks and the tie-break (lowest mask wins) are those of the `qrcode` package's
 * mask-pattern.js, so the chosen mask is the one qrcode would choose; a unit test checks the penalty against a
 * direct per-module implementation and the resulting symbols against qrcode's.
 */

/** BCH-encoded format information for error correction M and masks 0–7 (ISO/IEC 18004 table C.1). */
export const FORMAT_M = [0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0];

export function maskAt(p: number, i: number, j: number): number {
  switch (p) {
    case 0: return (i + j) % 2 === 0 ? 1 : 0;
    case 1: return i % 2 === 0 ? 1 : 0;
    case 2: return j % 3 === 0 ? 1 : 0;
    case 3: return (i + j) % 3 === 0 ? 1 : 0;
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0 ? 1 : 0;
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0 ? 1 : 0;
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0 ? 1 : 0;
    default: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0 ? 1 : 0;
  }
}

/** The 15 format-bit positions, twice, as [row, col, bit] (qrcode's setupFormatInfo order). */
function formatPositions(size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < 15; i++) {
    if (i < 6) out.push([i, 8, i]);
    else if (i < 8) out.push([i + 1, 8, i]);
    else out.push([size - 15 + i, 8, i]);
    if (i < 8) out.push([8, size - i - 1, i]);
    else if (i < 9) out.push([8, 15 - i, i]);
    else out.push([8, 14 - i, i]);
  }
  return out;
}

/** Write format information for `mask` (and the dark module) into a module matrix. */
export function writeFormat(m: Uint8Array, size: number, mask: number): void {
  const bits = FORMAT_M[mask] as number;
  for (const [r, c, i] of formatPositions(size) as [number, number, number][]) m[r * size + c] = (bits >> i) & 1;
  m[(size - 8) * size + 8] = 1;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Bits set for window starts 0..size−k, per word of a line. */
function validStarts(size: number, words: number, k: number): Uint32Array {
  const v = new Uint32Array(words);
  for (let s = 0; s <= size - k; s++) v[s >>> 5] = (v[s >>> 5] as number) | (1 << (s & 31));
  return v;
}

/** Pack a module matrix into lines of 32-bit words: rows, or columns when `transpose`. */
function pack(m: Uint8Array, size: number, words: number, transpose: boolean, out: Uint32Array): void {
  out.fill(0);
  for (let r = 0, k = 0; r < size; r++) {
    for (let c = 0; c < size; c++, k++) {
      if (m[k] === 0) continue;
      const line = transpose ? c : r;
      const pos = transpose ? r : c;
      const idx = line * words + (pos >>> 5);
      out[idx] = (out[idx] as number) | (1 << (pos & 31));
    }
  }
}

/** Line geometry of a symbol size: words per line and the valid window starts. */
interface Lines {
  size: number;
  words: number;
  v2: Uint32Array;
  v5: Uint32Array;
  v11: Uint32Array;
}

/** Mask tables of a symbol size (the size fixes the version, hence which cells are function patterns). */
interface Plan extends Lines {
  flipBytes: Uint8Array[];
  flipRows: Uint32Array[];
  flipCols: Uint32Array[];
  /** Per format cell: row-packing word and bit, column-packing word and bit, format bit number. */
  fmt: Int32Array;
}

const lineCache = new Map<number, Lines>();
const planCache = new Map<number, Plan>();

function linesFor(size: number): Lines {
  let l = lineCache.get(size);
  if (!l) {
    const words = (size + 31) >>> 5;
    l = { size, words, v2: validStarts(size, words, 2), v5: validStarts(size, words, 5), v11: validStarts(size, words, 11) };
    lineCache.set(size, l);
  }
  return l;
}

/** Built once per size from the reserved cells of the first symbol of that size, then reused. */
function planFor(size: number, reserved: Uint8Array): Plan {
  const cached = planCache.get(size);
  if (cached) return cached;
  const lines = linesFor(size);
  const words = lines.words;
  const flipBytes: Uint8Array[] = [];
  const flipRows: Uint32Array[] = [];
  const flipCols: Uint32Array[] = [];
  for (let p = 0; p < 8; p++) {
    const t = new Uint8Array(size * size);
    for (let i = 0, k = 0; i < size; i++) for (let j = 0; j < size; j++, k++) t[k] = reserved[k] ? 0 : maskAt(p, i, j);
    const rows = new Uint32Array(size * words);
    const cols = new Uint32Array(size * words);
    pack(t, size, words, false, rows);
    pack(t, size, words, true, cols);
    flipBytes.push(t);
    flipRows.push(rows);
    flipCols.push(cols);
  }
  const positions = formatPositions(size) as [number, number, number][];
  const fmt = new Int32Array(positions.length * 5);
  positions.forEach(([r, c, i], n) => fmt.set([r * words + (c >>> 5), c & 31, c * words + (r >>> 5), r & 31, i], n * 5));
  const plan: Plan = { ...lines, flipBytes, flipRows, flipCols, fmt };
  planCache.set(size, plan);
  return plan;
}

const eqBuf = new Uint32Array(8);

/** N1 (as #windows + 2·#starts) and N3 over `size` packed lines. */
function linePenalties(L: Uint32Array, plan: Lines): number {
  const { size, words, v2, v5, v11 } = plan;
  let windows = 0;
  let starts = 0;
  let finders = 0;
  for (let line = 0; line < size; line++) {
    const o = line * words;
    for (let w = 0; w < words; w++) {
      const x0 = L[o + w] as number;
      const x1 = w + 1 < words ? (L[o + w + 1] as number) : 0;
      eqBuf[w] = ~(x0 ^ ((x0 >>> 1) | (x1 << 31))) & (v2[w] as number);
    }
    for (let w = 0; w < words; w++) {
      const e0 = eqBuf[w] as number;
      const e1 = w + 1 < words ? (eqBuf[w + 1] as number) : 0;
      const w5 = e0 & ((e0 >>> 1) | (e1 << 31)) & ((e0 >>> 2) | (e1 << 30)) & ((e0 >>> 3) | (e1 << 29)) & (v5[w] as number);
      if (w5 !== 0) {
        const prevEq = (e0 << 1) | (w > 0 ? (eqBuf[w - 1] as number) >>> 31 : 0);
        windows += popcount(w5);
        starts += popcount(w5 & ~prevEq);
      }
      const valid = v11[w] as number;
      if (valid === 0) continue;
      const x0 = L[o + w] as number;
      const x1 = w + 1 < words ? (L[o + w + 1] as number) : 0;
      const a1 = (x0 >>> 1) | (x1 << 31);
      const a2 = (x0 >>> 2) | (x1 << 30);
      const a3 = (x0 >>> 3) | (x1 << 29);
      const a4 = (x0 >>> 4) | (x1 << 28);
      const a5 = (x0 >>> 5) | (x1 << 27);
      const a6 = (x0 >>> 6) | (x1 << 26);
      const a7 = (x0 >>> 7) | (x1 << 25);
      const a8 = (x0 >>> 8) | (x1 << 24);
      const a9 = (x0 >>> 9) | (x1 << 23);
      const a10 = (x0 >>> 10) | (x1 << 22);
      // 1011101 0000 and 0000 1011101, first module at the window start.
      const p1 = x0 & ~a1 & a2 & a3 & a4 & ~a5 & a6 & ~a7 & ~a8 & ~a9 & ~a10;
      const p2 = ~x0 & ~a1 & ~a2 & ~a3 & a4 & ~a5 & a6 & a7 & a8 & ~a9 & a10;
      const hits = (p1 | p2) & valid;
      if (hits !== 0) finders += popcount(hits);
    }
  }
  return windows + 2 * starts + 40 * finders;
}

/** N2 and N4 from the row packing. */
function blockAndBalance(R: Uint32Array, plan: Lines): number {
  const { size, words, v2 } = plan;
  let blocks = 0;
  let dark = 0;
  for (let r = 0; r < size; r++) {
    const o = r * words;
    for (let w = 0; w < words; w++) {
      const a0 = R[o + w] as number;
      dark += popcount(a0);
      if (r === size - 1) continue;
      const b0 = R[o + words + w] as number;
      const a1 = w + 1 < words ? (R[o + w + 1] as number) : 0;
      const b1 = w + 1 < words ? (R[o + words + w + 1] as number) : 0;
      const sa = (a0 >>> 1) | (a1 << 31);
      const sb = (b0 >>> 1) | (b1 << 31);
      const same = ~(a0 ^ b0) & ~(a0 ^ sa) & ~(a0 ^ sb) & (v2[w] as number);
      if (same !== 0) blocks += popcount(same);
    }
  }
  const total = size * size;
  return blocks * 3 + Math.abs(Math.ceil((dark * 100) / total / 5) - 10) * 10;
}

function penaltyPacked(rows: Uint32Array, cols: Uint32Array, plan: Lines): number {
  return linePenalties(rows, plan) + linePenalties(cols, plan) + blockAndBalance(rows, plan);
}

/** Penalty score (N1+N2+N3+N4) of a finished module matrix. Exposed for tests. */
export function maskPenalty(m: Uint8Array, size: number): number {
  const plan = linesFor(size);
  const rows = new Uint32Array(size * plan.words);
  const cols = new Uint32Array(size * plan.words);
  pack(m, size, plan.words, false, rows);
  pack(m, size, plan.words, true, cols);
  return penaltyPacked(rows, cols, plan);
}

/**
 * Given the unmasked symbol (`raw`: data and function modules, format cells arbitrary) and its reserved
 * (function) cells, return the best mask and the masked matrix with its format information.
 */
export function applyBestMask(raw: Uint8Array, reserved: Uint8Array, size: number): { mask: number; data: Uint8Array } {
  const plan = planFor(size, reserved);
  const { words, fmt } = plan;
  const n = size * words;
  const rawRows = new Uint32Array(n);
  const rawCols = new Uint32Array(n);
  pack(raw, size, words, false, rawRows);
  pack(raw, size, words, true, rawCols);
  const rows = new Uint32Array(n);
  const cols = new Uint32Array(n);
  let best = 0;
  let bestScore = Infinity;
  for (let p = 0; p < 8; p++) {
    const fr = plan.flipRows[p] as Uint32Array;
    const fc = plan.flipCols[p] as Uint32Array;
    for (let k = 0; k < n; k++) {
      rows[k] = (rawRows[k] as number) ^ (fr[k] as number);
      cols[k] = (rawCols[k] as number) ^ (fc[k] as number);
    }
    const bits = FORMAT_M[p] as number;
    for (let f = 0; f < fmt.length; f += 5) {
      const on = (bits >> (fmt[f + 4] as number)) & 1;
      const ri = fmt[f] as number;
      const rb = 1 << (fmt[f + 1] as number);
      const ci = fmt[f + 2] as number;
      const cb = 1 << (fmt[f + 3] as number);
      rows[ri] = on ? (rows[ri] as number) | rb : (rows[ri] as number) & ~rb;
      cols[ci] = on ? (cols[ci] as number) | cb : (cols[ci] as number) & ~cb;
    }
    const score = penaltyPacked(rows, cols, plan);
    if (score < bestScore) {
      bestScore = score;
      best = p;
    }
  }
  const out = new Uint8Array(size * size);
  const flip = plan.flipBytes[best] as Uint8Array;
  for (let k = 0; k < out.length; k++) out[k] = (raw[k] as number) ^ (flip[k] as number);
  writeFormat(out, size, best);
  return { mask: best, data: out };
}

/** Flip cells of mask `p` for a symbol of this size (used to undo qrcode's mask 0). */
export function flipCells(size: number, reserved: Uint8Array, p: number): Uint8Array {
  return planFor(size, reserved).flipBytes[p] as Uint8Array;
}
