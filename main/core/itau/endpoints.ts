import type { TlsOptions } from './http';

/** Itaú's STS and current Pix API base (contract/limits.ts, shared with the form); the older `https://secure.api.itau/pix_recebimentos/v2` can be set per account. */
import { ITAU_PIX_URL, ITAU_STS_URL } from '../contract/limits';

export { ITAU_PIX_URL, ITAU_STS_URL };

/** Where and how to reach the bank for one account. */
export interface ResolvedEndpoints {
  stsUrl: string;
  pixUrl: string;
  tls: Pick<TlsOptions, 'extraCa' | 'onlyExtraCa'>;
  renewalPath: 'v1' | 'v2';
}

/** The endpoint settings an account (or an onboarding form) carries. */
export interface EndpointSettings {
  environment: 'sandbox' | 'production';
  stsUrl: string | null;
  pixUrl: string | null;
  extraCaPem: string | null;
  renewalPath: 'v1' | 'v2';
}

/** Base URLs and CA of the profile's local sandbox, started on demand. */
export interface SandboxEndpoints {
  stsUrl: string;
  pixUrl: string;
  caPem: string;
}

/**
 * Resolve an account's endpoints. Overrides win; a sandbox account without overrides talks to the
 * profile's own sandbox (started in-process on demand, trusting only its CA); production defaults to Itaú.
 */
export async function resolveEndpoints(s: EndpointSettings, sandbox: () => Promise<SandboxEndpoints>): Promise<ResolvedEndpoints> {
  const extra = s.extraCaPem ? [s.extraCaPem] : [];
  if (s.environment === 'sandbox' && !s.stsUrl && !s.pixUrl) {
    const sb = await sandbox();
    return { stsUrl: sb.stsUrl, pixUrl: sb.pixUrl, tls: { extraCa: [sb.caPem, ...extra], onlyExtraCa: true }, renewalPath: s.renewalPath };
  }
  return {
    stsUrl: s.stsUrl ?? ITAU_STS_URL,
    pixUrl: s.pixUrl ?? ITAU_PIX_URL,
    tls: { extraCa: extra, onlyExtraCa: false },
    renewalPath: s.renewalPath,
  };
}
