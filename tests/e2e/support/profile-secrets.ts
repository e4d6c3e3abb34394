import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { importCredentialFile } from '../../../main/core/onboarding/credential-import';
import { FileKeyProvider, Vault } from '../../../main/core/vault';

/**
 * Test-only: the secrets a profile holds, opened with its own vault (the e2e host runs with the key file), so a
 * test can assert none of them ever reached the page, an event, an HTTP body or the log.
 */
export function profileSecrets(profileDir: string, sheetFiles: string[]): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  for (const f of sheetFiles) {
    const c = importCredentialFile(fs.readFileSync(f), path.basename(f));
    out.push({ label: 'temporary token', value: c.token });
  }
  const db = new Database(path.join(profileDir, 'pixdesk.sqlite'));
  try {
    const vault = Vault.open(db, new FileKeyProvider({ profileDir }));
    for (const a of db.prepare('SELECT id, client_secret_enc FROM accounts').all() as { id: string; client_secret_enc: Buffer }[]) {
      out.push({ label: 'client secret', value: vault.openString('accounts', 'client_secret_enc', a.id, a.client_secret_enc) });
    }
    for (const k of db.prepare('SELECT id, private_key_enc FROM certificates').all() as { id: string; private_key_enc: Buffer }[]) {
      const pem = vault.openString('certificates', 'private_key_enc', k.id, k.private_key_enc);
      out.push({ label: 'private key PEM', value: pem });
      // The key's body, in case it travelled re-wrapped (another line width, JSON-escaped newlines).
      const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      out.push({ label: 'private key body', value: body.slice(64, 128) });
    }
  } finally {
    db.close();
  }
  return out;
}
