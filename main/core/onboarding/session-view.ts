import { endpointsView, readEndpoints } from './token-destination';
import type { OnboardingFormInput, OnboardingPhase, OnboardingView } from '../contract/types';

export type Step = OnboardingView['step'];

/** What the person fills in after importing the spreadsheet (the contract's input type). */
export type OnboardingForm = OnboardingFormInput;

/** A row of `onboarding_sessions` (secret columns are vault ciphertexts). */
export interface SessionRow {
  id: string;
  client_id: string;
  token_enc: Buffer;
  token_sha256: string;
  token_expires_at: string;
  expiry_source: 'jwt' | 'sheet' | 'assumed-72h';
  source_json: string;
  form_json: string | null;
  key_enc: Buffer | null;
  csr_pem: string | null;
  response_enc: Buffer | null;
  /** Confirmed endpoint overrides (token-destination.ts), null for the defaults. */
  endpoints_json: string | null;
  step: Step;
  account_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  updated_at: string;
}

type PhaseName = OnboardingPhase['name'];

/** A session as the renderer sees it: no token, key, CSR or secret. */
export type OnboardingSessionView = OnboardingView;

const ORDER: Step[] = ['imported', 'prepared', 'requesting', 'response_stored', 'account_created', 'done'];
const PHASE_DONE_AT: Record<PhaseName, Step> = { key: 'prepared', exchange: 'response_stored', verify: 'account_created', token: 'done' };

function phases(r: SessionRow, running: boolean): OnboardingSessionView['phases'] {
  // For a failed session, infer how far it got from what it holds.
  const reached: Step = r.step === 'failed' ? (r.response_enc ? 'response_stored' : r.csr_pem ? 'requesting' : 'imported') : r.step;
  const idx = ORDER.indexOf(reached);
  let marked = false;
  return (Object.keys(PHASE_DONE_AT) as PhaseName[]).map((name) => {
    if (ORDER.indexOf(PHASE_DONE_AT[name]) <= idx) return { name, state: 'done' as const };
    if (!marked) {
      marked = true;
      if (r.step === 'failed' || (r.error_code && !running)) return { name, state: 'failed' as const };
      if (running) return { name, state: 'running' as const };
    }
    return { name, state: 'pending' as const };
  });
}

function resumeHint(r: SessionRow): string | null {
  switch (r.step) {
    case 'prepared':
      return 'A chave de segurança e o pedido de certificado já foram gerados e guardados; o Itaú ainda não foi chamado. Retomar envia o pedido.';
    case 'requesting':
      return 'O pedido foi enviado ao Itaú, mas a resposta não chegou a ser gravada. Retomar reenvia o mesmo pedido com o mesmo token; se o banco já o usou, será preciso pedir um novo token ao gerente.';
    case 'response_stored':
      return 'O certificado e a senha de acesso enviados pelo Itaú já estão guardados com segurança. Retomar conclui a verificação e cria a conta.';
    case 'account_created':
      return 'A conta já foi criada; falta testar a conexão com o Itaú. Retomar tenta de novo.';
    default:
      return null;
  }
}

/** Project a session row onto what the interface may see. */
export function sessionView(r: SessionRow, now: Date, running: boolean): OnboardingSessionView {
  const src = JSON.parse(r.source_json) as { warnings?: string[]; suggestedEnvironment?: 'sandbox' | 'production' } & OnboardingSessionView['source'];
  const { warnings, suggestedEnvironment, ...source } = src;
  return {
    id: r.id,
    clientId: r.client_id,
    tokenFingerprint: r.token_sha256.slice(0, 12),
    tokenExpiresAt: r.token_expires_at,
    tokenExpired: Date.parse(r.token_expires_at) <= now.getTime(),
    expirySource: r.expiry_source,
    warnings: warnings ?? [],
    suggestedEnvironment: suggestedEnvironment ?? 'production',
    source,
    step: r.step,
    running,
    form: r.form_json ? (JSON.parse(r.form_json) as OnboardingForm) : null,
    accountId: r.account_id,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    phases: phases(r, running),
    resumeHint: running ? null : resumeHint(r),
    createdAt: r.created_at,
    endpoints: endpointsView(readEndpoints(r.endpoints_json), running || !(r.step === 'imported' || (r.step === 'failed' && !r.csr_pem))),
  };
}
