import { z } from 'zod';
import { AppError, toErrorInfo } from '../errors';
import { contract, type Handlers } from './index';
import { invalidInputError } from './issues';
import { isOpName, type OpName } from './ops';
import type { CallContext } from '../auth/session';
import type { Result } from './types';

z.config(z.locales.ptBR());

/**
 * A function that runs one operation from untrusted input and always resolves to a Result. `ctx` carries the
 * caller's session (each shell passes the one of the page or window that called).
 */
export type Dispatch = (op: unknown, input: unknown, ctx?: CallContext) => Promise<Result<unknown>>;

/**
 * Asked before the input is read: throw an AppError to refuse the caller outright (who may call what: core/auth),
 * so a role that may never call an operation gets "not allowed" whatever it sent, not a schema error.
 */
export type Gate = (op: OpName, ctx: CallContext) => void;

/**
 * Build the single dispatcher of the contract. Every input arrives as `unknown` and is validated with the
 * operation's zod schema before a handler sees it; every failure becomes `{ok:false, error}` with a pt-BR
 * message and, for validation failures, the capped `{path, message}` issues a form can place on its fields
 * (unexpected errors are reported generically and never leak their text). The caller's `ctx` reaches the handler,
 * whose first act is to ask core/auth whether that session may run it (Core.handlers wraps every one); `gate` asks
 * the role part of it before the input is even parsed (Core.dispatcher passes it).
 */
export function createDispatcher(handlers: Handlers, onUnexpected?: (op: string, e: unknown) => void, gate?: Gate): Dispatch {
  return async (op, input, ctx = {}) => {
    if (!isOpName(op)) {
      return { ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } };
    }
    try {
      gate?.(op, ctx);
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
    const parsed = contract[op].input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: invalidInputError(parsed.error.issues) };
    }
    try {
      const handler = handlers[op] as (i: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      return { ok: true, value };
    } catch (e) {
      if (!(e instanceof AppError)) onUnexpected?.(op, e);
      return { ok: false, error: toErrorInfo(e) };
    }
  };
}
