import type { Db } from '../db';
import { AppError } from '../errors';
import { formatBrasilia } from './validity-dates';

/** The last onboarding on this profile that got as far as the bank with a token (by its SHA-256), if any. */
export interface TokenUse {
  sessionId: string;
  step: string;
  accountId: string | null;
  accountName: string | null;
  /** The session's start and last change (ISO 8601 UTC). */
  createdAt: string;
  updatedAt: string;
  /** True when the CSR exists: from then on the token may have been sent to the bank. */
  sentToBank: boolean;
}

/**
 * Find an earlier use of a temporary token on this profile. Sessions keep the token's SHA-256 (never the token
 * once used), so the same spreadsheet imported again is recognised at once, before the person refills the form
 * only to have the bank refuse a single-use token already spent. Discarded sessions do not count.
 */
export function findTokenUse(db: Db, tokenSha256: string): TokenUse | null {
  const r = db
    .prepare(
      `SELECT s.id, s.step, s.account_id, a.name AS account_name, s.created_at, s.updated_at, s.csr_pem IS NOT NULL AS sent
         FROM onboarding_sessions s LEFT JOIN accounts a ON a.id = s.account_id
        WHERE s.token_sha256 = ? AND s.step <> 'discarded'
        ORDER BY (s.account_id IS NOT NULL) DESC, s.created_at DESC LIMIT 1`,
    )
    .get(tokenSha256) as
    | { id: string; step: string; account_id: string | null; account_name: string | null; created_at: string; updated_at: string; sent: number }
    | undefined;
  if (!r) return null;
  return {
    sessionId: r.id,
    step: r.step,
    accountId: r.account_id,
    accountName: r.account_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentToBank: r.sent === 1,
  };
}

/**
 * What to say about a token used before, or null when the earlier session can simply go on (imported and never
 * sent: the same session is offered again instead of a duplicate).
 */
export function tokenReuseError(use: TokenUse): AppError | null {
  const again = 'O token do Itaú vale uma única vez: para conectar uma conta, peça ao gerente Itaú um novo token (uma nova planilha "Credencial e Token.xlsx") e importe-a.';
  if (use.accountId) {
    const name = use.accountName ? `"${use.accountName}"` : 'uma conta';
    return new AppError(
      'TOKEN_ALREADY_USED',
      `Esta planilha já foi usada neste computador: o token dela conectou a conta ${name} em ${formatBrasilia(new Date(use.updatedAt))}. ${again}`,
      { accountId: use.accountId },
    );
  }
  if (use.step === 'failed' && use.sentToBank) {
    return new AppError(
      'TOKEN_ALREADY_SENT',
      `O token desta planilha já foi enviado ao Itaú num cadastro iniciado em ${formatBrasilia(new Date(use.createdAt))}, que falhou. ${again}`,
    );
  }
  if (use.sentToBank) {
    return new AppError(
      'TOKEN_IN_OPEN_SESSION',
      `Esta planilha já está num cadastro não concluído, iniciado em ${formatBrasilia(new Date(use.createdAt))}. Feche esta janela e use "Retomar" nele, em Contas → Cadastros não concluídos: o PixDesk continua de onde parou.`,
    );
  }
  return null;
}
