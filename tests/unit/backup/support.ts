import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../../../main/core/app';
import { SETTINGS_KEYS } from '../../../main/core/app/settings';
import { backupColumns, BACKUP_TABLES, q } from '../../../main/core/backup/tables';
import { HEADER_BYTES, linesOf, openHeader, readFrames, type BackupCost } from '../../../main/core/backup/format';
import type { Db } from '../../../main/core/db';
import { FileKeyProvider } from '../../../main/core/vault';
import { seedCharges } from '../../fixtures/seed-charges';
import { FAST } from '../charges/support';
import { FORM, sandboxSheet } from '../accounts/support';

/** A cheap scrypt for tests (the product's N = 2^17 is asserted once in the format test). */
export const CHEAP: BackupCost = { log2N: 12, r: 8, p: 1 };
export const PASSPHRASE = 'cavalo bateria grampo correto';
export const LOGIN = { N: 2 ** 10, r: 8, p: 1 };

export function tempDir(prefix = 'pixdesk-bk-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A Core on a profile of "machine" `machineId`: another machine id means another device key, hence another vault. */
export function coreOn(profileDir: string, machineId: string): Core {
  return new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId }), shell: 'cli', version: '0.1.0', charges: FAST, loginScrypt: LOGIN });
}

export interface Seeded {
  core: Core;
  dir: string;
  accountId: string;
  /** Every secret the profile holds, as text: none may appear in a backup. */
  secrets: string[];
  appIdAuth: string;
}

/** A source profile: an onboarded sandbox account, `charges` seeded charges, an API app with a webhook, people, settings. */
export async function seededProfile(charges: number): Promise<Seeded> {
  const dir = tempDir();
  const core = coreOn(dir, 'machine-A');
  const sheet = await sandboxSheet(core);
  const s = core.onboarding.importFile(sheet.bytes, 'Credencial e Token.xlsx');
  const done = await core.onboarding.run(s.id, FORM);
  const accountId = done.accountId!;
  seedCharges(core.db, { count: charges, seed: 7 });
  const app = core.apps.create({ name: 'ERP da loja', type: 'REST_API', scopes: ['CHARGE_POST', 'CHARGE_GET', 'WEBHOOK'] });
  core.webhooks.create(app.app.id, { name: 'pagos', event: 'OPENPIX:CHARGE_COMPLETED', url: 'https://erp.example.com/hook', authorization: 'Bearer segredo-do-parceiro-123' } as never);
  core.auth.setup(undefined, 'Ana', 'senha da ana 123');
  core.auth.createUser('Caio', 'senha do caio 123', 'cashier');
  core.settings.set({ tillName: 'Caixa Central', merchantName: 'Padaria São João' });
  core.db.prepare("INSERT INTO till_locations (account_id, till, loc_id, location, created_at) VALUES (?, 'Caixa Central', 42, 'pix.example.com/qr/v2/abc', ?)").run(accountId, new Date().toISOString());
  // A few charges of the cashier.
  const caio = core.db.prepare("SELECT id FROM users WHERE name = 'Caio'").get() as { id: string };
  core.db.prepare('UPDATE charges SET created_by = ? WHERE rowid IN (SELECT rowid FROM charges ORDER BY rowid LIMIT 25)').run(caio.id);
  const creds = core.accounts.credentials(accountId);
  const keyBody = creds.keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const hook = core.db.prepare('SELECT id, secret_enc FROM api_webhooks').get() as { id: string; secret_enc: Buffer };
  const hookSecret = core.vault.openString('api_webhooks', 'secret_enc', hook.id, hook.secret_enc);
  const appSecret = Buffer.from(app.appId, 'base64').toString('utf8').split(':')[1]!;
  return {
    core, dir, accountId, appIdAuth: app.appId,
    secrets: [creds.clientSecret, creds.keyPem, keyBody.slice(0, 64), keyBody.slice(-64), sheet.token, app.appId, appSecret, hookSecret, 'segredo-do-parceiro-123'],
  };
}

/** The rows of every backed-up table as the backup sees them (non-secret columns), for before/after comparisons. */
export function snapshot(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of BACKUP_TABLES) {
    const cols = backupColumns(db, t);
    const where = t === 'settings' ? ` WHERE key IN (${SETTINGS_KEYS.map((k) => `'${k}'`).join(',')})` : '';
    out[t] = db.prepare(`SELECT ${cols.map(q).join(', ')} FROM ${q(t)}${where} ORDER BY ${t === 'audit_log' ? 'seq' : t === 'settings' ? 'key' : 'rowid'}`).raw().all();
  }
  for (const t of ['certificates', 'api_keys', 'api_webhooks', 'vault_meta', 'audit_head']) out[`(all) ${t}`] = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all();
  return out;
}

/** The decrypted text of a backup (test use: the product never writes it anywhere). */
export function decrypt(file: string, passphrase = PASSPHRASE): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const h = openHeader(fd, size, passphrase);
    return [...linesOf(readFrames(fd, size, h))].join('\n');
  } finally {
    fs.closeSync(fd);
  }
}

/** Offsets of each frame (its 4-byte length field) in a backup file. */
export function frameOffsets(bytes: Buffer): number[] {
  const out: number[] = [];
  let pos = HEADER_BYTES;
  while (pos < bytes.length) {
    out.push(pos);
    pos += 4 + bytes.readUInt32BE(pos) + 16;
  }
  return out;
}
