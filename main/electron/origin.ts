/**
 * The app's own origin and the one test every guard of the Electron shell relies on. No electron import:
 * the rules are plain string/URL logic, so hostile input is tested directly.
 *
 * Why not `new URL(url).origin === 'app://pixdesk'`: for a scheme WHATWG does not call "special" (ours is
 * special only to Chromium, through registerSchemesAsPrivileged), Node's URL reports the origin "null", so
 * that comparison refused the app's own page. We compare the parts instead, and accept only the canonical
 * form Chromium hands us (lower-case scheme and host, no credentials, no port, path starting with "/").
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'pixdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Longest URL we bother to parse; Chromium caps URLs at 2 MB, ours are a few dozen characters. */
const MAX_URL_LENGTH = 8192;

/**
 * True when `s` holds a C0 control, a space, DEL, a C1 control or a backslash: never part of a canonical
 * URL Chromium reports, and the raw material of most parser-confusion tricks (WHATWG silently drops tabs
 * and newlines, treats "\\" as "/" in special schemes).
 */
export function hasControlSpaceOrBackslash(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c) return true;
  }
  return false;
}

/**
 * True when `raw` is a page or resource of the app's own origin (`app://pixdesk/…`).
 * Refuses everything else: the web, file://, javascript:, data:, blob:, about:blank, devtools://,
 * chrome://, look-alike hosts (`app://pixdesk.evil`), credentials (`app://pixdesk@evil`), ports,
 * non-canonical spellings (`APP://PIXDESK/`) and values that are not strings.
 */
export function isAppUrl(raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH || hasControlSpaceOrBackslash(raw)) return false;
  // The prefix check alone settles look-alikes: the authority must end right after "pixdesk".
  if (!raw.startsWith(`${APP_ORIGIN}/`)) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.host === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}
