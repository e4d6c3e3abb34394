import { z } from 'zod';
import { BACKUP_UPLOAD_CHUNK, isHttpsUrl, isUf, MAX_IMPORT_BASE64, PEM_CERT_RE, RENEWAL_WINDOW_DAYS, TEXT_LIMITS as L } from './limits';
import type { OpName } from './ops';
import type { CallContext } from '../auth/session';
import type {
  AccountSummary, BackupJobView, BackupRestoreView, BackupUploadView, RestoredAccountView, ApiAppCreated, ApiAppView, AuditPage, AuditVerifyView, AuthStatusView, UserView, WebhookDeliveryView, AppInfo, BrCodeView, BuiltBrCode, ChargeDashboard, ChargeListItem, ChargeSummary, ChargeView, DayReconciliation, ExportChunk, ExportJobView, OnboardingView, PageOf, ReceivedPixView, Settings, TillLocationView,
} from './types';

export * from './ops';
export * from './types';

/** Declares an operation's input schema together with the TypeScript type of its output. */
function op<I extends z.ZodType, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O };
}

const empty = z.object({}).strict();

/** A trimmed text of at most `max` characters whose error says so in plain pt-BR (the form shows it on its field). */
function text(max: number, required = false) {
  const s = z.string().trim().max(max, `Use no máximo ${max} caracteres.`);
  return required ? s.min(1, 'Campo obrigatório.') : s;
}

const brcodeBuildInput = z
  .object({
    key: z.string().trim().min(1).max(100),
    name: z.string().max(L.merchantTyped),
    city: z.string().max(L.merchantTyped),
    amount: z.string().max(20).nullable().optional(),
    description: z.string().max(200).nullable().optional(),
    txid: z.string().max(40).nullable().optional(),
  })
  .strict();
const id = z.string().uuid();
const byId = z.object({ id }).strict();
const httpsUrl = z
  .string()
  .trim()
  .max(L.url)
  .refine(isHttpsUrl, 'use um endereço https:// válido');
const pemCert = z.string().max(L.caPem).regex(PEM_CERT_RE, 'esperado um certificado PEM');
const onboardingForm = z
  .object({
    name: text(L.accountName),
    company: text(L.company, true),
    city: text(L.city, true),
    state: z.string().trim().refine(isUf, 'Selecione a UF.'),
    environment: z.enum(['sandbox', 'production']),
    // No URL or CA here: the call that spends the token must not choose where it goes (onboarding:setEndpoints).
    renewalPath: z.enum(['v1', 'v2']).optional(),
    pixKeys: z.array(text(L.pixKey, true)).max(L.pixKeysPerAccount).optional(),
  })
  .strict();
const endpointsInput = z
  .object({
    id,
    stsUrl: httpsUrl.nullable().optional(),
    pixUrl: httpsUrl.nullable().optional(),
    extraCaPem: pemCert.nullable().optional(),
    confirmHost: z.string().trim().min(1).max(L.url).optional(),
  })
  .strict();
const brcodeDecodeInput = z.object({ payload: z.string().min(1).max(1024) }).strict();
const brcodePngInput = z.object({ payload: z.string().min(1).max(512), size: z.number().int().min(128).max(2048).optional() }).strict();

/** Amount in integer cents, within what the Pix API carries (`\d{1,10}\.\d{2}`). */
const amountCents = z
  .number({ error: 'informe o valor em centavos (ex.: 1050 para R$ 10,50)' })
  .int({ error: 'o valor deve ser em centavos inteiros (ex.: 1050 para R$ 10,50): o Pix não tem frações de centavo' })
  .positive({ error: 'o valor deve ser maior que zero' })
  .max(999_999_999_999, { error: 'o valor passa do máximo do Pix (R$ 9.999.999.999,99)' });
const chargeStatus = z.enum(['creating', 'active', 'pending_confirmation', 'paid', 'expired', 'cancelled', 'failed']);
const pageCursor = z.string().max(300).optional();
const pageLimit = z.number().int().min(1).max(200).default(50);
const chargeCreateInput = z
  .object({
    accountId: id.optional(),
    amountCents,
    description: z.string().max(140, { error: 'a descrição tem no máximo 140 caracteres' }).optional(),
    expiresIn: z.number().int({ error: 'a validade é em segundos inteiros' }).min(1, { error: 'a validade deve ser de pelo menos 1 segundo' }).max(2_147_483_647).optional(),
    key: z.string().trim().min(1).max(100).optional(),
    till: z.string().trim().min(1).max(40).optional(),
    offline: z.union([z.boolean(), z.literal('fallback')]).optional(),
    tillQr: z.boolean().optional(),
  })
  .strict();
