import type { ContractError, Environment, OnboardingFormInput, OnboardingView } from '../../main/core/contract';
import { isHttpsUrl, isUf, TEXT_LIMITS as L } from '../../main/core/contract/limits';
import { issuesAt } from '../issues';
import { messages } from '../messages';

/** What the review step edits (strings as typed; converted to the contract's form on submit). */
export interface ReviewForm {
  name: string;
  company: string;
  city: string;
  state: string;
  environment: Environment;
  stsUrl: string;
  pixUrl: string;
  extraCaPem: string | null;
  caFileName: string | null;
  renewalPath: 'v1' | 'v2';
}

export type ReviewErrors = Partial<Record<'name' | 'company' | 'city' | 'state' | 'stsUrl' | 'pixUrl' | 'extraCaPem', string>>;

export function initialForm(view: OnboardingView): ReviewForm {
  const f = view.form;
  return {
    name: f?.name ?? '',
    company: f?.company ?? '',
    city: f?.city ?? '',
    state: f?.state ?? '',
    environment: f?.environment ?? view.suggestedEnvironment,
    stsUrl: view.endpoints.stsUrl ?? '',
    pixUrl: view.endpoints.pixUrl ?? '',
    // The stored CA is never sent back to the renderer; keeping it means not touching the endpoints.
    extraCaPem: null,
    caFileName: null,
    renewalPath: f?.renewalPath ?? 'v1',
  };
}

/** Main's own limits (contract/limits.ts), checked first so each field can say what is wrong before sending. */
export function validateForm(f: ReviewForm): ReviewErrors {
  const m = messages.onboarding.review;
  const e: ReviewErrors = {};
  if (f.name.trim().length > L.accountName) e.name = m.tooLong(L.accountName);
  if (!f.company.trim()) e.company = m.required;
  else if (f.company.trim().length > L.company) e.company = m.tooLong(L.company);
  if (!f.city.trim()) e.city = m.required;
  else if (f.city.trim().length > L.city) e.city = m.tooLong(L.city);
  if (!isUf(f.state)) e.state = m.required;
  if (f.stsUrl.trim() && !isHttpsUrl(f.stsUrl.trim())) e.stsUrl = m.invalidUrl;
  if (f.pixUrl.trim() && !isHttpsUrl(f.pixUrl.trim())) e.pixUrl = m.invalidUrl;
  if (f.extraCaPem && !f.stsUrl.trim() && !e.stsUrl) e.stsUrl = m.caNeedsSts;
  return e;
}

/** The contract's form. The account name keeps the accents the person typed (the certificate drops them). */
export function toFormInput(f: ReviewForm): OnboardingFormInput {
  const company = f.company.trim();
  return {
    name: (f.name.trim() || company).slice(0, L.accountName),
    company,
    city: f.city.trim(),
    state: f.state,
    environment: f.environment,
    renewalPath: f.renewalPath,
  };
}

/** True when the review holds something the person typed that closing the wizard would lose. */
export function isDirty(f: ReviewForm, saved: ReviewForm): boolean {
  const keys: (keyof ReviewForm)[] = ['name', 'company', 'city', 'state', 'environment', 'stsUrl', 'pixUrl', 'extraCaPem', 'renewalPath'];
  return keys.some((k) => (typeof f[k] === 'string' ? (f[k] as string).trim() : f[k]) !== (typeof saved[k] === 'string' ? (saved[k] as string).trim() : saved[k]));
}

const REVIEW_FIELDS: readonly (keyof ReviewErrors)[] = ['name', 'company', 'city', 'state', 'stsUrl', 'pixUrl', 'extraCaPem'];

/**
 * The errors of `onboarding:run` that belong on the review's fields (`form.company` → company), or null when
 * the error is not about the form (the connect step shows it instead).
 */
export function reviewErrorsOf(error: ContractError): ReviewErrors | null {
  const placed = issuesAt(error, 'form');
  const errs: ReviewErrors = {};
  for (const f of REVIEW_FIELDS) if (placed[f]) errs[f] = placed[f];
  return Object.keys(errs).length ? errs : null;
}

const ITAU_STS_HOST = 'sts.itau.com.br';

/** Host the token goes to with the form's advanced addresses, or null for the defaults (Itaú / local sandbox). */
export function overrideHost(f: ReviewForm): string | null {
  const sts = f.stsUrl.trim();
  if (sts && isHttpsUrl(sts)) return new URL(sts).host;
  return f.pixUrl.trim() ? ITAU_STS_HOST : null;
}

/** What the review step says the token's destination is, for the environment chosen. */
export function destinationText(f: ReviewForm): string {
  return overrideHost(f) ?? (f.environment === 'sandbox' ? messages.onboarding.review.destinationLocal : ITAU_STS_HOST);
}

/**
 * The `onboarding:setEndpoints` call the form needs before running, or null when the session already has these
 * endpoints. `confirmHost` is the host the person confirmed on screen.
 */
export function endpointsCall(view: OnboardingView, f: ReviewForm): { id: string; stsUrl: string | null; pixUrl: string | null; extraCaPem?: string | null; confirmHost?: string } | null {
  const stsUrl = f.stsUrl.trim() || null;
  const pixUrl = f.pixUrl.trim() || null;
  const ep = view.endpoints;
  const same = ep.stsUrl === stsUrl && ep.pixUrl === pixUrl && f.extraCaPem === null && (ep.custom || (!stsUrl && !pixUrl));
  if (same) return null;
  const host = overrideHost(f);
  return {
    id: view.id,
    stsUrl,
    pixUrl,
    // The renderer never sees a stored CA: changing the addresses means choosing the CA file again.
    ...(f.extraCaPem !== null ? { extraCaPem: f.extraCaPem } : {}),
    ...(host ? { confirmHost: host } : {}),
  };
}

const RESUMABLE: ReadonlySet<OnboardingView['step']> = new Set(['prepared', 'requesting', 'response_stored', 'account_created']);

/** Whether `onboarding:run {id}` can continue this session (the CSR exists and the token was not refused). */
export function isResumable(v: OnboardingView): boolean {
  return RESUMABLE.has(v.step);
}

/** A failed session that never produced a CSR can go back to the review with the same token. */
export function canReviewAgain(v: OnboardingView): boolean {
  return (v.step === 'failed' || v.step === 'imported') && !v.tokenExpired && v.phases[0]?.state !== 'done';
}

const TOKEN_CODES = new Set(['TOKEN_REJECTED', 'TOKEN_CONSUMED', 'TOKEN_EXPIRED']);
const NETWORK_CODES = new Set(['NETWORK', 'BANK_UNAVAILABLE', 'OFFLINE']);

export function errorKind(code: string | undefined): 'token' | 'network' | 'other' {
  if (!code) return 'other';
  if (TOKEN_CODES.has(code)) return 'token';
  if (NETWORK_CODES.has(code)) return 'network';
  return 'other';
}
