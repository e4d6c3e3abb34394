import type { OpInput, OpName, OpOutput, Result } from '../main/core/contract';
import type { PixdeskEvent } from '../main/core/contract/events';
import { subscribeStream } from './event-stream';
import { adoptSession, sessionHeaders } from './host-session';
import { messages } from './messages';

/** The object the preload (Electron) or this file (browser host) puts on `window.pixdesk`. */
export interface PixdeskBridge {
  shell: 'electron' | 'browser';
  invoke(op: string, input: unknown): Promise<unknown>;
  /** Live events from main (contract/events.ts); returns the function that unsubscribes. */
  subscribe?(listener: (event: PixdeskEvent) => void): () => void;
  /** Electron: open (or bring forward) the customer display window; true when it is shown. */
  openDisplay?(): Promise<boolean>;
  /** Electron: the machine's printers, for Ajustes. */
  listPrinters?(): Promise<{ name: string; displayName: string }[]>;
  /** Electron: print this page without the dialog on the printer chosen in Ajustes ('no-printer' when none). */
  printSilently?(): Promise<{ ok: true } | { ok: false; reason: string }>;
}

declare global {
  interface Window {
    pixdesk?: PixdeskBridge;
  }
}

/** Browser host: the same contract over `POST /rpc/<op>`, authenticated by this tab's session (host-session.ts). */
function browserBridge(): PixdeskBridge {
  return {
    shell: 'browser',
    async invoke(op, input) {
      try {
        const res = await fetch(`/rpc/${encodeURIComponent(op)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...sessionHeaders() },
          body: JSON.stringify(input ?? {}),
          credentials: 'omit',
        });
        if (res.status === 401) return { ok: false, error: { code: 'SESSION', message: messages.errors.session } };
        return (await res.json()) as unknown;
      } catch {
        return { ok: false, error: { code: 'OFFLINE', message: messages.errors.offline } };
      }
    },
    subscribe(listener) {
      return subscribeStream({ url: '/events', headers: sessionHeaders, fetch: (u, i) => fetch(u, i) }, listener);
    },
  };
}

if (!window.pixdesk) {
  adoptSession();
  window.pixdesk = browserBridge();
}

/**
 * What the login layer (renderer/auth) plugs in: told when main says this page is no longer logged in (lock or
 * logout elsewhere), and asked for the password again when an operation needs it. Set once by auth/store.ts.
 */
export const authHooks: { onAuthLost: () => void; askPassword: () => Promise<boolean> } = {
  onAuthLost: () => undefined,
  askPassword: () => Promise.resolve(false),
};

/**
 * Typed call of one operation of the contract. When main answers REAUTH_REQUIRED the password is asked again
 * (auth:confirm) and the call is made once more; AUTH_REQUIRED / AUTH_LOCKED bring up the login or lock screen.
 */
export async function call<K extends OpName>(op: K, input: OpInput<K>): Promise<Result<OpOutput<K>>> {
  const bridge = window.pixdesk ?? browserBridge();
  let r = (await bridge.invoke(op, input)) as Result<OpOutput<K>>;
  if (!r.ok && r.error.code === 'REAUTH_REQUIRED' && (await authHooks.askPassword())) {
    r = (await bridge.invoke(op, input)) as Result<OpOutput<K>>;
  }
  if (!r.ok && (r.error.code === 'AUTH_REQUIRED' || r.error.code === 'AUTH_LOCKED')) authHooks.onAuthLost();
  return r;
}
