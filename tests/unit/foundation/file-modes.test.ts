import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../accounts/support';

/** Every file of a profile is 0600 and the folder 0700, whoever created them; a loose device.key is refused. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-modes-'));
  dirs.push(d);
  return d;
}
const mode = (p: string) => fs.statSync(p).mode & 0o777;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [path.join(dir, e.name), ...walk(path.join(dir, e.name))] : [path.join(dir, e.name)]));
}

describe.skipIf(process.platform === 'win32')('profile file modes', () => {
  it('creates the database, its -wal/-shm, the sandbox files and the folders owner-only even under umask 022', async () => {
    const previous = process.umask(0o022);
    try {
      const dir = path.join(tmp(), 'perfil');
      const core = openCore(dir);
      await core.sandbox.get(); // the in-process sandbox writes its CA, keys and database under sandbox/
      core.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', 't')").run();
      expect(fs.existsSync(path.join(dir, 'pixdesk.sqlite-wal'))).toBe(true);
      expect(fs.existsSync(path.join(dir, 'sandbox'))).toBe(true);
      for (const p of [dir, ...walk(dir)]) {
        const isDir = fs.statSync(p).isDirectory();
        expect(`${path.relative(dir, p) || '.'} ${mode(p).toString(8)}`).toBe(`${path.relative(dir, p) || '.'} ${isDir ? '700' : '600'}`);
      }
      await core.close();
    } finally {
      process.umask(previous);
    }
  });

  it('narrows a profile someone else created loose (folder 0755, database 0644)', async () => {
    const dir = path.join(tmp(), 'perfil');
    const first = openCore(dir);
    await first.close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'pixdesk.sqlite'), 0o644);
    fs.mkdirSync(path.join(dir, 'sandbox'), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(dir, 'sandbox'), 0o755);
    fs.writeFileSync(path.join(dir, 'sandbox', 'leftover.pem'), 'x', { mode: 0o644 });
    const again = openCore(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'pixdesk.sqlite'))).toBe(0o600);
    expect(mode(path.join(dir, 'sandbox'))).toBe(0o700);
    expect(mode(path.join(dir, 'sandbox', 'leftover.pem'))).toBe(0o600);
    await again.close();
  });

  it('refuses a device.key readable by others, with the chmod to run, and opens again once fixed', async () => {
    const dir = path.join(tmp(), 'perfil');
    const first = openCore(dir);
    await first.close();
    const key = path.join(dir, 'device.key');
    fs.chmodSync(key, 0o644);
    let err: unknown;
    try {
      openCore(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'VAULT_KEYFILE_PERMISSIONS' });
    expect((err as Error).message).toContain(`chmod 600 "${key}"`);
    expect((err as Error).message).toMatch(/outros usuários/);
    expect(mode(key)).toBe(0o644); // not silently "fixed"
    fs.chmodSync(key, 0o600);
    const fixed = openCore(dir);
    await fixed.close();
  });
});
