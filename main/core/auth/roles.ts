import type { OpName } from '../contract/ops';

/** The roles of a workstation: admin (everything), finance (accounts, charges, refunds, reports), cashier (Caixa). */
export const ROLES = ['admin', 'finance', 'cashier'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call an operation. `public`: anyone with a page or window (no one logged in yet); a list: those roles,
 * once logged in. `reauth`: the password is asked again just before (see AuthService.confirm). `own`: a cashier
 * may only touch charges they created.
 */
export interface Access {
  roles: 'public' | readonly Role[];
  reauth?: true;
  own?: true;
}

const ALL: readonly Role[] = ROLES;
const FIN: readonly Role[] = ['admin', 'finance'];
const ADMIN: readonly Role[] = ['admin'];

/**
 * The one table of operation → roles, enforced in main by the dispatcher (core/auth/index.ts), never by hiding
 * buttons. Every operation of the contract must appear (the type says so); a new one is refused to every role
 * until it is added here.
 */
export const OP_ACCESS: Record<OpName, Access> = {
  'app:info': { roles: 'public' },
  'auth:status': { roles: 'public' },
  'auth:setup': { roles: 'public' },
  'auth:login': { roles: 'public' },
  'auth:logout': { roles: ALL },
  'auth:activity': { roles: ALL },
  'auth:confirm': { roles: ALL },
  'auth:listUsers': { roles: ADMIN },
  'auth:createUser': { roles: ADMIN, reauth: true },
  // Everyone reads settings (the Caixa uses the merchant fields); which fields a role may change is checked per field.
  'settings:get': { roles: ALL },
  'settings:set': { roles: ALL },
  'brcode:build': { roles: ALL },
  'brcode:decode': { roles: ALL },
  'brcode:png': { roles: ALL },
  'accounts:list': { roles: ALL },
  'accounts:rename': { roles: FIN },
  'accounts:setDefault': { roles: FIN },
  'accounts:setActive': { roles: FIN },
  'accounts:setPixKeys': { roles: FIN },
  'accounts:addPixKey': { roles: FIN },
  'accounts:removePixKey': { roles: FIN },
  'accounts:renew': { roles: FIN },
  'onboarding:importFile': { roles: FIN },
  'onboarding:importPaste': { roles: FIN },
  'onboarding:run': { roles: FIN, reauth: true },
  'onboarding:get': { roles: FIN },
  'onboarding:listOpen': { roles: FIN },
  'onboarding:discard': { roles: FIN },
  'onboarding:sandboxToken': { roles: FIN },
  'onboarding:setEndpoints': { roles: ADMIN, reauth: true },
  'charges:create': { roles: ALL },
  'charges:get': { roles: ALL, own: true },
  // A cashier's list holds only their own charges (filtered in the handler): the Caixa and the display need it.
  'charges:list': { roles: ALL },
  'charges:cancel': { roles: ALL, own: true },
  'charges:refund': { roles: FIN, reauth: true },
  'charges:watch': { roles: ALL, own: true },
  'charges:unwatch': { roles: ALL, own: true },
  'pix:listReceived': { roles: FIN },
  'charges:query': { roles: FIN },
  'charges:summary': { roles: FIN },
  'charges:exportStart': { roles: FIN },
  'charges:exportRead': { roles: FIN },
  'charges:exportCancel': { roles: FIN },
  'charges:exportStatus': { roles: FIN },
  'tills:location': { roles: ALL },
  'charges:dashboard': { roles: FIN },
  // Asks the bank for a day of received Pix: finance and admin only.
  'charges:reconcileDay': { roles: FIN },
  // Not destructive (no confirmation): anyone who may see the charge may put it on its till's display again.
  'charges:showOnDisplay': { roles: ALL, own: true },
  'apps:create': { roles: ADMIN, reauth: true },
  'apps:list': { roles: ADMIN },
  'apps:update': { roles: ADMIN, reauth: true },
  'apps:regenerate': { roles: ADMIN, reauth: true },
  'apps:revoke': { roles: ADMIN, reauth: true },
  'apps:deliveries': { roles: ADMIN },
  'apps:resendDelivery': { roles: ADMIN },
  'audit:list': { roles: ADMIN },
  'audit:verify': { roles: ADMIN },
  'audit:export': { roles: ADMIN },
  // Backups carry the whole history and people's password hashes: the administrator, with the password again to
  // make one or restore one (a restore can replace the history).
  'backup:create': { roles: ADMIN, reauth: true },
  'backup:status': { roles: ADMIN },
  'backup:read': { roles: ADMIN },
  'backup:upload': { roles: ADMIN },
  'backup:restore': { roles: ADMIN, reauth: true },
  'accounts:awaitingOnboarding': { roles: FIN },
};

/** Settings a role may change: the cashier and finance only what the Caixa saves (merchant and last key). */
export const SETTINGS_ACCESS: Record<string, { roles: readonly Role[]; reauth?: true }> = {
  merchantName: { roles: ALL },
  merchantCity: { roles: ALL },
  lastPixKey: { roles: ALL },
  tillName: { roles: ADMIN },
  renewalWindowDays: { roles: ADMIN, reauth: true },
  idleLockMinutes: { roles: ADMIN, reauth: true },
  printerName: { roles: ADMIN },
};
