import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { AppError } from '../../../main/core/errors';
import { FileKeyProvider } from '../../../main/core/vault';
import { Core } from '../../../main/core/app';
import { openCore, tempProfile } from '../accounts/support';
import { coreWithAccount, rmProfile } from '../charges/support';

/** Rotating the vault's data key: every sealed value re-encrypted in one transaction, or nothing at all. */
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

type Blobs = Record<string, string>;
function sealedBlobs(db: import('better-sqlite3').Database): Blobs {
  const out: Blobs = {};
  for (const [t, c] of [['accounts', 'client_secret_enc'], ['certificates', 'private_key_enc'], ['onboarding_sessions', 'token_enc'], ['audit_head', 'head_enc']] as const) {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(t);
    if (!exists) continue;
    for (const r of db.prepare(`SELECT id, ${c} AS v FROM ${t} WHERE ${c} IS NOT NULL`).all() as { id: unknown; v: Buffer }[]) out[`${t}.${c}.${String(r.id)}`] = r.v.toString('hex');
  }
  out.wrapped = (db.prepare('SELECT wrapped_key FROM vault_meta').get() as { wrapped_key: Buffer }).wrapped_key.toString('hex');
  return out;
}

describe('vault data key rotation', () => {
  it('re-encrypts every sealed column; the profile opens with the same provider, secrets and audit chain intact', async () => {
    const { core, account, profileDir } = await coreWithAccount();
    const before = core.accounts.credentials(account.id);
    // An API app: its AppID is checked with an HMAC key sealed in api_keys (`sealed`, keyed by name).
    const created = core.apps.create({ name: 'ERP', scopes: ['CHARGE_GET'] });
    const blobs = sealedBlobs(core.db);
    const hmacBefore = (core.db.prepare('SELECT sealed FROM api_keys').get() as { sealed: Buffer }).sealed.toString('hex');
    const r = core.vault.rotateDataKey(core.db, new FileKeyProvider({ profileDir, machineId: 'test-machine' }));
    expect(r.values).toBeGreaterThanOrEqual(3); // client secret, private key, audit head (+ the spent token)
    const after = sealedBlobs(core.db);
    for (const k of Object.keys(blobs)) expect(after[k], k).not.toBe(blobs[k]);
    // The running services use the new key at once.
    expect(core.accounts.credentials(account.id)).toEqual(before);
    core.auditAs('shell:cli')('vault.key_rotated', null, r);
    expect(core.audit.verify()).toMatchObject({ ok: true });
    await core.close();
    const again = openCore(profileDir);
    cleanup.push(async () => {
      await again.close();
      rmProfile(profileDir);
    });
    expect(again.accounts.credentials(account.id)).toEqual(before);
    expect(again.audit.verify()).toMatchObject({ ok: true });
    expect((again.db.prepare('SELECT sealed FROM api_keys').get() as { sealed: Buffer }).sealed.toString('hex')).not.toBe(hmacBefore);
    expect(again.apps.authenticate(created.appId)).not.toBeNull();
    expect(() => again.db.prepare("UPDATE certificates SET created_at = 'x'").run()).toThrow(/immutable/);
  }, 30_000);

  it('one value that does not open aborts the whole rotation: nothing changes', async () => {
    const { core, account, profileDir } = await coreWithAccount();
    cleanup.push(async () => {
      await core.close();
      rmProfile(profileDir);
    });
    // A tampered secret (one byte of its ciphertext flipped).
    const row = core.db.prepare('SELECT id, client_secret_enc FROM accounts LIMIT 1').get() as { id: string; client_secret_enc: Buffer };
    const bad = Buffer.from(row.client_secret_enc);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    core.db.prepare('UPDATE accounts SET client_secret_enc = ? WHERE id = ?').run(bad, row.id);
    const blobs = sealedBlobs(core.db);
    expect(() => core.vault.rotateDataKey(core.db, new FileKeyProvider({ profileDir, machineId: 'test-machine' }))).toThrow(AppError);
    expect(sealedBlobs(core.db)).toEqual(blobs);
    // The immutability trigger is back (it stepped aside inside the rolled-back transaction only).
    expect(() => core.db.prepare("UPDATE certificates SET created_at = 'x'").run()).toThrow(/immutable/);
    expect(core.accounts.get(account.id).id).toBe(account.id);
    expect(core.audit.verify()).toMatchObject({ ok: true }); // the old key still opens the head
  }, 30_000);

  it('pixdesk vault rotate does it from the CLI and leaves an audit entry', async () => {
    // A profile on this machine's key file (what the CLI opens), not the test support's fixed machine id.
    const dir = tempProfile();
    const { core, account, profileDir } = await coreWithAccount({ keyProvider: new FileKeyProvider({ profileDir: dir }) }, dir);
    const before = core.accounts.credentials(account.id).clientSecret;
    await core.close();
    cleanup.push(async () => rmProfile(profileDir));
    const out: string[] = [];
    const saved = process.env.PIXDESK_KEYCHAIN;
    process.env.PIXDESK_KEYCHAIN = 'off';
    try {
      // The CLI opens the profile's recorded provider (the key file made with this machine id by the test support).
      const code = await runCli(['vault', 'rotate', '--profile', profileDir], { out: (t) => out.push(t), err: (t) => out.push(t) });
      expect(code, out.join('\n')).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.PIXDESK_KEYCHAIN;
      else process.env.PIXDESK_KEYCHAIN = saved;
    }
    expect(out.join('\n')).toMatch(/segredos recifrados/);
    const c = new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir }), shell: 'cli' });
    try {
      expect(c.accounts.credentials(account.id).clientSecret).toBe(before);
      expect(c.audit.all().at(-1)?.action).toBe('vault.key_rotated');
      expect(c.audit.verify().ok).toBe(true);
    } finally {
      await c.close();
    }
  }, 30_000);
});
