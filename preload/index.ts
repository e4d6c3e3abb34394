import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, isEventName, type PixdeskEvent } from '../main/core/contract/events';
import { channelOf, isOpName } from '../main/core/contract/ops';
import { DISPLAY_CHANNEL } from '../main/electron/display-channel';
import { PRINT_CHANNEL, PRINTERS_CHANNEL, type PrinterChoice, type SilentPrintResult } from '../main/electron/print-channel';

/**
 * The only bridge between the sandboxed renderer and the main process, `window.pixdesk`:
 * `invoke(op, input)` for operations of the contract (unknown names never reach IPC) and
 * `subscribe(listener)` for its events. Nothing of Electron (no ipcRenderer, no IpcRendererEvent) crosses.
 */

/** An event as the renderer may see it: a known name and an object payload, nothing else. */
export function toPixdeskEvent(message: unknown): PixdeskEvent | null {
  if (typeof message !== 'object' || message === null) return null;
  const { name, payload } = message as { name?: unknown; payload?: unknown };
  if (!isEventName(name) || typeof payload !== 'object' || payload === null) return null;
  return { name, payload } as PixdeskEvent;
}

const bridge = {
  shell: 'electron' as const,
  invoke(op: unknown, input: unknown): Promise<unknown> {
    if (!isOpName(op)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } });
    }
    return ipcRenderer.invoke(channelOf(op), input);
  },
  /** Open (or bring forward) the customer display window; true when main opened it. */
  async openDisplay(): Promise<boolean> {
    return (await ipcRenderer.invoke(DISPLAY_CHANNEL)) === true;
  },
  /** The printers of this machine, for Ajustes (an empty list when main refuses). */
  async listPrinters(): Promise<PrinterChoice[]> {
    const list = (await ipcRenderer.invoke(PRINTERS_CHANNEL)) as unknown;
    return Array.isArray(list) ? (list as PrinterChoice[]) : [];
  },
  /** Print this page without the dialog on the printer chosen in Ajustes (main reads the name; the page cannot). */
  async printSilently(): Promise<SilentPrintResult> {
    return (await ipcRenderer.invoke(PRINT_CHANNEL)) as SilentPrintResult;
  },
  subscribe(listener: unknown): () => void {
    if (typeof listener !== 'function') return () => undefined;
    const onEvent = (_event: IpcRendererEvent, message: unknown): void => {
      const event = toPixdeskEvent(message);
      if (!event) return;
      try {
        (listener as (e: PixdeskEvent) => void)(event);
      } catch {
        // One broken screen must not stop the other subscribers (same rule as the core's EventBus).
      }
    };
    ipcRenderer.on(EVENT_CHANNEL, onEvent);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, onEvent);
    };
  },
};

contextBridge.exposeInMainWorld('pixdesk', bridge);
