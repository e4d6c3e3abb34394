/*
 * The only place the sandbox touches the BR Code engine: it writes charges' Pix Copia e Cola like a PSP, draws their
 * QR for Itaú's /qrcode route and reads codes like a payer's bank app. One file to adapt if the engine's API moves.
 */
export { decode, directoryKeyType, encodeDynamic, isValidCnpj, isValidCpf, renderQrPng } from '../brcode';
export { cnpjCheckDigits } from '../brcode/pix-key';
