import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { TEXT_LIMITS } from '../core/contract/limits';
import { senderIsOurs } from './ipc';
import { NO_PRINTER, PRINT_CHANNEL, PRINTERS_CHANNEL, type PrinterChoice, type SilentPrintResult } from './print-channel';

/** The printers of this machine, as Ajustes lists them (only names: the rest of Electron's record stays here). */
async function printersOf(contents: WebContents): Promise<PrinterChoice[]> {
  const list = await contents.getPrintersAsync();
  return list.map((p) => ({ name: p.name, displayName: p.displayName || p.name }));
}

/**
 * Print the asking page with no dialog on the printer chosen in Ajustes. The page does not name the printer: main
 * reads it from the settings, so a page cannot send the job anywhere else; a name this machine no longer lists is
 * refused rather than left to Electron's default printer.
 */
async function printSilently(event: IpcMainInvokeEvent, chosen: () => string | undefined): Promise<SilentPrintResult> {
  if (!senderIsOurs(event)) return { ok: false, reason: 'forbidden-sender' };
  const deviceName = chosen() ?? '';
  if (deviceName.length === 0) return { ok: false, reason: NO_PRINTER };
  if (deviceName.length > TEXT_LIMITS.printerName) return { ok: false, reason: 'invalid-printer' };
  const contents = event.sender;
  const known = await printersOf(contents);
  if (!known.some((p) => p.name === deviceName)) return { ok: false, reason: 'unknown-printer' };
  return new Promise<SilentPrintResult>((resolve) => {
    contents.print({ silent: true, deviceName, printBackground: true }, (success, failureReason) => {
      resolve(success ? { ok: true } : { ok: false, reason: failureReason || 'failed' });
    });
  });
}

/**
 * Silent printing's IPC handlers: only our own frames may list printers or print; a foreign frame gets nothing.
 * `chosen` reads the printer stored in the settings (`printerName`) at each print, so a change in Ajustes applies now.
 */
export function registerPrintIpc(chosen: () => string | undefined): void {
  ipcMain.handle(PRINTERS_CHANNEL, async (event): Promise<PrinterChoice[]> => {
    if (!senderIsOurs(event)) return [];
    return printersOf(event.sender);
  });
  ipcMain.handle(PRINT_CHANNEL, (event) => printSilently(event, chosen));
}
