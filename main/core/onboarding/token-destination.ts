import { AppError } from '../errors';
import { ITAU_STS_URL } from '../itau/endpoints';
import type { OnboardingEndpointsView } from '../contract/types';

/**
 * Where an onboarding's single-use temporary token goes. Kept apart from the form that `onboarding:run`
 * receives: whoever reaches the contract must not be able to send the token to a server of their choice by
 * spending it. Overrides are set by `onboarding:setEndpoints`, only with the destination host named back
 * (the confirmation), recorded with the time, and frozen once the request may have left.
 */
export interface StoredEndpoints {
  stsUrl: string | null;
  pixUrl: string | null;
  extraCaPem: string | null;
  /** Host the token is sent to (the STS URL's host, or Itaú's when only the Pix URL changes). */
  host: string;
  confirmedAt: string;
  confirmedBy: string;
}

export interface EndpointsRequest {
  stsUrl?: string | null | undefined;
  pixUrl?: string | null | undefined;
  extraCaPem?: string | null | undefined;
  /** The host the person was shown and accepted; must equal the token's destination host. */
  confirmHost?: string | undefined;
}

function httpsUrl(raw: string | null | undefined, label: string): string | null {
  const v = raw?.trim();
  if (!v) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new AppError('ENDPOINTS_INPUT', `${label} não é um endereço válido. Use um endereço https://.`);
  }
  if (u.protocol !== 'https:' || !u.host || u.username || u.password) {
    throw new AppError('ENDPOINTS_INPUT', `${label} precisa ser um endereço https:// (sem usuário e senha).`);
  }
  return v;
}

/** Host the token goes to with these overrides; null means the defaults (Itaú, or the local sandbox). */
export function tokenHost(stsUrl: string | null, pixUrl: string | null): string | null {
  if (stsUrl) return new URL(stsUrl).host;
  return pixUrl ? new URL(ITAU_STS_URL).host : null;
}

/**
 * Validate an override request and turn it into what is stored; null when it restores the defaults.
 * Throws ENDPOINTS_CONFIRM (naming the host) unless `confirmHost` names the token's destination exactly.
 */
export function confirmEndpoints(req: EndpointsRequest, at: Date, by: string): StoredEndpoints | null {
  const stsUrl = httpsUrl(req.stsUrl, 'A URL do STS');
  const pixUrl = httpsUrl(req.pixUrl, 'A URL da API Pix');
  const extraCaPem = req.extraCaPem?.trim() || null;
  if (extraCaPem && !stsUrl) {
    throw new AppError(
      'ENDPOINTS_INPUT',
      'Uma CA extra só vale junto com a URL do STS que ela autentica: informe também a URL do STS (por exemplo https://sts.itau.com.br, se for o proxy da sua empresa).',
    );
  }
  const host = tokenHost(stsUrl, pixUrl);
  if (!host) return null;
  if (req.confirmHost?.trim().toLowerCase() !== host.toLowerCase()) {
    throw new AppError(
      'ENDPOINTS_CONFIRM',
      `Confirme o destino do token: com estes endereços o token temporário (que vale uma única vez) será enviado para "${host}". Confira se é o Itaú ou o proxy da sua empresa e confirme esse endereço.`,
    );
  }
  return { stsUrl, pixUrl, extraCaPem, host, confirmedAt: at.toISOString(), confirmedBy: by };
}

/** Parse the stored column (null: defaults). */
export function readEndpoints(json: string | null): StoredEndpoints | null {
  if (!json) return null;
  return JSON.parse(json) as StoredEndpoints;
}

/** What the interface may see of the destination (the CA's content is not shown, only that there is one). */
export function endpointsView(ep: StoredEndpoints | null, locked: boolean): OnboardingEndpointsView {
  return {
    custom: ep !== null,
    host: ep?.host ?? null,
    stsUrl: ep?.stsUrl ?? null,
    pixUrl: ep?.pixUrl ?? null,
    customCa: !!ep?.extraCaPem,
    confirmedAt: ep?.confirmedAt ?? null,
    locked,
  };
}
