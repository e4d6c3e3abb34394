/**
 * Shape checks for the two values Itaú delivers: the Client ID (a UUID) and the temporary token (a JWT).
 *
 * The JWT is only decoded, never verified: the signature is checked by Itaú when the token is used. Nothing
 * here logs or returns the token text in an error; callers must keep it that way.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const B64URL_RE = /^[A-Za-z0-9_-]+={0,2}$/;
/** Longest token accepted: real ones are about 1–2 KB. */
export const MAX_TOKEN_CHARS = 16_384;

/** Characters that spreadsheets and e-mail clients slip into copied values (NBSP, zero-width, BOM…). */
const INVISIBLE_RE = /[\s\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]/g;

/** Trim a cell/paste value: surrounding quotes, invisible characters and surrounding spaces go. */
export function cleanValue(raw: string): string {
  return raw
    .replace(/[\u00a0\u2007\u202f\u3000]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .trim()
    .replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '')
    .trim();
}

/**
 * The Client ID as a lower-case hyphenated UUID, or undefined when the value is not one. Braces, quotes and
 * stray spaces (including non-breaking) are tolerated.
 */
export function normalizeClientId(raw: string): string | undefined {
  const s = cleanValue(raw).replace(INVISIBLE_RE, '').replace(/^\{|\}$/g, '').toLowerCase();
  return UUID_RE.test(s) ? s : undefined;
}

/** Find UUIDs inside a longer text (used by the "lone UUID anywhere" fallback). */
export function findUuids(text: string): string[] {
  const out: string[] = [];
  const re = /(?<![0-9a-f-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/gi;
  for (const m of text.matchAll(re)) out.push(m[0].toLowerCase());
  return out;
}

/**
 * The token with whitespace, line breaks, invisible characters, quotes and a leading `Bearer ` removed
 * (sheets wrap long text; people paste with the header name).
 */
export function normalizeToken(raw: string): string {
  return cleanValue(raw)
    .replace(/^(?:authorization\s*:\s*)?bearer\s+/i, '')
    .replace(INVISIBLE_RE, '');
}

/** Decoded header and payload of a JWT. */
export interface JwtClaims {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!B64URL_RE.test(part)) return undefined;
  const text = Buffer.from(part.replace(/=+$/, ''), 'base64url').toString('utf8');
  if (!text.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    // JSON.parse creates own "__proto__" keys without touching prototypes; copying into a null-prototype
    // object keeps later lookups from ever reaching Object.prototype.
    return Object.assign(Object.create(null) as Record<string, unknown>, v);
  } catch {
    return undefined;
  }
}

/**
 * Decode a compact JWS (`header.payload.signature`, base64url, JSON object header and payload). Returns
 * undefined when the value is not a JWT; an encrypted JWE (5 parts) is not accepted.
 */
export function decodeJwt(token: string): JwtClaims | undefined {
  if (token.length < 10 || token.length > MAX_TOKEN_CHARS) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, sig] = parts as [string, string, string];
  if (sig !== '' && !B64URL_RE.test(sig)) return undefined;
  const header = decodeJsonPart(h);
  if (!header || 'enc' in header) return undefined;
  const payload = decodeJsonPart(p);
  if (!payload) return undefined;
  return { header, payload };
}

/** True when the value is shaped like a JWT (cheap test used while scanning cells). */
export function looksLikeJwt(value: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*={0,2}\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]*={0,2}$/.test(value) && decodeJwt(value) !== undefined;
}

/** The `exp` claim as an instant, or undefined when absent or unusable (a value in milliseconds is tolerated). */
export function jwtExpiry(claims: JwtClaims): Date | undefined {
  const raw = claims.payload.exp;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const ms = n > 1e11 ? n : n * 1000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() > 2200 ? undefined : d;
}

/** The `sub` claim, trimmed, or undefined when absent or not a string. */
export function jwtSubject(claims: JwtClaims): string | undefined {
  const sub = claims.payload.sub;
  return typeof sub === 'string' && sub.trim() !== '' ? sub.trim() : undefined;
}

