import type { AccountSummary } from '../contract/types';
import type { AccountRow, AccountStore } from './account-store';
import type { RenewalService } from './renewal';

/** Project an account onto what the interface may see (no secret, no key). */
export function accountSummary(a: AccountRow, store: AccountStore, renewal: RenewalService, tokenSecondsLeft: number | null): AccountSummary {
  const c = store.currentCertificate(a.id);
  return {
    id: a.id,
    name: a.name,
    environment: a.environment,
    clientId: a.clientId,
    company: a.company,
    city: a.city,
    state: a.state,
    pixKeys: a.pixKeys,
    isDefault: a.isDefault,
    active: a.active,
    endpoints: { stsUrl: a.stsUrl, pixUrl: a.pixUrl, customCa: a.extraCaPem !== null, renewalPath: a.renewalPath },
    certificate: { version: c.version, subject: c.subject, serial: c.serial, fingerprint256: c.fingerprint256, notBefore: c.notBefore, notAfter: c.notAfter },
    renewal: renewal.status(a),
    tokenSecondsLeft,
    createdAt: a.createdAt,
  };
}
