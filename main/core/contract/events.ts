/**
 * The events of the contract: pushed one way, from main to every open screen (Electron: one IPC channel sent
 * only to our own windows; browser host: a Server-Sent Events stream under the same session rules as /rpc).
 * Like ops.ts this file has no runtime dependencies, so the preload and the browser bridge can import it.
 * Payloads carry ids and display data only, never a secret.
 */
import type { ChargeView, ExportProgress, ReceivedPixView, RefundView } from './types';

export const EVENTS = [
  'onboarding:changed',
  'charge:created',
  'charge:paid',
  'charge:expired',
  'charge:cancelled',
  'charge:refunded',
  'charge:updated',
  'pix:received',
  'charges:export-progress',
  'display:show',
] as const;

export type EventName = (typeof EVENTS)[number];

/** What each event carries. */
export interface EventPayloads {
  /** An onboarding session moved to another step (or failed, or was discarded). */
  'onboarding:changed': { id: string; status: string };
  /** A charge was stored and (dynamic) accepted by the bank, or (static) made offline "a confirmar". */
  'charge:created': { charge: ChargeView };
  /** The bank reported the payment of a charge (watcher or reconciliation). */
  'charge:paid': { charge: ChargeView };
  'charge:expired': { charge: ChargeView };
  'charge:cancelled': { charge: ChargeView };
  /** A refund was requested or changed state (EM_PROCESSAMENTO → DEVOLVIDO | NAO_REALIZADO). */
  'charge:refunded': { charge: ChargeView; refund: RefundView };
  /** Anything else about a charge changed (a pending creation finished or failed, a bank error was recorded). */
  'charge:updated': { charge: ChargeView };
  /** A Pix arrived with no charge of ours ("Pix recebido"). */
  'pix:received': { pix: ReceivedPixView };
  /** An export of charges moved on (rows written so far), finished, failed or was cancelled. */
  'charges:export-progress': ExportProgress;
  /** Someone asked (charges:showOnDisplay) that the customer display of `till` show this open charge again. */
  'display:show': { chargeId: string; till: string };
}

/** One event as it travels to the renderer. */
export type PixdeskEvent = { [K in EventName]: { name: K; payload: EventPayloads[K] } }[EventName];

/** The IPC channel every event travels on in Electron. */
export const EVENT_CHANNEL = 'pixdesk:event';

/** True when `name` is an event of the contract. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENTS as readonly string[]).includes(name);
}