const chargeListInput = z
  .object({ status: chargeStatus.optional(), accountId: id.optional(), till: z.string().max(40).optional(), q: z.string().max(100).optional(), cursor: pageCursor, limit: pageLimit })
  .strict();
const chargeRefundInput = z.object({ id, amountCents: amountCents.optional(), reason: z.string().max(140).optional() }).strict();
const pixListInput = z
  .object({ accountId: id.optional(), unmatchedOnly: z.boolean().optional(), q: z.string().max(100).optional(), cursor: pageCursor, limit: pageLimit })
  .strict();
const tillLocationInput = z.object({ accountId: id.optional(), till: z.string().trim().min(1).max(L.tillName).optional() }).strict();
const auditListInput = z
  .object({ beforeSeq: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(200).default(50), action: z.string().max(60).optional() })
  .strict();
const personName = z.string().trim().min(1, 'Informe o nome.').max(60, 'Use no máximo 60 caracteres.');
const password = z.string().min(1, 'Informe a senha.').max(200, 'Use no máximo 200 caracteres.');
const credentialsInput = z.object({ name: personName, password }).strict();
const confirmInput = z.object({ password }).strict();
const createUserInput = z.object({ name: personName, password, role: z.enum(['admin', 'finance', 'cashier'], 'Escolha o perfil: administrador, financeiro ou caixa.') }).strict();
const accountKeyInput = z.object({ id, key: z.string().trim().min(1).max(100) }).strict();
const apiScope = z.enum(['CHARGE_POST', 'CHARGE_GET', 'QRCODE_STATIC', 'REFUND', 'WEBHOOK'], { error: 'escopo desconhecido (use CHARGE_POST, CHARGE_GET, QRCODE_STATIC, REFUND ou WEBHOOK)' });
const apiScopes = z.array(apiScope).min(1, { error: 'escolha pelo menos um escopo' }).max(5);
const ipEntry = z.string().trim().min(2).max(64);
const rateLimitPerMinute = z.number().int({ error: 'o limite é em requisições por minuto (inteiro)' }).min(1).max(10_000_000);
const appCreateInput = z
  .object({
    name: z.string().trim().min(1, { error: 'dê um nome ao app' }).max(60),
    type: z.enum(['REST_API', 'PLUGIN', 'POS']).default('REST_API'),
    accountId: id.optional(),
    scopes: apiScopes,
    allowedIps: z.array(ipEntry).max(20).optional(),
    rateLimitPerMinute: rateLimitPerMinute.optional(),
  })
  .strict();
const appUpdateInput = z
  .object({ id, name: z.string().trim().min(1).max(60).optional(), scopes: apiScopes.optional(), allowedIps: z.array(ipEntry).max(20).optional(), rateLimitPerMinute: rateLimitPerMinute.optional() })
  .strict();

/** A São Paulo calendar day, "AAAA-MM-DD". */
const spDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'use uma data no formato AAAA-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: 'data inexistente' });
const filterCents = z.number().int({ error: 'valor em centavos inteiros' }).min(0).max(999_999_999_999);
/** The filter of the Cobranças list, shared by the page, the totals and the export. */
const chargeFilter = z
  .object({
    status: chargeStatus.optional(),
    accountId: id.optional(),
    till: z.string().trim().min(1).max(40).optional(),
    from: spDay.optional(),
    to: spDay.optional(),
    minCents: filterCents.optional(),
    maxCents: filterCents.optional(),
    q: z.string().max(100).optional(),
  })
  .strict();
