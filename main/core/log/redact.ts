/**
 * Redaction for the log, in one place. Two layers, because secrets reach a log in two ways:
 *
 * - by name: an object logged with a `clientSecret`, `headers.authorization` or `err.details.token` at any
 *   depth. {@link sanitize} walks what is logged (errors and their causes included), replaces the value of
 *   every secret-named key, turns errors into plain objects and buffers into their size. Names are compared
 *   without case or separators, so `client_secret`, `Client-Secret` and `clientSecret` are one name: a
 *   wildcard over every path, not a list of paths that misses the next nesting level.
 * - by shape: a secret inside free text (an error message quoting a JWT, a form body, the STS answer with
 *   its `Secret:` line, a private key PEM). {@link redactText} runs over each finished log line. Its patterns
 *   never consume a quote or a backslash, so they are safe on JSON text.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

const SECRET_EXACT = new Set([
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'password', 'passwd', 'passphrase',
  'datakey', 'wrappedkey', 'rawkey', 'masterkey', 'appid', 'apikey', 'xapikey', 'pem', 'pemkey', 'csrkey',
]);

/** Normalised-name endings that mark a secret (`temporaryToken`, `accessTokenTemp`, `clientSecret`, `keyPem`, …). */
const SECRET_SUFFIXES = ['token', 'secret', 'privatekey', 'keypem', 'privatekeypem', 'password'];

/** True when a property named `key` holds a secret. */
export function isSecretKey(key: string): boolean {
  let k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SECRET_EXACT.has(k)) return true;
  if (k.endsWith('temp')) k = k.slice(0, -4); // OpenPix: ClientSecretTemp, AccessTokenTemp
  return SECRET_SUFFIXES.some((s) => k.endsWith(s)) || k.includes('secret') || k.includes('password');
}

/** Secret-looking parameter names inside text (`client_secret=…`, `"access_token":"…"`, `Secret: …`). */
const NAMED =
  /((?:client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token|temporary[_-]?token|app[_-]?id|password|secret|token)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)(?!\[redacted)[^"'\\\s,;&}]+/gi;
const PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[^"\\]|\\.)*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|(?=")|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/gi;

/** Replace secrets found by their shape in free text (see the file comment). */
export function redactText(s: string): string {
  if (s.length < 8) return s;
  return s
    .replace(PEM, '[redacted private key]')
    .replace(NAMED, `$1${REDACTED}`)
    .replace(JWT, '[redacted jwt]')
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

const MAX_DEPTH = 16;
const MAX_ITEMS = 100;

/** An error as a plain, secret-free object: type, code, message, stack, details, cause chain. */
function errorObject(e: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  const extra = e as unknown as Record<string, unknown>;
  for (const k of Object.keys(extra)) {
    if (k === 'message' || k === 'name' || k === 'stack' || k === 'cause') continue;
    out[k] = isSecretKey(k) ? REDACTED : sanitizeValue(extra[k], depth + 1, seen);
  }
  if (e.stack) out.stack = e.stack;
  if (e.cause !== undefined) out.cause = sanitizeValue(e.cause, depth + 1, seen);
  if (e instanceof AggregateError) out.errors = sanitizeValue(e.errors, depth + 1, seen);
  return out;
}

function sanitizeValue(v: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function' || typeof v === 'symbol') return undefined;
    return v;
  }
  if (seen.has(v)) return '[circular]';
  if (depth > MAX_DEPTH) return '[too deep]';
  if (v instanceof Uint8Array) return `[${v.length} bytes]`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  seen.add(v);
  try {
    if (v instanceof Error) return errorObject(v, depth, seen);
    if (Array.isArray(v)) {
      const items = v.slice(0, MAX_ITEMS).map((x) => sanitizeValue(x, depth + 1, seen));
      if (v.length > MAX_ITEMS) items.push(`[+${v.length - MAX_ITEMS} more]`);
      return items;
    }
    if (v instanceof Map) return sanitizeValue(Object.fromEntries(v), depth, seen);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretKey(k) ? REDACTED : sanitizeValue(x, depth + 1, seen);
    return out;
  } finally {
    seen.delete(v);
  }
}

/**
 * A copy of `value` safe to log: secret-named keys replaced at any depth, errors (with causes) as plain
 * objects, buffers as their size, cycles and excessive depth cut. Text is left to {@link redactText}.
 */
export function sanitize(value: unknown): unknown {
  return sanitizeValue(value, 0, new WeakSet());
}
