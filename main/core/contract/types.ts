/** Result envelope of every operation: values on success, a pt-BR message on failure, never a stack. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export type Environment = 'sandbox' | 'production';

export interface AppInfo {
  name: string;
  version: string;
  /** Where the host runs: Electron window or the browser host. */
  shell: 'electron' | 'browser';
  /** Environment shown in the banner: the default account's, or sandbox when there is none. */
  environment: Environment;
  profileDir: string;
  keyBackend: string;
}

/** Settings a person can change in Ajustes. Secrets never live here. */
export interface Settings {
  tillName: string;
  renewalWindowDays: number;
  /** Merchant name and city written into static BR Codes (tags 59/60). */
  merchantName: string;
  merchantCity: string;
  /** Pix key typed last in "QR Code rápido" (not a secret: it is printed in every static QR). */
  lastPixKey: string;
}

/** A static BR Code built for the cashier, with its QR as SVG markup. */
export interface BuiltBrCode {
  payload: string;
  svg: string;
  keyType: 'cpf' | 'cnpj' | 'phone' | 'email' | 'evp';
  key: string;
}

/** What `brcode:decode` reports: the fields of DESIGN.md's CLI JSON. */
export type { BrCodeView } from '../brcode/types';

/** An account as the interface sees it: no secret, no private key. */
export interface AccountSummary {
  id: string;
  name: string;
  environment: Environment;
  clientId: string;
  company: string;
  city: string;
  state: string;
  pixKeys: string[];
  isDefault: boolean;
  active: boolean;
  endpoints: { stsUrl: string | null; pixUrl: string | null; customCa: boolean; renewalPath: 'v1' | 'v2' };
  certificate: { version: number; subject: string; serial: string; fingerprint256: string; notBefore: string; notAfter: string };
  renewal: {
    state: 'ok' | 'due' | 'failed' | 'expired' | 'inactive';
    daysLeft: number;
    warnLevel: 60 | 30 | 7 | null;
    lastAttemptAt: string | null;
    lastSuccessAt: string | null;
    lastError: { code: string; message: string } | null;
  };
  /** Seconds left on the cached access token (memory only), or null when none is cached. */
  tokenSecondsLeft: number | null;
  createdAt: string;
}

export type OnboardingPhase = { name: 'key' | 'exchange' | 'verify' | 'token'; state: 'done' | 'running' | 'pending' | 'failed' };

/** An onboarding session as the interface sees it: never the token, key, CSR or secret. */
export interface OnboardingView {
  id: string;
  clientId: string;
  tokenFingerprint: string;
  tokenExpiresAt: string;
  tokenExpired: boolean;
  expirySource: 'jwt' | 'sheet' | 'assumed-72h';
  warnings: string[];
  suggestedEnvironment: Environment;
  source: { kind: string; fileName?: string; attachmentName?: string; sheet?: string; cells?: Record<string, string> };
  step: 'imported' | 'prepared' | 'requesting' | 'response_stored' | 'account_created' | 'done' | 'failed' | 'discarded';
  running: boolean;
  form: OnboardingFormInput | null;
  accountId: string | null;
  error: { code: string; message: string } | null;
  phases: OnboardingPhase[];
  resumeHint: string | null;
  createdAt: string;
  /** Where the temporary token goes (set only by `onboarding:setEndpoints`; frozen once the request may have left). */
  endpoints: OnboardingEndpointsView;
}

/** The destination of an onboarding's token, as the review step shows it. */
export interface OnboardingEndpointsView {
  /** False: the defaults (Itaú in production, the profile's local sandbox in sandbox). */
  custom: boolean;
  /** Host the token will be sent to when `custom`. */
  host: string | null;
  stsUrl: string | null;
  pixUrl: string | null;
  customCa: boolean;
  /** When the person confirmed the host. */
  confirmedAt: string | null;
  /** True once the request may have left: the destination can no longer change. */
  locked: boolean;
}

export interface OnboardingFormInput {
  name: string;
  company: string;
  city: string;
  state: string;
  environment: Environment;
  renewalPath?: 'v1' | 'v2';
  pixKeys?: string[];
}
