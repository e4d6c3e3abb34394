import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core, type CoreOptions } from '../../../main/core/app';
import { writeTokenSheet } from '../../../main/core/sandbox';
import { FileKeyProvider } from '../../../main/core/vault';

/** A fresh profile folder per test. */
export function tempProfile(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-acc-'));
}

/** A Core on a profile with a fixed machine id (same as a real one, minus the OS lookup). */
export function openCore(profileDir: string, extra: Partial<CoreOptions> = {}): Core {
  return new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId: 'test-machine' }), shell: 'cli', ...extra });
}

/** Ask the profile's sandbox for a temporary token and return the Excel bytes Itaú would e-mail. */
export async function sandboxSheet(core: Core, opts: { validHours?: number; clientId?: string } = {}): Promise<{ bytes: Buffer; clientId: string; token: string }> {
  const sb = await core.sandbox.get();
  const issued = sb.state.issueToken(opts);
  // The sheet holds a live token: it exists only while being read, never left in the system temp folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-sheet-'));
  try {
    const file = path.join(dir, 'Credencial e Token.xlsx');
    writeTokenSheet(file, issued);
    return { bytes: fs.readFileSync(file), clientId: issued.clientId, token: issued.token };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const FORM = { name: 'Loja Centro', company: 'Padaria São João Ltda', city: 'Maceió', state: 'AL', environment: 'sandbox' as const };
