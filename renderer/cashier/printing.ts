/**
 * The Caixa's printing: in Electron with a printer chosen in Ajustes, a silent print on it (main reads the printer
 * from the settings); otherwise, or when the silent print fails, the print dialog.
 */

/**
 * Print the current page: silently on Ajustes' printer in Electron, else (or on failure) with `window.print()`.
 * 'silent' when it printed without the dialog (no `afterprint` event follows then), 'dialog' otherwise.
 */
export async function printPage(): Promise<'silent' | 'dialog'> {
  const bridge = window.pixdesk;
  if (bridge?.shell === 'electron' && bridge.printSilently) {
    try {
      const r = await bridge.printSilently();
      if (r.ok) return 'silent';
    } catch {
      // fall back to the dialog: the receipt must still come out
    }
  }
  window.print();
  return 'dialog';
}
