/**
 * The IPC channels of silent printing (Electron only, like the customer display's channel): list the printers and
 * print the asking page. No runtime dependencies: the preload imports them.
 */
export const PRINTERS_CHANNEL = 'pixdesk:print:list';
export const PRINT_CHANNEL = 'pixdesk:print:silent';

/** The reason a silent print is not done because no printer is chosen in Ajustes: the page uses the dialog instead. */
export const NO_PRINTER = 'no-printer';

/** A printer as the renderer sees it: what Ajustes shows and stores, nothing more. */
export interface PrinterChoice {
  name: string;
  displayName: string;
}

/** The answer to a silent print: printed, or why not (Electron's reason, or ours for a refused call). */
export type SilentPrintResult = { ok: true } | { ok: false; reason: string };
