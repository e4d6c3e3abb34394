import type { Core, CoreOptions } from '../../../main/core/app';
import { ApiRuntime, type ApiServeOptions } from '../../../main/core/api-server';
import type { ApiScope } from '../../../main/core/contract';
import { coreWithAccount, rmProfile } from '../charges/support';

export const ALL_SCOPES: ApiScope[] = ['CHARGE_POST', 'CHARGE_GET', 'QRCODE_STATIC', 'REFUND', 'WEBHOOK'];

/** A profile with an onboarded sandbox account and the local API listening on a free loopback port. */
export async function startApi(o: { core?: Partial<CoreOptions>; serve?: ApiServeOptions; profileDir?: string } = {}) {
  const r = await coreWithAccount(o.core ?? {}, o.profileDir);
  const rt = await ApiRuntime.start(r.core, { port: 0, ...o.serve });
  const app = (name: string, scopes: ApiScope[] = ALL_SCOPES, extra: { allowedIps?: string[]; rateLimitPerMinute?: number } = {}) =>
    r.core.apps.create({ name, scopes, ...extra });
  let closed = false;
  const close = async (keepProfile = false) => {
    if (closed) return;
    closed = true;
    await rt.stop();
    await r.core.close();
    if (!keepProfile) rmProfile(r.profileDir);
  };
  return { ...r, rt, url: rt.url, app, close };
}

/** One request with an AppID, answering status, headers and the parsed JSON (or text). */
export async function call(url: string, path: string, init: { method?: string; appId?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.appId !== undefined) headers.authorization = init.appId;
  let body: string | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export type StartedApi = Awaited<ReturnType<typeof startApi>>;
export type { Core };
