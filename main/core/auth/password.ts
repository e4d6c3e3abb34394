import crypto from 'node:crypto';

/** scrypt cost of a person's password: N = 2^15 (32 MiB, ~0.1 s here), r = 8, p = 1. */
export const LOGIN_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
export type LoginScryptCost = { N: number; r: number; p: number };

/** At least this many characters (a phrase is easier to remember than a short complex word). */
export const MIN_LOGIN_PASSWORD = 8;

/** `scrypt$N$r$p$salt$hash` (base64url salt and 32-byte hash): what `users.password_hash` holds. */
export function hashPassword(password: string, cost: LoginScryptCost = LOGIN_SCRYPT): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches the stored hash (constant-time compare; a malformed hash never matches). */
export function verifyPassword(password: string, stored: string): boolean {
  const [tag, n, r, p, salt, hash] = stored.split('$');
  if (tag !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (!Number.isInteger(N) || !Number.isInteger(R) || !Number.isInteger(P) || N < 2 || N > 2 ** 20 || R < 1 || R > 32 || P < 1 || P > 16) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = crypto.scryptSync(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: P, maxmem: 256 * N * R });
  return expected.length === 32 && crypto.timingSafeEqual(expected, got);
}
