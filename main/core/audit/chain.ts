import crypto from 'node:crypto';

/** The prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What one audit entry says, before it is chained. */
export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  /** Canonical JSON text (see {@link canonicalJson}). */
  details: string;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth and no whitespace: one text for one value, whatever order the
 * keys were written in, so the hash of an entry never depends on how its details were built.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * The hash of an entry: SHA-256 (hex) over a versioned, canonical serialisation of every field including the
 * previous hash, so changing any field of any entry changes its hash and breaks the link to the next one.
 */
export function entryHash(f: AuditFields): string {
  const text = canonicalJson(['pixdesk-audit-v1', f.seq, f.at, f.actor, f.action, f.subject, f.details, f.prevHash]);
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
