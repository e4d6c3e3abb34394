import crypto from 'node:crypto';
import { CSP } from '../core/security/csp';

/**
 * Request guards of the browser host. Pure functions over header values so hostile input can be tested
 * without a socket: DNS rebinding (Host), cross-site requests (Origin) and the per-run token.
 */

/** Host header must name our loopback address and port exactly (blocks DNS-rebinding pages). */
export function isAllowedHost(hostHeader: unknown, port: number): boolean {
  if (typeof hostHeader !== 'string') return false;
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

/** Origin, when a browser sends one, must be our own origin; absent Origin is allowed only for GET. */
export function isAllowedOrigin(originHeader: unknown, port: number, method: string): boolean {
  if (originHeader === undefined) return method === 'GET' || method === 'HEAD';
  if (typeof originHeader !== 'string') return false;
  return originHeader === `http://127.0.0.1:${port}` || originHeader === `http://localhost:${port}`;
}

/** Constant-time comparison of a presented token with the run's token. */
export function tokenMatches(presented: unknown, token: string): boolean {
  if (typeof presented !== 'string' || presented.length !== token.length) return false;
  return crypto.timingSafeEqual(Buffer.from(presented), Buffer.from(token));
}

/** Read one cookie from a Cookie header without trusting its shape. */
export function readCookie(cookieHeader: unknown, name: string): string | undefined {
  if (typeof cookieHeader !== 'string' || cookieHeader.length > 8192) return undefined;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** The Content-Security-Policy of every page the host serves (the same module the Electron protocol uses). */
export { CSP };

/**
 * Powerful features the app never uses, turned off. Only names Chromium recognises: an unknown one (such as
 * "bluetooth", which Chromium does not implement as a policy feature) logs "Unrecognized feature" on every load.
 */
export const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'usb', 'serial', 'hid']
  .map((f) => `${f}=()`)
  .join(', ');

/** Headers sent with every response. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': PERMISSIONS_POLICY,
  'Cache-Control': 'no-store',
};
