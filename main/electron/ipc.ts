import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { OPS, channelOf } from '../core/contract/ops';
import type { Dispatch } from '../core/contract/dispatch';
import { isAppUrl } from './window';

/** Only frames loaded from our own origin may call the contract (not a navigated-away or injected frame). */
function senderIsOurs(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && isAppUrl(frame.url);
}

/** The one place where IPC handlers are registered: one channel per operation of the contract. */
export function registerIpc(dispatch: Dispatch): void {
  for (const op of OPS) {
    ipcMain.handle(channelOf(op), async (event, input: unknown) => {
      if (!senderIsOurs(event)) {
        return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Chamada recusada: origem não reconhecida.' } };
      }
      return dispatch(op, input);
    });
  }
}
