import { AppError } from '../errors';

/**
 * Error codes of the BR Code engine. `BRCODE_INPUT`: a value given to an encoder cannot become a correct
 * payload (the message names the field); `BRCODE_UNREADABLE`: a payload cannot be read at all (bad CRC,
 * broken TLV, no Pix template); `PIX_KEY_INVALID`: a Pix key is not valid in any directory format;
 * `QR_INPUT`: a payload or option the QR renderer cannot use.
 */
export type BrCodeErrorCode = 'BRCODE_INPUT' | 'BRCODE_UNREADABLE' | 'PIX_KEY_INVALID' | 'QR_INPUT';

/** Every failure of the BR Code engine: a stable code plus a pt-BR message naming the field. */
export class BrCodeError extends AppError {
  constructor(code: BrCodeErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'BrCodeError';
  }
}

/** Shorthand for an encoder input error naming `field` (a key of StaticInput/DynamicInput). */
export function inputError(field: string, message: string): BrCodeError {
  return new BrCodeError('BRCODE_INPUT', message, { field });
}

/** Shorthand for an unreadable payload. */
export function unreadable(message: string, details?: Record<string, unknown>): BrCodeError {
  return new BrCodeError('BRCODE_UNREADABLE', message, details);
}
