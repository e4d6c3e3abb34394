/**
 * The names of every operation of the contract, in one plain list. The preload and the browser bridge
 * build `window.pixdesk` from it, so it must stay free of runtime dependencies.
 */
export const OPS = [
  'app:info',
  'settings:get',
  'settings:set',
  'brcode:build',
  'brcode:decode',
  'brcode:png',
  'accounts:list',
  'accounts:rename',
  'accounts:setDefault',
  'accounts:setActive',
  'accounts:setPixKeys',
  'accounts:renew',
  'onboarding:importFile',
  'onboarding:importPaste',
  'onboarding:run',
  'onboarding:get',
  'onboarding:listOpen',
  'onboarding:discard',
  'onboarding:sandboxToken',
  'charges:create',
  'charges:get',
  'charges:list',
  'charges:cancel',
  'charges:refund',
  'charges:watch',
  'charges:unwatch',
  'pix:listReceived',
  'accounts:addPixKey',
  'accounts:removePixKey',
  'onboarding:setEndpoints',
  'apps:create',
  'apps:list',
  'apps:update',
  'apps:regenerate',
  'apps:revoke',
  'apps:deliveries',
  'apps:resendDelivery',
  'charges:query',
  'charges:summary',
  'charges:exportStart',
  'charges:exportRead',
  'charges:exportCancel',
  'charges:exportStatus',
  'tills:location',
  'audit:list',
  'audit:verify',
  'audit:export',
  'auth:status',
  'auth:setup',
  'auth:login',
  'auth:logout',
  'auth:activity',
  'auth:confirm',
  'auth:listUsers',
  'auth:createUser',
  'charges:dashboard',
  'charges:reconcileDay',
  'charges:showOnDisplay',
  'backup:create',
  'backup:status',
  'backup:read',
  'backup:upload',
  'backup:restore',
  'accounts:awaitingOnboarding',
] as const;

export type OpName = (typeof OPS)[number];

/** The IPC channel of an operation (one table of channel names: this function). */
export function channelOf(op: OpName): string {
  return `pixdesk:${op}`;
}

/** True when `op` names an operation of the contract. */
export function isOpName(op: unknown): op is OpName {
  return typeof op === 'string' && (OPS as readonly string[]).includes(op);
}
