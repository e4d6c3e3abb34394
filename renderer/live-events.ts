import type { PixdeskEvent } from '../main/core/contract/events';

type Listener = (event: PixdeskEvent) => void;

const listeners = new Set<Listener>();
let stop: (() => void) | null = null;

/**
 * Follow the live events of main. Every screen shares one underlying stream (one SSE connection in the browser
 * host, one IPC listener in Electron), opened with the first listener and closed with the last.
 */
export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  if (!stop) {
    stop =
      window.pixdesk?.subscribe?.((event) => {
        for (const l of [...listeners]) {
          try {
            l(event);
          } catch {
            // One broken screen must not stop the others from hearing about a payment.
          }
        }
      }) ?? null;
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && stop) {
      stop();
      stop = null;
    }
  };
}
