/**
 * The browser host's page session, on the page side. The host answers the launch URL (`/?token=…`) or a
 * one-time handoff link with index.html carrying a fresh session secret in `<meta name="pixdesk-session">`.
 * It is read once, kept in this tab's sessionStorage (survives a reload, not shared with other tabs or
 * sites) and sent as a header on every call; no cookie carries it, so other servers on 127.0.0.1 never see it.
 */
export const SESSION_HEADER = 'X-PixDesk-Session';
const KEY = 'pixdesk.session';

let secret: string | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the secret lives in memory for this page only
  }
}

/** Take the secret the host put in the page (once), then drop it and the token from the DOM and the address bar. */
export function adoptSession(): void {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="pixdesk-session"]');
  if (meta?.content) {
    secret = meta.content;
    storage()?.setItem(KEY, secret);
    meta.remove();
    // The launch token / handoff code must not stay in the address bar, history or a bookmark.
    if (location.search) history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
  } else {
    secret = storage()?.getItem(KEY) ?? null;
  }
}

/** Headers that authenticate a call to the host. */
export function sessionHeaders(): Record<string, string> {
  return secret ? { [SESSION_HEADER]: secret } : {};
}

/**
 * Open another tab of this app on `hash` (e.g. "#/display", the customer screen) with its own session: the host
 * gives a one-time code valid for a minute, so no secret is ever put in a URL that lasts.
 */
export async function openTab(hash: string): Promise<boolean> {
  try {
    const res = await fetch('/session/handoff', { method: 'POST', headers: { ...sessionHeaders(), 'Content-Type': 'application/json' }, body: '{}' });
    if (!res.ok) return false;
    const r = (await res.json()) as { ok: boolean; value?: { url: string } };
    if (!r.ok || !r.value) return false;
    window.open(`${r.value.url}${hash.startsWith('#') ? hash : `#${hash}`}`, '_blank', 'noopener');
    return true;
  } catch {
    return false;
  }
}