/** Signature sizes (bytes) each JWS algorithm family can produce. */
function plausibleSignatureBytes(alg: string, n: number): boolean | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return n >= 128 && n <= 1024 && n % 8 === 0;
  if (alg === 'ES256' || alg === 'ES256K') return n === 64;
  if (alg === 'ES384') return n === 96;
  if (alg === 'ES512') return n === 132;
  if (/^HS(256|384|512)$/.test(alg)) return n >= 32;
  if (alg === 'EdDSA' || alg === 'Ed25519' || alg === 'Ed448') return n === 64 || n === 114;
  return undefined;
}

/**
 * True when the signature is too short for the header's algorithm: the token was cut (old `.xls` cells
 * and some exports stop at 255 characters; a partial copy). Unknown algorithms are given the benefit of
 * the doubt.
 */
export function jwtLooksTruncated(token: string, claims: JwtClaims): boolean {
  const alg = typeof claims.header.alg === 'string' ? claims.header.alg : '';
  const sig = token.slice(token.lastIndexOf('.') + 1).replace(/=+$/, '');
  const bytes = Math.floor((sig.length * 3) / 4);
  return plausibleSignatureBytes(alg, bytes) === false;
}

/**
 * True for the older Itaú delivery, where Client ID and token came encrypted with the company's public
 * key: a PEM/PGP armoured message, or a long base64 (or hex) blob that is not a JWT.
 */
export function looksLikeOldEncryptedBlob(raw: string): boolean {
  if (/-----BEGIN (?:PKCS7|CMS|PGP MESSAGE|ENCRYPTED|RSA ENCRYPTED|SMIME)/.test(raw)) return true;
  const s = raw.replace(INVISIBLE_RE, '');
  if (s.includes('.')) return false;
  if (s.length >= 128 && s.length <= 1_000_000 && /^[A-Za-z0-9+/]+={0,2}$/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s)) {
    return true;
  }
  if (s.length >= 256 && s.length <= 1_000_000 && /^[A-Za-z0-9_-]+$/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s)) {
    return true;
  }
  return s.length >= 256 && s.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(s);
}

/**
 * True when the text holds the start of a JWT (`eyJ…` then a dot and more base64url), in linear time: each
 * base64url run is looked at once. (The regular expression `/eyJ[A-Za-z0-9_-]{2,}={0,2}\.[A-Za-z0-9_-]+/` said
 * the same but backtracked over the whole run from every `eyJ` in it: a text of `eyJeyJ…` without a dot took
 * minutes per megabyte.)
 */
function hasJwtStart(text: string): boolean {
  const run = /[A-Za-z0-9_-]+/g;
  for (let m = run.exec(text); m; m = run.exec(text)) {
    const j = m[0].indexOf('eyJ');
    if (j < 0 || j > m[0].length - 5) continue;
    if (/^={0,2}\.[A-Za-z0-9_-]/.test(text.slice(run.lastIndex, run.lastIndex + 4))) return true;
  }
  return false;
}

/**
 * True for a text file (or text attachment) holding the older encrypted delivery: an armoured message or a
 * long base64 run (possibly wrapped over lines) and no JWT.
 */
export function textHasOldEncryptedBlob(text: string): boolean {
  if (/-----BEGIN (?:PKCS7|CMS|PGP MESSAGE|ENCRYPTED|RSA ENCRYPTED|SMIME)/.test(text)) return true;
  if (hasJwtStart(text)) return false;
  const joined = text.slice(0, 1_000_000).replace(/\s+/g, '');
  for (const m of joined.matchAll(/[A-Za-z0-9+/]{160,}={0,2}/g)) {
    if (/[A-Z]/.test(m[0]) && /[a-z]/.test(m[0]) && /\d/.test(m[0])) return true;
  }
  return false;
}

/**
 * True for binary content that is a CMS/PKCS#7 `envelopedData` (DER): what an encrypted `.p7m` attachment
 * holds.
 */
export function looksLikeDerEnvelopedData(bytes: Uint8Array): boolean {
  if (bytes.length < 20 || bytes[0] !== 0x30) return false;
  const oid = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 64)).indexOf(oid) >= 0;
}
