import fc from 'fast-check';
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { maskPenalty } from '../../../main/core/brcode/qr-mask';
import { BrCodeError, encodeDynamic, encodeStatic, qrMatrix, renderQrPng, renderQrSvg } from '../../../main/core/brcode';
import { loadVectors } from './helpers';

const payloads = [
  ...loadVectors().map((v) => v.expected),
  ...Array.from({ length: 60 }, (_, i) =>
    encodeStatic({
      key: i % 2 ? 'financeiro@padaria.com.br' : '123e4567-e12b-12d1-a456-426655440000',
      name: `Padaria ${i}`,
      city: 'São Paulo',
      amount: i % 3 ? `${i + 1},${String(i % 100).padStart(2, '0')}` : null,
      txid: i % 4 ? `PED${i * 7919}` : null,
      description: i % 5 ? `Pedido ${i}` : null,
    }),
  ),
  encodeDynamic({ url: 'pix.itau.com.br/qr/v2/8b3da2f39a4140d1a91abd93113bd441', name: 'Loja', city: 'Recife' }),
  'a',
  'x'.repeat(400),
];

/** Modules (1 = dark) of a rendered SVG, read back from its path of runs. */
function svgModules(svg: string): { dim: number; dark: Set<string> } {
  const dim = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const d = /<path fill="#000000" d="([^"]*)"/.exec(svg)![1]!;
  const dark = new Set<string>();
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let k = 0; k < Number(m[3]); k++) dark.add(`${Number(m[1]) + k},${m[2]}`);
  }
  return { dim, dark };
}

/** qrcode's own penalty functions (lib/core/mask-pattern.js), the reference for the bit-parallel ones. */
interface MatrixLike {
  size: number;
  data: Uint8Array;
  get(r: number, c: number): number;
}
const MaskPattern = createRequire(import.meta.url)('qrcode/lib/core/mask-pattern') as Record<
  'getPenaltyN1' | 'getPenaltyN2' | 'getPenaltyN3' | 'getPenaltyN4',
  (m: MatrixLike) => number
>;

function referencePenalty(data: Uint8Array, size: number): number {
  const m: MatrixLike = { size, data, get: (r, c) => data[r * size + c]! };
  return MaskPattern.getPenaltyN1(m) + MaskPattern.getPenaltyN2(m) + MaskPattern.getPenaltyN3(m) + MaskPattern.getPenaltyN4(m);
}

describe('QR mask penalty (bit-parallel)', () => {
  it('equals qrcode\'s per-module penalty on random and patterned matrices of every line width', () => {
    const sizeArb = fc.integer({ min: 11, max: 177 });
    fc.assert(
      fc.property(sizeArb, fc.integer({ min: 0, max: 3 }), fc.integer(), (size, style, seed) => {
        let x = seed | 1;
        const rnd = () => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) ^ (x + 0x6d2b79f5)) >>> 0) / 2 ** 32;
        const m = new Uint8Array(size * size);
        for (let k = 0; k < m.length; k++) {
          if (style === 0) m[k] = rnd() < 0.5 ? 1 : 0;
          else if (style === 1) m[k] = rnd() < 0.9 ? (Math.floor(k / 7) % 2) : 1; // long runs, 2x2 blocks
          else if (style === 2) m[k] = [1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0][k % 11]! ^ (rnd() < 0.05 ? 1 : 0); // finder-like
          else m[k] = rnd() < 0.85 ? 0 : 1; // unbalanced
        }
        expect(maskPenalty(m, size)).toBe(referencePenalty(m, size));
      }),
      { numRuns: 400 },
    );
  });
});

describe('QR rendering', () => {
  it('builds exactly the symbol qrcode builds from the same segments, with the same mask choice', () => {
    for (const p of payloads) {
      const ours = qrMatrix(p);
      const ref = QRCode.create(ours.segments, { errorCorrectionLevel: 'M' });
      expect(ours.segments.map((s) => s.data).join('')).toBe(p);
      expect(ours.size).toBe(ref.modules.size);
      expect(ours.mask).toBe(ref.maskPattern);
      expect(Buffer.from(ours.data).equals(Buffer.from(ref.modules.data)), p).toBe(true);
    }
  });

  it('segments at least as compactly as qrcode: never a larger version, never more data bits', () => {
    const bits = (q: QRCode.QRCode) => q.segments.reduce((acc, s) => acc + 4 + s.getBitsLength() + (q.version <= 9 ? [10, 9, 8][['Numeric', 'Alphanumeric', 'Byte'].indexOf((s.mode as unknown as { id: string }).id)]! : 0), 0);
    for (const p of payloads) {
      const ours = QRCode.create(qrMatrix(p).segments, { errorCorrectionLevel: 'M' });
      const theirs = QRCode.create(p, { errorCorrectionLevel: 'M' });
      expect(ours.version).toBeLessThanOrEqual(theirs.version);
      if (theirs.version <= 9) expect(bits(ours)).toBeLessThanOrEqual(bits(theirs));
    }
  });

  it('writes an SVG whose dark runs are the symbol, with a 4-module quiet zone and the requested size', async () => {
    const p = payloads[0]!;
    const svg = await renderQrSvg(p, { size: 300 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="300" /);
    const m = qrMatrix(p);
    const { dim, dark } = svgModules(svg);
    expect(dim).toBe(m.size + 8);
    let count = 0;
    for (let r = 0; r < m.size; r++) {
      for (let c = 0; c < m.size; c++) {
        const isDark = m.data[r * m.size + c] === 1;
        if (isDark) count++;
        expect(dark.has(`${c + 4},${r + 4}`)).toBe(isDark);
      }
    }
    expect(dark.size).toBe(count);
    expect(await renderQrSvg(p)).toContain('width="512" height="512"');
  });

  it('writes a PNG of the requested width with the same modules', async () => {
    const png = await renderQrPng(payloads[0]!, { size: 256 });
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(png.readUInt32BE(16)).toBe(256); // IHDR width
    expect(png.readUInt32BE(20)).toBe(256);
    const ref = await QRCode.toBuffer(qrMatrix(payloads[0]!).segments, { errorCorrectionLevel: 'M', margin: 4, width: 256 });
    expect(png.equals(ref)).toBe(true);
  });

  it('refuses bad sizes and empty or oversized payloads with BrCodeError', async () => {
    for (const size of [0, 10, 63, 4097, 100.5, Number.NaN]) {
      await expect(renderQrSvg('abc', { size })).rejects.toBeInstanceOf(BrCodeError);
      await expect(renderQrPng('abc', { size })).rejects.toBeInstanceOf(BrCodeError);
    }
    await expect(renderQrSvg('')).rejects.toThrow(/payload vazio/);
    await expect(renderQrSvg('x'.repeat(5000))).rejects.toThrow(/grande demais/);
  });
});
