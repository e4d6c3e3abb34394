/**
 * The IPC channel on which the Caixa asks for the customer display window. No runtime dependencies: the preload
 * imports it (like contract/ops.ts), and it is not an operation of the contract because only Electron has windows.
 */
export const DISPLAY_CHANNEL = 'pixdesk:display:open';
