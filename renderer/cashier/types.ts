import type { BuiltBrCode, ContractError } from '../../main/core/contract';
import { TEXT_LIMITS } from '../../main/core/contract/limits';

export type { ContractError };

/** A Pix key of a connected account, offered in the "Chave Pix" select of "QR Code rápido". */
export interface AccountKey {
  label: string;
  key: string;
}

/** The fields of "QR Code rápido" that can carry an inline error. */
export type QuickQrField = 'key' | 'name' | 'city' | 'amount' | 'description';

/** What the person typed, as sent to `brcode:build` (amount already "10.50" or null for an open amount). */
export interface QuickQrInput {
  key: string;
  name: string;
  city: string;
  amount: string | null;
  description: string;
}

/** The QR being shown: nothing to build yet, a built BR Code, or a pt-BR error (on a field when known). */
export type BuildState =
  | { status: 'incomplete' }
  | { status: 'ready'; result: BuiltBrCode; input: QuickQrInput }
  | { status: 'error'; error: ContractError; field: QuickQrField | null };

/**
 * Limits of "QR Code rápido" (contract/limits.ts). `name`/`city` are what the QR holds (tags 59/60); the fields
 * accept up to `typed` characters so nothing is cut while typing: the screen shows how the text goes in the QR.
 */
export const QUICK_QR_LIMITS = {
  name: TEXT_LIMITS.merchantName,
  city: TEXT_LIMITS.merchantCity,
  typed: TEXT_LIMITS.merchantTyped,
  description: TEXT_LIMITS.qrDescription,
  key: TEXT_LIMITS.pixKey,
} as const;
