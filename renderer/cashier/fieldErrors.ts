import type { ContractError } from '../../main/core/contract';
import { issuesAt } from '../issues';
import type { QuickQrField } from './types';

const FIELDS: readonly QuickQrField[] = ['key', 'name', 'city', 'amount', 'description'];

/**
 * Which field of "QR Code rápido" an error of `brcode:build` is about, or null when it is about the whole QR
 * (e.g. the payload would be too long). The dispatcher and the BR Code engine name the field in the error's
 * `issues` (`{path: "name", …}`), so nothing here reads the wording of a message.
 */
export function fieldOfError(error: ContractError): QuickQrField | null {
  return FIELDS.find((f) => f in issuesAt(error)) ?? null;
}
