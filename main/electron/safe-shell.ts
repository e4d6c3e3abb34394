import { shell } from 'electron';
import { hasControlSpaceOrBackslash } from './origin';

/**
 * The only door from the app to the system browser. `shell.openExternal` hands a URL to the OS, which
 * may run any registered handler (ms-settings:, file:, smb:, custom schemes of other apps), so a link the
 * renderer asks to open must be https on a host the app actually links to. Everything else is refused.
 */

/** Hosts the app links to: Itaú's developer portal and the Banco Central's Pix pages. Exact names only. */
export const EXTERNAL_HOSTS: readonly string[] = ['devportal.itau.com.br', 'www.itau.com.br', 'www.bcb.gov.br'];

const MAX_EXTERNAL_URL = 2048;

/**
 * The canonical URL to open when `raw` is an https link to an allowed host (default port, no
 * credentials); otherwise null. Callers open the returned value, never the raw input.
 */
export function allowedExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_EXTERNAL_URL || hasControlSpaceOrBackslash(raw)) return null;
  if (!raw.toLowerCase().startsWith('https://')) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  if (!EXTERNAL_HOSTS.includes(url.hostname)) return null;
  return url.href;
}

/**
 * Open `raw` in the system browser when the allow-list permits it. Returns whether it was handed to the
 * OS; a refused link is simply not opened (the renderer never learns more than "not opened").
 */
export function openExternalSafely(raw: unknown): boolean {
  const url = allowedExternalUrl(raw);
  if (url === null) return false;
  void shell.openExternal(url).catch(() => {
    // No browser configured: nothing to recover; the app keeps running.
  });
  return true;
}
