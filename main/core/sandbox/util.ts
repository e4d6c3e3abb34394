import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Brasília has had no daylight saving time since 2019: a fixed UTC−3 offset is exact for current dates. */
export const BRASILIA_OFFSET_MS = -3 * 3600_000;

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Random string over [a-zA-Z0-9] without modulo bias (62 does not divide 256). */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALNUM[b % 62];
    }
  }
  return out;
}

/** `yyyyMMddHHmm` in UTC, the timestamp part of Pix end-to-end and return ids. */
export function e2eTimestamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * A Pix end-to-end id as the SPI assigns it: `E` + payer PSP ISPB (8 digits) + yyyyMMddHHmm (UTC) + 11 alphanumerics,
 * 32 characters. Return ids (`rtrId`) use the same layout with `D`.
 */
export function pixEndToEndId(at: Date, ispb: string, prefix: 'E' | 'D' = 'E'): string {
  return `${prefix}${ispb}${e2eTimestamp(at)}${randomAlnum(11)}`;
}

/**
 * Format an instant for a Pix API response. With `quirk` on it imitates Itaú production: Brasília wall-clock time
 * followed by a `Z` that wrongly claims UTC. Clients must tolerate both.
 */
export function formatApiTime(at: Date | number, quirk: boolean): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(quirk ? ms + BRASILIA_OFFSET_MS : ms).toISOString();
}

/** RFC 3339 date-time with a mandatory offset (`Z` or ±hh:mm). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parse an RFC 3339 date-time; null when it is not one. `hasFraction` tells whether it carried sub-seconds. */
export function parseRfc3339(value: string): { ms: number; hasFraction: boolean } | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const ms = Date.parse(value.toUpperCase());
  if (Number.isNaN(ms)) return null;
  return { ms, hasFraction: m[7] !== undefined };
}

/** The calendar date (yyyy-mm-dd) in Brasília at an instant. */
export function brasiliaDate(at: Date): string {
  return new Date(at.getTime() + BRASILIA_OFFSET_MS).toISOString().slice(0, 10);
}

/** "10.50" → 1050. Callers validate the format first. */
export function toCents(valor: string): number {
  const [int = '0', frac = '00'] = valor.split('.');
  return Number(int) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
}

/** 1050 → "10.50". */
export function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** SHA-256 hex of a string (client secrets are random UUIDs, so a fast hash is enough). */
export function sha256Hex(text: string | Buffer): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Block the thread for `ms` (used only while waiting for another process to finish creating key files). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Run `fn` while holding a cross-process lock (an exclusive directory). Several processes (the app, `pixdesk
 * sandbox serve`, `pixdesk sandbox issue-token`) may create the same profile's keys at once; only one must win.
 * A lock older than 30 s is considered abandoned by a crashed process and taken over.
 */
export function withDirLock<T>(dir: string, name: string, fn: () => T): T {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, `.${name}.lock`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) {
          fs.rmSync(lock, { recursive: true, force: true });
          continue;
        }
      } catch {
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lock ${lock} held for too long`);
      sleepSync(25);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Write a file that holds test credentials: owner-only permissions, replaced atomically. */
export function writePrivateFile(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.${randomAlnum(6)}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Reduce a name to what a BR Code may carry in fields 59/60: printable ASCII without accents, trimmed, truncated.
 */
export function brCodeText(value: string | undefined | null, max: number, fallback: string): string {
  const ascii = (value ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, max)
    .trim();
  return ascii || fallback;
}