const chargeQueryInput = z
  .object({
    filter: chargeFilter,
    cursor: pageCursor,
    seek: z.object({ day: spDay, skip: z.number().int().min(0).max(10_000_000) }).strict().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
const chargeSummaryInput = z.object({ filter: chargeFilter }).strict();
const exportStartInput = z.object({ filter: chargeFilter, format: z.enum(['csv', 'xlsx']) }).strict();
const exportId = z.string().regex(/^[a-f0-9]{24}$/, { error: 'id de exportação inválido' });
const exportReadInput = z.object({ id: exportId, offset: z.number().int().min(0).max(2 ** 40) }).strict();
const exportCancelInput = z.object({ id: exportId }).strict();
const dashboardInput = z.object({ range: z.union([z.literal(7), z.literal(30)], { error: 'escolha 7 ou 30 dias' }).default(7), accountId: id.optional() }).strict();
/** A backup's passphrase as typed (its minimum is checked by the service, which says it in pt-BR). */
const backupPassphrase = z.string().min(1, 'Informe a senha do backup.').max(1024, 'Use no máximo 1024 caracteres.');
const backupId = z.string().regex(/^[a-f0-9]{24}$/, { error: 'id de backup inválido' });
const backupCreateInput = z.object({ passphrase: backupPassphrase }).strict();
const backupReadInput = z.object({ id: backupId, offset: z.number().int().min(0).max(2 ** 40) }).strict();
const backupUploadInput = z
  .object({
    uploadId: backupId.optional(),
    offset: z.number().int().min(0).max(2 ** 40),
    dataBase64: z.string().min(1).max(Math.ceil(BACKUP_UPLOAD_CHUNK / 3) * 4 + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'conteúdo do arquivo inválido'),
  })
  .strict();
const backupRestoreInput = z.object({ uploadId: backupId, passphrase: backupPassphrase, replace: z.boolean().optional() }).strict();
const reconcileDayInput = z.object({ accountId: id.optional(), day: spDay }).strict();

/**
 * The contract: one table of `domain:action` operations, each with a zod input schema and the type of
 * its result. Electron IPC, the browser host's `POST /rpc/<op>` and the CLI all dispatch through it.
 */
export const contract = {
  'app:info': op<typeof empty, AppInfo>(empty),
  'settings:get': op<typeof empty, Settings>(empty),
  'settings:set': op<z.ZodType<Partial<Settings>>, Settings>(
    z
      .object({
        tillName: text(L.tillName, true).optional(),
        renewalWindowDays: z
          .number(`Informe um número de dias de ${RENEWAL_WINDOW_DAYS.min} a ${RENEWAL_WINDOW_DAYS.max}.`)
          .int(`Use um número inteiro de dias, de ${RENEWAL_WINDOW_DAYS.min} a ${RENEWAL_WINDOW_DAYS.max}.`)
          .min(RENEWAL_WINDOW_DAYS.min, `Use de ${RENEWAL_WINDOW_DAYS.min} a ${RENEWAL_WINDOW_DAYS.max} dias.`)
          .max(RENEWAL_WINDOW_DAYS.max, `Use de ${RENEWAL_WINDOW_DAYS.min} a ${RENEWAL_WINDOW_DAYS.max} dias.`)
          .optional(),
        merchantName: text(L.merchantTyped).optional(),
        merchantCity: text(L.merchantTyped).optional(),
        lastPixKey: text(L.pixKey).optional(),
        idleLockMinutes: z.number('Informe os minutos (0 para nunca).').int('Use minutos inteiros.').min(0, 'Use de 0 a 240 minutos.').max(240, 'Use de 0 a 240 minutos.').optional(),
        printerName: text(L.printerName).optional(),
      })
      .strict(),
  ),
  'brcode:build': op<typeof brcodeBuildInput, BuiltBrCode>(brcodeBuildInput),
  'brcode:decode': op<typeof brcodeDecodeInput, BrCodeView>(brcodeDecodeInput),
  'brcode:png': op<typeof brcodePngInput, { base64: string }>(brcodePngInput),
  'accounts:list': op<typeof empty, AccountSummary[]>(empty),
  'accounts:rename': op<z.ZodType<{ id: string; name: string }>, AccountSummary>(z.object({ id, name: text(L.accountName, true) }).strict()),
  'accounts:setDefault': op<typeof byId, AccountSummary>(byId),
  'accounts:setActive': op<z.ZodType<{ id: string; active: boolean }>, AccountSummary>(z.object({ id, active: z.boolean() }).strict()),
  'accounts:setPixKeys': op<z.ZodType<{ id: string; keys: string[] }>, AccountSummary>(
    z.object({ id, keys: z.array(text(L.accountPixKey, true)).max(L.pixKeysPerAccount, `Use no máximo ${L.pixKeysPerAccount} chaves.`) }).strict(),
  ),
  'accounts:renew': op<typeof byId, AccountSummary>(byId),
  'onboarding:importFile': op<z.ZodType<{ fileName: string; dataBase64: string }>, OnboardingView>(
    z.object({ fileName: z.string().trim().min(1).max(L.fileName), dataBase64: z.string().min(1).max(MAX_IMPORT_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'conteúdo do arquivo inválido') }).strict(),
  ),
  'onboarding:importPaste': op<z.ZodType<{ clientId: string; token: string }>, OnboardingView>(
    z.object({ clientId: text(L.clientId, true), token: text(L.token, true) }).strict(),
  ),
  'onboarding:run': op<z.ZodType<{ id: string; form?: z.infer<typeof onboardingForm> | undefined }>, OnboardingView>(
    z.object({ id, form: onboardingForm.optional() }).strict(),
  ),
  /**
   * Endpoint overrides of a session (advanced): https only, `confirmHost` must name the host the token will be sent
   * to, recorded with the time; refused once the request may have left. Without URLs: back to the defaults.
   */
  'onboarding:setEndpoints': op<typeof endpointsInput, OnboardingView>(endpointsInput),
  'onboarding:get': op<typeof byId, OnboardingView>(byId),
  'onboarding:listOpen': op<typeof empty, OnboardingView[]>(empty),
  'onboarding:discard': op<typeof byId, OnboardingView>(byId),
  /** Sandbox only: the local sandbox issues a token sheet, imported as if Itaú had e-mailed it (the token never leaves main). */
  'onboarding:sandboxToken': op<typeof empty, OnboardingView>(empty),
  /** A dynamic charge at the bank (or, when asked or accepted with `offline`, a static BR Code "a confirmar"). */
  'charges:create': op<typeof chargeCreateInput, ChargeView>(chargeCreateInput),
  /** A charge, with its current state asked of the bank while it is open. */
  'charges:get': op<typeof byId, ChargeView>(byId),
  /** Newest first, keyset pages on (created_at, id). */
  'charges:list': op<typeof chargeListInput, PageOf<ChargeView>>(chargeListInput),
  'charges:cancel': op<typeof byId, ChargeView>(byId),
  /** Refund a paid charge (all that is left, or `amountCents`); asynchronous at the bank. */
  'charges:refund': op<typeof chargeRefundInput, ChargeView>(chargeRefundInput),
  /** The screen shows this charge: poll the bank every 2 s until it is paid, expired or cancelled. */
  'charges:watch': op<typeof byId, { watching: boolean }>(byId),
  'charges:unwatch': op<typeof byId, { watching: boolean }>(byId),
  /** Pix the bank reported as received (with or without a charge of ours), newest first. */
  'pix:listReceived': op<typeof pixListInput, PageOf<ReceivedPixView>>(pixListInput),
  'accounts:addPixKey': op<typeof accountKeyInput, AccountSummary>(accountKeyInput),
  'accounts:removePixKey': op<typeof accountKeyInput, AccountSummary>(accountKeyInput),
  /** A new API app; the result is the only place its AppID ever appears. */
  'apps:create': op<typeof appCreateInput, ApiAppCreated>(appCreateInput),
  'apps:list': op<typeof empty, ApiAppView[]>(empty),
  'apps:update': op<typeof appUpdateInput, ApiAppView>(appUpdateInput),
  /** A new AppID for the app; the old one stops working at once. */
  'apps:regenerate': op<typeof byId, ApiAppCreated>(byId),
  'apps:revoke': op<typeof byId, ApiAppView>(byId),
  /** The webhook delivery log of an app (`id`: the app), newest first. */
  'apps:deliveries': op<typeof byId, WebhookDeliveryView[]>(byId),
  /** Send a failed (or delivered) webhook delivery again (`id`: the delivery). */
  'apps:resendDelivery': op<typeof byId, WebhookDeliveryView>(byId),
  /** A page of the filtered Cobranças list, newest first: after `cursor` (keyset), or from a position inside one day (`seek`). */
  'charges:query': op<typeof chargeQueryInput, PageOf<ChargeListItem>>(chargeQueryInput),
  /** Count and sums of the filter, and its rows per São Paulo day. */
  'charges:summary': op<typeof chargeSummaryInput, ChargeSummary>(chargeSummaryInput),
  /** Export the filtered rows (CSV or XLSX) in the background; progress as `charges:export-progress` events. */
  'charges:exportStart': op<typeof exportStartInput, ExportJobView>(exportStartInput),
  /** A piece of a finished export, to save it as a download. */
  'charges:exportRead': op<typeof exportReadInput, ExportChunk>(exportReadInput),
  'charges:exportCancel': op<typeof exportCancelInput, ExportJobView>(exportCancelInput),
  /** Where an export is (for screens without the live event stream). */
  'charges:exportStatus': op<typeof exportCancelInput, ExportJobView>(exportCancelInput),
  /** The till's fixed QR (a reusable location at the bank, created at the first call): what its sticker prints. */
  'tills:location': op<typeof tillLocationInput, TillLocationView>(tillLocationInput),
  /** The audit log, newest first, paged by seq. */
  'audit:list': op<typeof auditListInput, AuditPage>(auditListInput),
  /** Walk the hash chain and the sealed head: intact, or the first broken entry. */
  'audit:verify': op<typeof empty, AuditVerifyView>(empty),
  /** The whole audit log as CSV (formulas neutralised), oldest first. */
  'audit:export': op<typeof empty, { fileName: string; csv: string }>(empty),
  /** This page's session (public: the first-run and lock screens need it). */
  'auth:status': op<typeof empty, AuthStatusView>(empty),
  /** First run only: create the first administrator and log this page in. */
  'auth:setup': op<typeof credentialsInput, UserView>(credentialsInput),
  'auth:login': op<typeof credentialsInput, UserView>(credentialsInput),
  'auth:logout': op<typeof empty, { loggedOut: true }>(empty),
  /** A person used the page (key, click, scroll): restarts the idle clock. Refreshes the screen makes by itself do not. */
  'auth:activity': op<typeof empty, { idleMinutes: number }>(empty),
  /** The password asked again before a sensitive operation (refunds, onboarding, endpoints, new people, renewal settings). */
  'auth:confirm': op<typeof confirmInput, { confirmed: true }>(confirmInput),
  'auth:listUsers': op<typeof empty, UserView[]>(empty),
  'auth:createUser': op<typeof createUserInput, UserView>(createUserInput),
  /** Today's and this week's received total, count and average ticket (by account, by till) and the last 7/30 days. */
  'charges:dashboard': op<typeof dashboardInput, ChargeDashboard>(dashboardInput),
  /** One São Paulo day of one account (default account when absent) against the bank's GET /pix, by E2EID/txid. */
  'charges:reconcileDay': op<typeof reconcileDayInput, DayReconciliation>(reconcileDayInput),
  /** Send an open charge to the customer display of its till again (`display:show`); refused once it cannot be paid. */
  'charges:showOnDisplay': op<typeof byId, { chargeId: string; till: string }>(byId),
  /** Start an encrypted backup of the non-secret data (docs/backup.md); follow it with backup:status. */
  'backup:create': op<typeof backupCreateInput, BackupJobView>(backupCreateInput),
  'backup:status': op<z.ZodType<{ id: string }>, BackupJobView>(z.object({ id: backupId }).strict()),
  /** A piece of a finished backup, to save it as a download (the file leaves the profile after the last piece). */
  'backup:read': op<typeof backupReadInput, ExportChunk>(backupReadInput),
  /** A piece of a backup file chosen on the screen, appended in order before backup:restore. */
  'backup:upload': op<typeof backupUploadInput, BackupUploadView>(backupUploadInput),
  /** Restore an uploaded backup (one transaction; refused over an existing history unless `replace`). */
  'backup:restore': op<typeof backupRestoreInput, BackupRestoreView>(backupRestoreInput),
  /** Accounts restored from a backup without certificate: they work again after a new onboarding of the same Client ID. */
  'accounts:awaitingOnboarding': op<typeof empty, RestoredAccountView[]>(empty),
} satisfies Record<OpName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type OpInput<K extends OpName> = z.infer<Contract[K]['input']>;
export type OpOutput<K extends OpName> = Contract[K]['output'];
/** Each handler gets its validated input and the caller's context (who is logged in on that page or window). */
export type Handlers = { [K in OpName]: (input: OpInput<K>, ctx?: CallContext) => Promise<OpOutput<K>> | OpOutput<K> };
