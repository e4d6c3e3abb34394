import type { CallContext } from '../auth/session';
import type { Handlers, OpName } from '../contract';
import { toErrorInfo } from '../errors';
import type { Logger } from '../log';
import type { AuditLog } from './audit-log';

/** Stable action codes of the audit log (the screen names them in pt-BR, renderer/messages.ts). */
export const AUDIT_ACTIONS = [
  'account.added',
  'account.changed',
  'certificate.issued',
  'certificate.renewed',
  'certificate.renewal_failed',
  'token.failed',
  'onboarding.endpoints',
  'onboarding.endpoints_refused',
  'onboarding.discarded',
  'charge.cancelled',
  'charge.refund',
  'charge.refund_refused',
  'settings.changed',
  'vault.protection_changed',
  'vault.key_rotated',
  'login',
  'login.failed',
  'logout',
  'app.created',
  'app.changed',
  'app.regenerated',
  'app.revoked',
  'backup.created',
  'backup.restored',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Appends an entry and never lets a failing audit write break the operation it describes (it is logged). */
export type AuditSink = (action: AuditAction, subject: string | null, details?: Record<string, unknown>) => void;

/** An {@link AuditSink} over a log: who acts comes from `actor()` at the time of the write. */
export function auditSink(audit: AuditLog, actor: () => string, log: Logger): AuditSink {
  return (action, subject, details = {}) => {
    try {
      audit.append(actor(), action, subject, details);
    } catch (e) {
      log.error({ err: e, action }, 'audit entry could not be written');
    }
  };
}

type Described = { action: AuditAction; subject: string | null; details: Record<string, unknown> };
type Describe = (input: Record<string, unknown>) => Described;

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The operations that change something worth auditing, and what of their (already validated) input is kept:
 * ids, hosts and plain values, never a token, key or file content.
 */
const AUDITED: Partial<Record<OpName, Describe>> = {
  'settings:set': (i) => ({ action: 'settings.changed', subject: null, details: { changed: i } }),
  'onboarding:setEndpoints': (i) => ({
    action: 'onboarding.endpoints',
    subject: str(i.id),
    details: { stsHost: hostOf(i.stsUrl), pixHost: hostOf(i.pixUrl), extraCa: typeof i.extraCaPem === 'string', confirmHost: str(i.confirmHost) },
  }),
  'onboarding:discard': (i) => ({ action: 'onboarding.discarded', subject: str(i.id), details: {} }),
  'charges:cancel': (i) => ({ action: 'charge.cancelled', subject: str(i.id), details: {} }),
  'charges:refund': (i) => ({ action: 'charge.refund', subject: str(i.id), details: { amountCents: i.amountCents ?? 'restante', reason: i.reason ?? null } }),
  'accounts:rename': (i) => ({ action: 'account.changed', subject: str(i.id), details: { op: 'rename', name: i.name } }),
  'accounts:setDefault': (i) => ({ action: 'account.changed', subject: str(i.id), details: { op: 'setDefault' } }),
  'accounts:setActive': (i) => ({ action: 'account.changed', subject: str(i.id), details: { op: 'setActive', active: i.active } }),
  'accounts:setPixKeys': (i) => ({ action: 'account.changed', subject: str(i.id), details: { op: 'setPixKeys', keys: i.keys } }),
  'accounts:addPixKey': (i) => ({ action: 'account.changed', subject: str(i.id), details: { op: 'addPixKey', key: i.key } }),
  'accounts:removePixKey': (i) => ({ action: 'account.changed', subject: str(i.id), details: { op: 'removePixKey', key: i.key } }),
  // API apps: what the app may do, never its AppID (it exists only in the create/regenerate answer).
  'apps:create': (i) => ({ action: 'app.created', subject: str(i.name), details: { type: i.type ?? null, scopes: i.scopes ?? null, allowedIps: i.allowedIps ?? null } }),
  'apps:update': (i) => ({ action: 'app.changed', subject: str(i.id), details: { scopes: i.scopes ?? null, allowedIps: i.allowedIps ?? null, rateLimitPerMinute: i.rateLimitPerMinute ?? null } }),
  'apps:regenerate': (i) => ({ action: 'app.regenerated', subject: str(i.id), details: {} }),
  'apps:revoke': (i) => ({ action: 'app.revoked', subject: str(i.id), details: {} }),
};

/** Refusals that are themselves worth an entry (someone tried). */
const REFUSED: Partial<Record<OpName, AuditAction>> = {
  'onboarding:setEndpoints': 'onboarding.endpoints_refused',
  'charges:refund': 'charge.refund_refused',
};

/**
 * The handlers with an audit entry appended after each audited operation (and each refused sensitive one), written
 * by the sink `sinkFor` gives for the caller (the person logged in on that page, or the shell).
 */
export function withAudit(handlers: Handlers, sinkFor: (ctx: CallContext) => AuditSink): Handlers {
  type H = (i: unknown, c: CallContext) => unknown;
  const out: Record<string, H> = { ...(handlers as unknown as Record<string, H>) };
  for (const [op, describe] of Object.entries(AUDITED) as [OpName, Describe][]) {
    const inner = out[op] as H;
    out[op] = async (input: unknown, ctx: CallContext = {}) => {
      const i = (input ?? {}) as Record<string, unknown>;
      const sink = sinkFor(ctx);
      try {
        const value = await inner(input, ctx);
        const d = describe(i);
        sink(d.action, d.subject, d.details);
        return value;
      } catch (e) {
        const refused = REFUSED[op];
        if (refused) sink(refused, describe(i).subject, { code: toErrorInfo(e).code });
        throw e;
      }
    };
  }
  return out as unknown as Handlers;
}
