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
}
