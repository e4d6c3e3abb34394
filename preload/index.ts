import { contextBridge, ipcRenderer } from 'electron';
import { channelOf, isOpName } from '../main/core/contract/ops';

/**
 * The only bridge between the sandboxed renderer and the main process: `window.pixdesk.invoke(op, input)`
 * for operations of the contract, nothing else. Unknown operation names never reach IPC.
 */
contextBridge.exposeInMainWorld('pixdesk', {
  shell: 'electron',
  invoke(op: unknown, input: unknown): Promise<unknown> {
    if (!isOpName(op)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } });
    }
    return ipcRenderer.invoke(channelOf(op), input);
  },
});
