/** Result envelope of every operation: values on success, a pt-BR message on failure, never a stack. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/**
 * One problem of a failed operation, on the field it is about, so a form can show it there. `path` is the
 * dotted path inside the operation's input ("name", "form.company", "keys.2"); "" is the input as a whole.
 */
export interface ContractIssue {
  path: string;
  message: string;
}

/** The error of a failed operation: a stable code, a pt-BR sentence, and (when known) the fields at fault. */
export interface ContractError {
  code: string;
  message: string;
  /** At most ERROR_LIMITS.issues (contract/limits.ts), each with a bounded message. */
  issues?: ContractIssue[];
}

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
  /** Merchant name and city written into static BR Codes (tags 59/60), as typed (the encoder cuts them to 25/15). */
  merchantName: string;
  merchantCity: string;
  /** Pix key typed last in "QR Code rápido" (not a secret: it is printed in every static QR). */
  lastPixKey: string;
  /** Minutes without use before a logged-in page locks (0: never). */
  idleLockMinutes: number;
  /** Printer for silent printing in Electron ('' or absent: the print dialog). Only a name, never a secret. */
  printerName?: string;
}

/** A static BR Code built for the cashier, with its QR as SVG markup. */
export interface BuiltBrCode {
  payload: string;
  svg: string;
  keyType: 'cpf' | 'cnpj' | 'phone' | 'email' | 'evp';
  key: string;
}

/** What `brcode:decode` reports: the fields of `pixdesk brcode decode --json` (docs/contract.md). */
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

export type ChargeStatus = 'creating' | 'active' | 'pending_confirmation' | 'paid' | 'expired' | 'cancelled' | 'failed';
export type RefundStatus = 'EM_PROCESSAMENTO' | 'DEVOLVIDO' | 'NAO_REALIZADO';

/** A refund of a received Pix (asynchronous at the bank: EM_PROCESSAMENTO until DEVOLVIDO or NAO_REALIZADO). */
export interface RefundView {
  id: string;
  e2eid: string;
  chargeId: string | null;
  amountCents: number;
  status: RefundStatus;
  /** False while the bank has not acknowledged the request yet (it is resent with the same id). */
  confirmedByBank: boolean;
  reason: string | null;
  /** The bank's `motivo`, e.g. why it was NAO_REALIZADO. */
  bankReason: string | null;
  requestedAt: string;
  settledAt: string | null;
  error: string | null;
}

/**
 * A charge as every screen, the CLI and the events see it. `kind: 'static'` is an offline BR Code "a confirmar":
 * its payment is confirmed only when GET /pix reports its txid.
 */
export interface ChargeView {
  id: string;
  txid: string;
  accountId: string;
  till: string | null;
  kind: 'dynamic' | 'static';
  status: ChargeStatus;
  amountCents: number;
  description: string | null;
  pixKey: string;
  expiresIn: number;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
  paidCents: number | null;
  e2eid: string | null;
  payer: { name: string | null; document: string | null } | null;
  /** Pix Copia e Cola (dynamic: from the bank; static: built here). */
  brCode: string | null;
  location: string | null;
  bankStatus: string | null;
  revision: number | null;
  refundedCents: number;
  refundPendingCents: number;
  refunds: RefundView[];
  error: { code: string; message: string } | null;
  /** Set when this dynamic charge was given up and an offline one made in its place. */
  replacedBy: string | null;
}

/** A Pix the bank reported as received; `chargeId: null` is a "Pix recebido" with no charge of ours. */
export interface ReceivedPixView {
  e2eid: string;
  accountId: string;
  chargeId: string | null;
  txid: string | null;
  amountCents: number;
  pixKey: string | null;
  receivedAt: string;
  payerName: string | null;
  payerDocument: string | null;
  payerMessage: string | null;
}

/** One page of a keyset-paginated list; pass `nextCursor` back to get the next page (null: no more). */
export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/** What an API app may do; each route of the local API names the one it needs. */
export type ApiScope = 'CHARGE_POST' | 'CHARGE_GET' | 'QRCODE_STATIC' | 'REFUND' | 'WEBHOOK';
export type ApiAppType = 'REST_API' | 'PLUGIN' | 'POS';

