import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePixKey } from '../../brcode';
import type { AccountStore } from '../../accounts/account-store';
import { accountSummary } from '../../accounts/account-view';
import type { RenewalService } from '../../accounts/renewal';
import type { Handlers } from '../../contract';
import type { TokenCache } from '../../itau/token-cache';
import type { OnboardingService } from '../../onboarding/onboarding-service';
import { writeTokenSheet } from '../../sandbox';
import type { SandboxRuntime } from '../../sandbox-runtime';

type AccountHandlers = Pick<
  Handlers,
  | 'accounts:list' | 'accounts:rename' | 'accounts:setDefault' | 'accounts:setActive' | 'accounts:setPixKeys' | 'accounts:renew'
  | 'onboarding:importFile' | 'onboarding:importPaste' | 'onboarding:run' | 'onboarding:get' | 'onboarding:listOpen'
  | 'onboarding:discard' | 'onboarding:sandboxToken' | 'onboarding:setEndpoints' | 'accounts:awaitingOnboarding'
>;

export interface AccountHandlerDeps {
  accounts: AccountStore;
  renewal: RenewalService;
  tokens: TokenCache;
  onboarding: OnboardingService;
  sandbox: SandboxRuntime;
}

/** Contas and onboarding operations. Every result is a secret-free view. */
export function accountHandlers(d: AccountHandlerDeps): AccountHandlers {
  const view = (id: string) => accountSummary(d.accounts.get(id), d.accounts, d.renewal, d.tokens.secondsLeft(id));
  return {
    'accounts:list': () => d.accounts.list().map((a) => view(a.id)),
    'accounts:awaitingOnboarding': () => d.accounts.awaitingOnboarding().map((a) => ({ name: a.name, clientId: a.clientId, environment: a.environment })),
    'accounts:rename': (i) => (d.accounts.rename(i.id, i.name), view(i.id)),
    'accounts:setDefault': (i) => (d.accounts.setDefault(i.id), view(i.id)),
    'accounts:setActive': (i) => (d.accounts.setActive(i.id, i.active), view(i.id)),
    'accounts:setPixKeys': (i) => {
      const keys = [...new Set(i.keys.map((k) => parsePixKey(k).key))];
      d.accounts.setPixKeys(i.id, keys);
      return view(i.id);
    },
    'accounts:renew': async (i) => {
      await d.renewal.renew(i.id);
      return view(i.id);
    },
    'onboarding:importFile': (i) => d.onboarding.importFile(Buffer.from(i.dataBase64, 'base64'), i.fileName),
    'onboarding:importPaste': (i) => d.onboarding.importPaste(i.clientId, i.token),
    'onboarding:run': (i) => d.onboarding.run(i.id, i.form),
    'onboarding:setEndpoints': (i) => d.onboarding.setEndpoints(i.id, i, 'contract'),
    'onboarding:get': (i) => d.onboarding.get(i.id),
    'onboarding:listOpen': () => d.onboarding.listOpen(),
    'onboarding:discard': (i) => d.onboarding.discard(i.id),
    'onboarding:sandboxToken': async () => {
      // The sandbox "e-mails" a sheet: written to a private temp file and imported through the real importer.
      const sb = await d.sandbox.get();
      const issued = sb.state.issueToken({});
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-token-'));
      const file = path.join(dir, 'Credencial e Token.xlsx');
      try {
        writeTokenSheet(file, issued);
        return d.onboarding.importFile(fs.readFileSync(file), 'Credencial e Token.xlsx');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
