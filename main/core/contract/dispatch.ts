import { z } from 'zod';
import { AppError, toErrorInfo } from '../errors';
import { contract, type Handlers } from './index';
import { invalidInputError } from './issues';
import { isOpName } from './ops';
import type { Result } from './types';

z.config(z.locales.ptBR());

/** A function that runs one operation from untrusted input and always resolves to a Result. */
export type Dispatch = (op: unknown, input: unknown) => Promise<Result<unknown>>;

/**
 * Build the single dispatcher of the contract. Every input arrives as `unknown` and is validated with the
 * operation's zod schema before a handler sees it; every failure becomes `{ok:false, error}` with a pt-BR
 * message and, for validation failures, the capped `{path, message}` issues a form can place on its fields
 * (unexpected errors are reported generically and never leak their text).
 */
export function createDispatcher(handlers: Handlers, onUnexpected?: (op: string, e: unknown) => void): Dispatch {
  return async (op, input) => {
    if (!isOpName(op)) {
      return { ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } };
    }
    const parsed = contract[op].input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: invalidInputError(parsed.error.issues) };
    }
    try {
      const handler = handlers[op] as (i: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof AppError)) onUnexpected?.(op, e);
      return { ok: false, error: toErrorInfo(e) };
    }
  };
}