/** An API app as every screen and the CLI see it: never its AppID or secret (only the public clientId). */
export interface ApiAppView {
  id: string;
  name: string;
  type: ApiAppType;
  /** The account its charges go to (null: the default account at the time of each charge). */
  accountId: string | null;
  scopes: ApiScope[];
  /** Empty: any address that can reach the server (loopback by default). */
  allowedIps: string[];
  rateLimitPerMinute: number;
  clientId: string;
  status: 'active' | 'revoked';
  requestCount: number;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  createdAt: string;
  updatedAt: string;
  revokedAt: string | null;
  /** Restored from a backup: no AppID works until "Gerar novo AppID" (the old one cannot be checked here). */
  needsNewAppId: boolean;
}

/** The result of creating or regenerating an app: the only time its AppID is ever shown. */
export interface ApiAppCreated {
  app: ApiAppView;
  /** base64(`clientId:clientSecret`), sent raw as `Authorization: <AppID>`. Shown once; stored only as a hash. */
  appId: string;
}

/** One webhook delivery of an app, for the delivery log (the body is not included; no secret is). */
export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  url: string;
  event: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: string | null;
}

/** What the Cobranças list filters on (every field optional; days are São Paulo dates, inclusive). */
export interface ChargeListFilter {
  status?: ChargeStatus | undefined;
  accountId?: string | undefined;
  till?: string | undefined;
  /** First São Paulo day, "YYYY-MM-DD". */
  from?: string | undefined;
  /** Last São Paulo day, "YYYY-MM-DD" (inclusive). */
  to?: string | undefined;
  minCents?: number | undefined;
  maxCents?: number | undefined;
  /** Words of the payer or description, or the start of a txid / e2eid. */
  q?: string | undefined;
}

/** One row of the Cobranças table (the details come from charges:get). */
export interface ChargeListItem {
  id: string;
  txid: string;
  accountId: string;
  till: string | null;
  kind: 'dynamic' | 'static';
  status: ChargeStatus;
  amountCents: number;
  paidCents: number | null;
  description: string | null;
  payerName: string | null;
  /** Masked (as on a receipt); the full document is never stored. */
  payerDocument: string | null;
  e2eid: string | null;
  createdAt: string;
  paidAt: string | null;
}

/** Count and sums of a filter, and its rows per São Paulo day (newest first) for jumping through the list. */
export interface ChargeSummary {
  count: number;
  amountCents: number;
  paidCents: number;
  days: [day: string, count: number][];
}

export type ExportFormat = 'csv' | 'xlsx';

/** An export of the filtered charges, running in main. */
export interface ExportJobView {
  id: string;
  format: ExportFormat;
  /** Suggested name for the download, e.g. "cobrancas-20261123-1305.xlsx". */
  fileName: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  rows: number;
  total: number;
  bytes: number;
  error: string | null;
}

/** What `charges:export-progress` carries (the same fields as the job). */
export type ExportProgress = ExportJobView;

/** One piece of a finished export file. */
export interface ExportChunk {
  base64: string;
  nextOffset: number | null;
  size: number;
}

/** The fixed QR of a till ("QR fixo do caixa"): a reusable location whose URL always carries the till's current charge. */
export interface TillLocationView {
  accountId: string;
  till: string;
  locId: number;
  location: string;
  /** Pix Copia e Cola of the sticker (it never changes). */
  brCode: string;
  createdAt: string;
}

/** One entry of the audit log (who, when, what, about what), with its place in the hash chain. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** A page of the audit log, newest first; pass `nextBefore` back as `beforeSeq` (null: no more). */
export interface AuditPage {
  items: AuditEntryView[];
  nextBefore: number | null;
  total: number;
}

/** The result of checking the audit chain: intact, or the first broken entry and what is wrong there. */
export type AuditVerifyView =
  | { ok: true; entries: number; headSeq: number }
  | { ok: false; entries: number; seq: number; problem: string };

