import { create } from 'zustand';
import type { AuthStatusView } from '../../main/core/contract';
import { authHooks, call } from '../bridge';

interface AuthState {
  status: AuthStatusView | null;
  /** A pending "confirme sua senha" request: resolved true when main accepted the password. */
  confirming: ((ok: boolean) => void) | null;
  load(): Promise<void>;
  askPassword(): Promise<boolean>;
  settle(ok: boolean): void;
}

/** This page's login state (as main reports it: auth:status) and the password-again prompt. */
export const useAuth = create<AuthState>((set, get) => ({
  status: null,
  confirming: null,
  async load() {
    const r = await call('auth:status', {});
    if (r.ok) set({ status: r.value });
  },
  askPassword() {
    get().confirming?.(false);
    return new Promise<boolean>((resolve) => set({ confirming: resolve }));
  },
  settle(ok) {
    get().confirming?.(ok);
    set({ confirming: null });
  },
}));

authHooks.onAuthLost = () => void useAuth.getState().load();
authHooks.askPassword = () => useAuth.getState().askPassword();
