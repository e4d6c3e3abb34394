import { BrowserWindow } from 'electron';
import { EVENT_CHANNEL, type PixdeskEvent } from '../core/contract/events';
import { isAppUrl } from './origin';

/** What the forwarder needs from the core's event bus (core.events). */
export interface EventSource {
  subscribe(listener: (event: PixdeskEvent) => void): () => void;
}

/**
 * Forward every event of the core to the windows that show our own page, on the one IPC channel of the
 * contract. A window navigated elsewhere (the guards should make that impossible) or being torn down gets
 * nothing: events carry display data, and only our renderer is meant to see them. Returns the function
 * that stops forwarding.
 */
export function forwardEvents(
  source: EventSource,
  windows: () => BrowserWindow[] = () => BrowserWindow.getAllWindows(),
  /** Whether this window's contents may receive the event (who is logged in there: Core.eventAllowed). */
  allow: (contents: object, event: { name: string; payload: unknown }) => boolean = () => true,
): () => void {
  return source.subscribe((event) => {
    // Only the two fields of the contract travel, whatever else an event object might carry.
    const message = { name: event.name, payload: event.payload };
    for (const win of windows()) {
      if (win.isDestroyed()) continue;
      const contents = win.webContents;
      if (contents.isDestroyed() || !isAppUrl(contents.getURL())) continue;
      if (!allow(contents, message)) continue;
      contents.send(EVENT_CHANNEL, message);
    }
  });
}
