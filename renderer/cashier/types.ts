import type { BuiltBrCode } from '../../main/core/contract';

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

export interface ContractError {
  code: string;
  message: string;
}

/** The QR being shown: nothing to build yet, a built BR Code, or a pt-BR error (on a field when known). */
export type BuildState =
  | { status: 'incomplete' }
  | { status: 'ready'; result: BuiltBrCode; input: QuickQrInput }
  | { status: 'error'; error: ContractError; field: QuickQrField | null };

/** Limits of a static BR Code as people type them (the engine enforces them too). */
export const QUICK_QR_LIMITS = { name: 25, city: 15, description: 72, key: 77 } as const;
