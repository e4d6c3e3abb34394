/**
 * Typed application errors. Every error that can reach a person carries a stable `code` and a pt-BR
 * `message` that says what happened and what to do next. Messages never include secrets.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Narrow an unknown thrown value to an AppError. */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The serialisable error shape of the contract (`{ok:false, error}`). */
export interface ErrorInfo {
  code: string;
  message: string;
  /** The field an error is about, when the service named one (`details.field`), for the form to place it. */
  issues?: { path: string; message: string }[];
}

/**
 * Convert anything thrown into the contract's error shape. Unknown errors become a generic pt-BR message:
 * their text may carry paths or secrets, so it is never passed through.
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isAppError(e)) {
    const field = e.details?.field;
    // Only a plain field name travels (details may hold more, and nothing else of it is meant for the screen).
    if (typeof field === 'string' && /^[A-Za-z][\w.]{0,63}$/.test(field)) return { code: e.code, message: e.message, issues: [{ path: field, message: e.message }] };
    return { code: e.code, message: e.message };
  }
  return {
    code: 'INTERNAL',
    message: 'Ocorreu um erro interno inesperado. Tente novamente; se persistir, reinicie o PixDesk.',
  };
}
