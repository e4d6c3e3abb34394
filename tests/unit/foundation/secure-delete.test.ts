import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, sandboxSheet, tempProfile } from '../accounts/support';

/**
 * A wiped onboarding session leaves no sealed token in the database file's free pages or in its WAL:
 * `secure_delete` zeroes freed content, and the wipe is checkpointed so older WAL frames do not keep it.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fileBytes(dir: string): Buffer {
  return Buffer.concat(['pixdesk.sqlite', 'pixdesk.sqlite-wal'].map((f) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)) : Buffer.alloc(0))));
}

describe('secure_delete', () => {
  it('is on for the app database and the sandbox database', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const core = openCore(dir);
    expect(core.db.pragma('secure_delete', { simple: true })).toBe(1);
    const sb = await core.sandbox.get();
    expect(sb.state.db.pragma('secure_delete', { simple: true })).toBe(1);
    await core.close();
  });

  it('a discarded session leaves no sealed token bytes in the file or the WAL', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const core = openCore(dir);
    const { bytes } = await sandboxSheet(core);
    const s = core.onboarding.importFile(bytes, 'Credencial e Token.xlsx');
    const sealed = (core.db.prepare('SELECT token_enc FROM onboarding_sessions WHERE id = ?').get(s.id) as { token_enc: Buffer }).token_enc;
    // A distinctive slice of the ciphertext (past the format byte and IV).
    const probe = sealed.subarray(29, 29 + 48);
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fileBytes(dir).includes(probe)).toBe(true); // the probe does find it while it is stored
    core.onboarding.discard(s.id);
    expect(fileBytes(dir).includes(probe)).toBe(false);
    await core.close();
    expect(fileBytes(dir).includes(probe)).toBe(false);
  });
});
