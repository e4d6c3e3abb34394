/**
 * The events of the contract: pushed one way, from main to every open screen (Electron: one IPC channel sent
 * only to our own windows; browser host: a Server-Sent Events stream under the same session rules as /rpc).
 * Like ops.ts this file has no runtime dependencies, so the preload and the browser bridge can import it.
 * Payloads carry ids and display data only, never a secret.
 */
export const EVENTS = ['onboarding:changed'] as const;

export type EventName = (typeof EVENTS)[number];

/** What each event carries. */
export interface EventPayloads {
  /** An onboarding session moved to another step (or failed, or was discarded). */
  'onboarding:changed': { id: string; status: string };
}

/** One event as it travels to the renderer. */
export type PixdeskEvent = { [K in EventName]: { name: K; payload: EventPayloads[K] } }[EventName];

/** The IPC channel every event travels on in Electron. */
export const EVENT_CHANNEL = 'pixdesk:event';

/** True when `name` is an event of the contract. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENTS as readonly string[]).includes(name);
}
