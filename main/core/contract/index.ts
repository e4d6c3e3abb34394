import { z } from 'zod';
import type { OpName } from './ops';
import type { AccountSummary, AppInfo, BrCodeView, BuiltBrCode, OnboardingView, Settings } from './types';

export * from './ops';
export * from './types';

/** Declares an operation's input schema together with the TypeScript type of its output. */
function op<I extends z.ZodType, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O };
}

const empty = z.object({}).strict();

const brcodeBuildInput = z
  .object({
    key: z.string().trim().min(1).max(100),
    name: z.string().max(100),
    city: z.string().max(100),
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
  .max(300)
  .refine((u) => {
    try {
      return new URL(u).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'use um endereço https:// válido');
const pemCert = z.string().max(20_000).regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'esperado um certificado PEM');
const onboardingForm = z
  .object({
    name: z.string().trim().max(60),
    company: z.string().trim().min(1).max(64),
    city: z.string().trim().min(1).max(64),
    state: z.string().trim().length(2),
    environment: z.enum(['sandbox', 'production']),
    // No URL or CA here: the call that spends the token must not choose where it goes (onboarding:setEndpoints).
    renewalPath: z.enum(['v1', 'v2']).optional(),
    pixKeys: z.array(z.string().trim().min(1).max(77)).max(20).optional(),
  })
  .strict();
const endpointsInput = z
  .object({
    id,
    stsUrl: httpsUrl.nullable().optional(),
    pixUrl: httpsUrl.nullable().optional(),
    extraCaPem: pemCert.nullable().optional(),
    confirmHost: z.string().trim().min(1).max(300).optional(),
  })
  .strict();
const brcodeDecodeInput = z.object({ payload: z.string().min(1).max(1024) }).strict();
const brcodePngInput = z.object({ payload: z.string().min(1).max(512), size: z.number().int().min(128).max(2048).optional() }).strict();

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
        tillName: z.string().trim().min(1).max(40).optional(),
        renewalWindowDays: z.number().int().min(7).max(90).optional(),
        merchantName: z.string().trim().max(25).optional(),
        merchantCity: z.string().trim().max(15).optional(),
        lastPixKey: z.string().trim().max(77).optional(),
      })
      .strict(),
  ),
  'brcode:build': op<typeof brcodeBuildInput, BuiltBrCode>(brcodeBuildInput),
  'brcode:decode': op<typeof brcodeDecodeInput, BrCodeView>(brcodeDecodeInput),
  'brcode:png': op<typeof brcodePngInput, { base64: string }>(brcodePngInput),
  'accounts:list': op<typeof empty, AccountSummary[]>(empty),
  'accounts:rename': op<z.ZodType<{ id: string; name: string }>, AccountSummary>(z.object({ id, name: z.string().trim().min(1).max(60) }).strict()),
  'accounts:setDefault': op<typeof byId, AccountSummary>(byId),
  'accounts:setActive': op<z.ZodType<{ id: string; active: boolean }>, AccountSummary>(z.object({ id, active: z.boolean() }).strict()),
  'accounts:setPixKeys': op<z.ZodType<{ id: string; keys: string[] }>, AccountSummary>(
    z.object({ id, keys: z.array(z.string().trim().min(1).max(100)).max(20) }).strict(),
  ),
  'accounts:renew': op<typeof byId, AccountSummary>(byId),
  'onboarding:importFile': op<z.ZodType<{ fileName: string; dataBase64: string }>, OnboardingView>(
    z.object({ fileName: z.string().trim().min(1).max(255), dataBase64: z.string().min(1).max(36_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'conteúdo do arquivo inválido') }).strict(),
  ),
  'onboarding:importPaste': op<z.ZodType<{ clientId: string; token: string }>, OnboardingView>(
    z.object({ clientId: z.string().trim().min(1).max(100), token: z.string().trim().min(1).max(20_000) }).strict(),
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
} satisfies Record<OpName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type OpInput<K extends OpName> = z.infer<Contract[K]['input']>;
export type OpOutput<K extends OpName> = Contract[K]['output'];
export type Handlers = { [K in OpName]: (input: OpInput<K>) => Promise<OpOutput<K>> | OpOutput<K> };
