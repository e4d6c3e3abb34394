import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { OPS, channelOf } from '../core/contract/ops';
import type { Dispatch } from '../core/contract/dispatch';
import { isAppUrl } from './origin';
import { AuthSession } from '../core/auth/session';

/** The answer to a call from a frame that is not ours (same shape as every contract error). */
export const FORBIDDEN_SENDER = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'Chamada recusada: origem não reconhecida.' },
} as const;

/**
 * Only frames loaded from our own origin may call the contract — not a page the window was navigated to,
 * not an injected or foreign frame. `senderFrame` is null when the frame already went away.
 */
export function senderIsOurs(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && isAppUrl(frame.url);
}

/**
 * Who is logged in, per window contents: each webContents has its own session (a second window logs in on its own),
 * forgotten with the contents (WeakMap).
 */
const identities = new WeakMap<object, AuthSession>();

/** The session of the webContents that sent a call (created on its first call). */
export function sessionOf(sender: unknown): AuthSession {
  // Electron always names a webContents; anything else gets a session of its own that is never remembered.
  if (typeof sender !== 'object' || sender === null) return new AuthSession(Date.now());
  let s = identities.get(sender);
  if (!s) {
    s = new AuthSession(Date.now());
    identities.set(sender, s);
  }
  return s;
}

/**
 * A window opened by a page for that page's own use (the customer display) acts with the opener's login, as the
 * browser host's handoff tab does: it hears the events of the opener's charges, and no one logs in on a screen
 * that faces the customer. It shares the session object, so logging out or an idle lock of the opener ends both.
 */
export function shareSession(opener: unknown, opened: object): void {
  identities.set(opened, sessionOf(opener));
}

/** The one place where IPC handlers are registered: one channel per operation of the contract. */
export function registerIpc(dispatch: Dispatch): void {
  for (const op of OPS) {
    ipcMain.handle(channelOf(op), async (event, input: unknown) => {
      if (!senderIsOurs(event)) return FORBIDDEN_SENDER;
      return dispatch(op, input, { session: sessionOf(event.sender) });
    });
  }
}
