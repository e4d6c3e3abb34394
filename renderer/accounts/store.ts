import { create } from 'zustand';
import type { AccountSummary, OnboardingView } from '../../main/core/contract';
import { call } from '../bridge';
import { messages } from '../messages';
import { fileToBase64, MAX_CREDENTIAL_BYTES } from './files';

/** How the onboarding wizard opens: from scratch, on the review of an imported sheet, or resuming a session. */
export type WizardStart = { kind: 'new' } | { kind: 'review'; view: OnboardingView } | { kind: 'resume'; view: OnboardingView };

interface AccountsState {
  accounts: AccountSummary[];
  sessions: OnboardingView[];
  /** When each account's summary was fetched (to count its cached access token down locally). */
  fetchedAt: Record<string, number>;
  loaded: boolean;
  error: string | null;
  wizard: WizardStart | null;
  reload(): Promise<void>;
  /** Replace one account in the list with a fresher summary (after rename, renew…). */
  put(a: AccountSummary): void;
  openWizard(start: WizardStart): void;
  closeWizard(): void;
}

/** The Contas screen's data: accounts, interrupted onboardings, and whether the wizard is open. */
export const useAccounts = create<AccountsState>((set) => ({
  accounts: [],
  sessions: [],
  fetchedAt: {},
  loaded: false,
  error: null,
  wizard: null,
  async reload() {
    const [a, s] = await Promise.all([call('accounts:list', {}), call('onboarding:listOpen', {})]);
    if (!a.ok) return set({ error: a.error.message, loaded: true });
    const now = Date.now();
    set({ accounts: a.value, sessions: s.ok ? s.value : [], fetchedAt: Object.fromEntries(a.value.map((x) => [x.id, now])), loaded: true, error: null });
  },
  put(a) {
    set((st) => ({ accounts: st.accounts.map((x) => (x.id === a.id ? a : x)), fetchedAt: { ...st.fetchedAt, [a.id]: Date.now() } }));
  },
  openWizard(start) {
    set({ wizard: start });
  },
  closeWizard() {
    set({ wizard: null });
  },
}));

export type ImportResult = { ok: true; view: OnboardingView } | { ok: false; message: string };

/** Send a dropped file to `onboarding:importFile`; every failure comes back as a pt-BR sentence. */
export async function importCredentialFile(file: File): Promise<ImportResult> {
  const m = messages.onboarding.import;
  if (file.size > MAX_CREDENTIAL_BYTES) return { ok: false, message: m.tooLarge(file.name) };
  let dataBase64: string;
  try {
    dataBase64 = await fileToBase64(file);
  } catch {
    return { ok: false, message: m.readFailed(file.name) };
  }
  if (!dataBase64) return { ok: false, message: m.empty(file.name) };
  const r = await call('onboarding:importFile', { fileName: file.name || 'arquivo', dataBase64 });
  // The browser host refuses bodies over its limit before the importer can say why.
  if (!r.ok && r.error.code === 'TOO_LARGE') return { ok: false, message: m.tooLarge(file.name) };
  return importResult(r);
}

export function importResult(r: { ok: true; value: OnboardingView } | { ok: false; error: { message: string } }): ImportResult {
  return r.ok ? { ok: true, view: r.value } : { ok: false, message: r.error.message || messages.errors.generic };
}
