import type { Db } from '../db';

/**
 * What a backup holds, table by table, in the order it is written and restored (parents before children).
 * Everything else stays out on purpose (docs/backup.md): `vault_meta` (the device-bound wrapping of the data key),
 * `certificates` and `onboarding_sessions` (private keys, tokens, the bank's answers), `renewal_state` (about
 * certificates that are not copied), `api_keys` (the sealed HMAC key of AppIDs), the webhook tables (signing keys,
 * the partner's Authorization header, queued bodies), and what triggers rebuild (`charges_daily`, the FTS tables).
 */
export const BACKUP_TABLES = [
  'settings',
  'users',
  'accounts',
  'api_apps',
  'api_app_audit',
  'charges',
  'received_pix',
  'refunds',
  'reconciliation_cursor',
  'till_locations',
  'charge_till_locs',
  'api_charges',
  'api_refunds',
  'api_qrcodes',
  'audit_log',
] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

/**
 * Columns never copied besides the sealed ones: the AppID's HMAC (useless under another vault's key, and it must not
 * become a working AppID again by accident) and the app-log's local sequence number.
 */
const DROPPED: Partial<Record<BackupTable, readonly string[]>> = {
  api_apps: ['secret_hash', 'secret_version'],
  api_app_audit: ['seq'],
};

/** A column sealed under the vault's data key: a secret, or bound to this device. Never in a backup. */
export function isSealedColumn(name: string): boolean {
  return name.endsWith('_enc') || name === 'sealed';
}

/** Columns of `table` that go into a backup (the table's own order). */
export function backupColumns(db: Db, table: BackupTable): string[] {
  const drop = DROPPED[table] ?? [];
  return (db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[])
    .map((c) => c.name)
    .filter((c) => !isSealedColumn(c) && !drop.includes(c));
}

/** The history a restore refuses to mix with another one (unless asked to replace it). */
export const HISTORY_TABLES = ['charges', 'received_pix', 'refunds', 'api_charges', 'api_qrcodes', 'till_locations', 'charge_till_locs'] as const;

/** What "replace" deletes before restoring, children first. People, accounts and apps are merged, never deleted. */
export const REPLACE_ORDER = ['api_refunds', 'api_charges', 'api_qrcodes', 'charge_till_locs', 'till_locations', 'refunds', 'received_pix', 'charges', 'reconciliation_cursor'] as const;

/** A quoted SQL identifier. */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
