/**
 * QR Code rendering, offline, with the `qrcode` package: error correction M, quiet zone (margin) of 4
 * modules.
 *
 * Speed: QRCode.create() spends its time on segmentation (regular expressions and a Dijkstra search) and on
 * choosing the mask (8 trial maskings scored through per-module method calls). Here the segments come from a
 * linear DP (qr-segments.ts, never longer than qrcode's own), the symbol is built once with mask 0 and
 * unmasked, and the 8 masks are scored bit-parallel with qrcode's penalty rules (qr-mask.ts), so the modules
 * are identical to `QRCode.create(segments, {errorCorrectionLevel: 'M'})` (unit tests check both claims).
 * The SVG is one path of per-row runs written directly, not via `toString`.
 */
import QRCode from 'qrcode';
import { BrCodeError } from './errors';
import { applyBestMask, flipCells } from './qr-mask';
import { segmentText, versionClass } from './qr-segments';

export const QR_MARGIN = 4;
export const QR_DEFAULT_SIZE = 512;
const MIN_SIZE = 64;
const MAX_SIZE = 4096;

/** The QR symbol's modules (1 = dark), row-major, without the quiet zone. */
export interface QrMatrix {
  size: number;
  data: Uint8Array;
  mask: number;
  version: number;
  /** The data segments encoded (render other formats from these to get the same symbol). */
  segments: QRCode.QRCodeSegment[];
}

/** Build the symbol (error correction M, best mask by the standard penalty). */
export function qrMatrix(payload: string): QrMatrix {
  if (typeof payload !== 'string' || payload.length === 0) {
    throw new BrCodeError('QR_INPUT', 'Não há conteúdo para o QR Code (payload vazio).');
  }
  let symbol: QRCode.QRCode;
  let segments: QRCode.QRCodeSegment[];
  try {
    // Segments optimal for versions 1–9 (every BR Code up to ~200 characters); redone with the
    // character-count widths of the version class actually needed when the data is longer.
    segments = segmentText(payload, 0);
    symbol = QRCode.create(segments, { errorCorrectionLevel: 'M', maskPattern: 0 });
    const cls = versionClass(symbol.version);
    if (cls !== 0) {
      segments = segmentText(payload, cls);
      symbol = QRCode.create(segments, { errorCorrectionLevel: 'M', maskPattern: 0 });
    }
  } catch {
    throw new BrCodeError('QR_INPUT', `Conteúdo grande demais para um QR Code (${payload.length} caracteres).`);
  }
  const size = symbol.modules.size;
  const reserved = symbol.modules.reservedBit;
  // Undo mask 0, then let qr-mask choose and apply the best mask.
  const flip0 = flipCells(size, reserved, 0);
  const raw = new Uint8Array(size * size);
  const masked = symbol.modules.data;
  for (let k = 0; k < raw.length; k++) raw[k] = (masked[k] as number) ^ (flip0[k] as number);
  const { mask, data } = applyBestMask(raw, reserved, size);
  return { size, data, mask, version: symbol.version, segments };
}

function checkSize(size: number | undefined): number {
  if (size === undefined) return QR_DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw new BrCodeError('QR_INPUT', `Tamanho do QR Code deve ser um número inteiro de ${MIN_SIZE} a ${MAX_SIZE} pixels.`);
  }
  return size;
}

/** SVG markup of a matrix: white background and one path of dark runs, quiet zone of 4 modules. */
export function matrixToSvg(m: QrMatrix, size: number): string {
  const dim = m.size + 2 * QR_MARGIN;
  const data = m.data;
  const n = m.size;
  let d = '';
  for (let row = 0; row < n; row++) {
    const base = row * n;
    let col = 0;
    while (col < n) {
      if (data[base + col] === 0) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && data[base + col] === 1) col++;
      const len = col - start;
      d += `M${start + QR_MARGIN} ${row + QR_MARGIN}h${len}v1h-${len}z`;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${dim} ${dim}" shape-rendering="crispEdges">` +
    `<rect width="${dim}" height="${dim}" fill="#ffffff"/><path fill="#000000" d="${d}"/></svg>\n`
  );
}

/** SVG of the QR Code of `payload` (error correction M, quiet zone 4); `size` in pixels (default 512). */
export function renderQrSvgSync(payload: string, opts?: { size?: number }): string {
  const size = checkSize(opts?.size);
  return matrixToSvg(qrMatrix(payload), size);
}

export function renderQrSvg(payload: string, opts?: { size?: number }): Promise<string> {
  try {
    return Promise.resolve(renderQrSvgSync(payload, opts));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** PNG of the QR Code of `payload` (error correction M, quiet zone 4), `size` pixels wide (default 512). */
export async function renderQrPng(payload: string, opts?: { size?: number }): Promise<Buffer> {
  const size = checkSize(opts?.size);
  const m = qrMatrix(payload); // validates the payload with a pt-BR error
  try {
    return await QRCode.toBuffer(m.segments, {
      type: 'png',
      errorCorrectionLevel: 'M',
      maskPattern: m.mask as QRCode.QRCodeMaskPattern,
      margin: QR_MARGIN,
      width: size,
      color: { dark: '#000000ff', light: '#ffffffff' },
    });
  } catch {
    throw new BrCodeError('QR_INPUT', 'Não foi possível desenhar o QR Code em PNG.');
  }
}
