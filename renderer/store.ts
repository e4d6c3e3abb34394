import { create } from 'zustand';
import type { AppInfo } from '../main/core/contract';
import { call } from './bridge';

export type Section = 'contas' | 'cobrancas' | 'caixa' | 'apps' | 'ajustes' | 'auditoria';
export const SECTIONS: readonly Section[] = ['contas', 'cobrancas', 'caixa', 'apps', 'ajustes', 'auditoria'];

/** Parse the hash route ("#/caixa") into a section; unknown routes fall back to Contas. */
export function sectionFromHash(hash: string): Section {
  const s = hash.replace(/^#\/?/, '').split(/[/?]/)[0] as Section;
  return SECTIONS.includes(s) ? s : 'contas';
}

interface AppState {
  info: AppInfo | null;
  loadError: string | null;
  section: Section;
  toast: { kind: 'ok' | 'error'; text: string } | null;
  go(section: Section): void;
  syncFromHash(): void;
  loadInfo(): Promise<void>;
  notify(kind: 'ok' | 'error', text: string): void;
  dismiss(): void;
}

/** Shell state: which section is open, the app info shown in the banner, and transient notices. */
export const useApp = create<AppState>((set) => ({
  info: null,
  loadError: null,
  section: sectionFromHash(window.location.hash),
  toast: null,
  go(section) {
    window.location.hash = `#/${section}`;
    set({ section });
  },
  syncFromHash() {
    set({ section: sectionFromHash(window.location.hash) });
  },
  async loadInfo() {
    const r = await call('app:info', {});
    if (r.ok) set({ info: r.value, loadError: null });
    else set({ loadError: r.error.message });
  },
  notify(kind, text) {
    set({ toast: { kind, text } });
  },
  dismiss() {
    set({ toast: null });
  },
}));
