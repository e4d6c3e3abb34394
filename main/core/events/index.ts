import type { EventName, EventPayloads, PixdeskEvent } from '../contract/events';

export type EventListener = (event: PixdeskEvent) => void;

/**
 * The in-process event bus of one profile. Services publish; the shells (Electron windows, the browser host's
 * SSE stream) subscribe and forward. A listener that throws never stops the others or the publisher.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  /** Publish one event to every current subscriber. */
  publish<K extends EventName>(name: K, payload: EventPayloads[K]): void {
    const event = { name, payload } as PixdeskEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed window, a dropped stream) must not break the service that published.
      }
    }
  }

  /** Subscribe; returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of subscribers (for tests and diagnostics). */
  get size(): number {
    return this.listeners.size;
  }
}