/** A person of this workstation as a page sees them (never a password or its hash). */
export interface UserView {
  id: string;
  name: string;
  role: 'admin' | 'finance' | 'cashier';
}

/** This page's own session: whether anyone exists yet, who is logged in, and whose lock screen it shows. */
export interface AuthStatusView {
  hasUsers: boolean;
  user: UserView | null;
  lockedName: string | null;
  idleMinutes: number;
}

/** Received total, count and average ticket (rounded to the cent) of a period. */
export interface DashboardTotals {
  count: number;
  cents: number;
  avgCents: number;
}

/** The Cobranças dashboard: what was received (Pix, with or without a charge), by São Paulo day. */
export interface ChargeDashboard {
  /** Today, a São Paulo day "YYYY-MM-DD". */
  day: string;
  /** Monday of this week (weeks run Monday–Sunday). */
  weekStart: string;
  range: 7 | 30;
  today: DashboardTotals;
  week: DashboardTotals;
  byAccount: { accountId: string; today: DashboardTotals; week: DashboardTotals }[];
  /** `till: null` with `direct: false` is a charge with no till (API); `direct: true` a Pix with no charge. */
  byTill: { till: string | null; direct: boolean; today: DashboardTotals; week: DashboardTotals }[];
  /** Received per day, oldest first, `range` days ending today (zeros included). */
  series: { day: string; count: number; cents: number }[];
}

/** One Pix in the daily reconciliation (at the bank, here, or both). */
export interface ReconcileLine {
  e2eid: string | null;
  txid: string | null;
  /** What PixDesk holds (for bank-only lines: what the bank lists). */
  amountCents: number;
  /** The bank's amount of a matched line (differs from `amountCents` only when something is wrong). */
  bankAmountCents: number | null;
  at: string;
  payerName: string | null;
  payerDocument: string | null;
  /** The charge of ours it paid (null: a direct transfer, or unknown here). */
  chargeId: string | null;
}

/** Local charges and received Pix of one São Paulo day against the bank's `GET /pix`. */
export interface DayReconciliation {
  day: string;
  accountId: string;
  checkedAt: string;
  /** False while the day is still running (compared up to now). */
  complete: boolean;
  matched: ReconcileLine[];
  bankOnly: ReconcileLine[];
  localOnly: ReconcileLine[];
  amountMismatches: number;
  totals: { matchedCents: number; bankOnlyCents: number; localOnlyCents: number; bankCents: number };
}

/** A backup being written for the screen (Ajustes → Backup): progress, then the file to download. */
export interface BackupJobView {
  id: string;
  /** Suggested name for the download, e.g. "pixdesk-backup-20261202-0455.pixdesk-backup". */
  fileName: string;
  state: 'running' | 'done' | 'failed';
  rows: number;
  total: number;
  bytes: number;
  error: string | null;
}

/** A backup file sent from the screen in pieces, before `backup:restore` reads it. */
export interface BackupUploadView {
  uploadId: string;
  size: number;
}

/** An account that came back from a backup without its certificate: it works again after a new onboarding. */
export interface RestoredAccountView {
  name: string;
  clientId: string;
  environment: Environment;
}

/** What a restore did. */
export interface BackupRestoreView {
  /** When and where the backup was made. */
  createdAt: string;
  appVersion: string;
  sourceProfileId: string;
  /** Rows written per table (people, accounts and apps already here are kept, not counted). */
  restored: Record<string, number>;
  /** People, accounts and apps of the backup that matched ones already in this profile (kept as they are). */
  merged: { users: number; accounts: number; apps: number };
  /** Accounts to onboard again with a new Itaú token (no certificate, key or secret is ever in a backup). */
  accountsToOnboard: RestoredAccountView[];
  /** API apps that need "Gerar novo AppID" (their old AppID cannot be checked under this profile's key). */
  appsNeedingAppId: number;
  /** Entries of the audit log after the restore (the backup's chain, this profile's earlier entries, the restore). */
  auditEntries: number;
  /** True when this profile's history was replaced (asked and confirmed). */
  replaced: boolean;
}
