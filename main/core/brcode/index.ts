/**
 * BR Code engine (Pix "Copia e Cola" payloads, EMV MPM): encode, decode with strict validation, Pix keys,
 * CRC and QR rendering. No electron import; pure functions except the QR renderers (Promise-based).
 */
export type { BrCodeView, Decoded, DynamicInput, PixKey, PixKeyType, StaticInput, TlvField } from './types';
export { LIMITS, PIX_GUI } from './types';
export { BrCodeError, type BrCodeErrorCode } from './errors';
export { crc16 } from './crc';
export { encodeDynamic, encodeStatic } from './encode';
export { decode, decodeView } from './decode';
export {
  normaliseAmount,
  normaliseCity,
  normaliseDescription,
  normaliseName,
  normalisePostalCode,
  normaliseTxid,
  normaliseUrl,
} from './fields';
export { normaliseText, isPrintableAscii } from './text';
export { directoryKeyType, isValidCnpj, isValidCpf, parsePixKey } from './pix-key';
export { qrMatrix, renderQrPng, renderQrSvg, type QrMatrix } from './qr';
