import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { BACKUP_SCRYPT, BackupWriter, HEADER_BYTES, openHeader, readFrames } from '../../../main/core/backup/format';
import { BACKUP_TABLES } from '../../../main/core/backup/tables';
import { FORM, sandboxSheet } from '../accounts/support';
import { CHEAP, coreOn, decrypt, frameOffsets, PASSPHRASE, seededProfile, snapshot, tempDir, type Seeded } from './support';

/**
 * Encrypted backup and restore (docs/backup.md) on real SQLite profiles: a source on "machine A" with an onboarded
 * sandbox account, 3,000 seeded charges, an app with a webhook, people and settings; restores into fresh profiles on
 * "machine B" (another device key, so another vault data key).
 */
const CHARGES = 3000;
let src: Seeded;
let work: string;
let file: string;
const open: Core[] = [];

beforeAll(async () => {
  src = await seededProfile(CHARGES);
  work = tempDir('pixdesk-bk-files-');
  file = path.join(work, 'loja.pixdesk-backup');
  await src.core.backups.create(file, PASSPHRASE, 'shell:cli', { cost: CHEAP });
}, 60_000);

afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
  await src.core.close();
  fs.rmSync(src.dir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function fresh(machine = 'machine-B'): Core {
  const c = coreOn(tempDir(), machine);
  open.push(c);
  return c;
}

/** A copy of the backup with `edit` applied, written next to it. */
function variant(name: string, edit: (b: Buffer) => Buffer): string {
  const out = path.join(work, name);
  fs.writeFileSync(out, edit(Buffer.from(fs.readFileSync(file))));
  return out;
}

describe('backup file', () => {
  it('holds a manifest, every table and no secret: client secret, private key, token, AppID, webhook secrets', () => {
    const text = decrypt(file);
    const manifest = JSON.parse(text.slice(0, text.indexOf('\n'))) as { tables: Record<string, number>; profileId: string; appVersion: string; audit: { seq: number } };
    expect(manifest.tables.charges).toBe(CHARGES);
    expect(manifest.tables.accounts).toBe(1);
    expect(manifest.tables.users).toBe(2);
    expect(manifest.tables.api_apps).toBe(1);
    expect(manifest.tables.till_locations).toBe(1);
    expect(manifest.audit.seq).toBeGreaterThanOrEqual(3); // account added, certificate issued, first login
    expect(manifest.appVersion).toBe('0.1.0');
    expect(manifest.profileId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(manifest.tables)).toEqual([...BACKUP_TABLES]);
    expect(text.length).toBeGreaterThan(500_000);
    for (const s of src.secrets) {
      expect(s.length).toBeGreaterThan(8);
      expect(text.includes(s), `secret of length ${s.length} found in the backup`).toBe(false);
    }
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/); // no JWT of any kind
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE|_enc"|"sealed"|secret_hash/);
    // The file itself: header, the manifest alone in frame 0, frames of at most 256 KiB of plaintext.
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('PIXDESKB');
    expect([...bytes.subarray(8, 12)]).toEqual([1, CHEAP.log2N, CHEAP.r, CHEAP.p]);
    expect(frameOffsets(bytes).length).toBeGreaterThan(3);
    expect(BACKUP_SCRYPT).toEqual({ log2N: 17, r: 8, p: 1 });
    // Recorded in the source's audit log, with the file's SHA-256.
    const entry = src.core.audit.page({ action: 'backup.created' }).items[0]!;
    expect(entry.details).toMatchObject({ rows: expect.any(Number), tables: { charges: CHARGES } });
    expect(src.core.audit.verify().ok).toBe(true);
  });

  it('the frame layer alone catches a file cut exactly at a frame boundary (the last frame is sealed as final)', () => {
    const bytes = fs.readFileSync(file);
    const frames = frameOffsets(bytes);
    for (const cut of [frames[frames.length - 1]!, frames[2]!]) {
      const f = variant(`boundary-${cut}`, (b) => b.subarray(0, cut));
      const fd = fs.openSync(f, 'r');
      try {
        const h = openHeader(fd, cut, PASSPHRASE);
        expect(() => [...readFrames(fd, cut, h)]).toThrow(expect.objectContaining({ code: 'BACKUP_CORRUPT' }));
      } finally {
        fs.closeSync(fd);
      }
    }
    expect(bytes.length).toBeGreaterThan(frames[frames.length - 1]!);
  });

  it('is refused with a short passphrase, and never overwrites an existing file', async () => {
    await expect(src.core.backups.create(path.join(work, 'x.pixdesk-backup'), 'curta', 'shell:cli', { cost: CHEAP })).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE_WEAK', message: expect.stringMatching(/pelo menos 12 caracteres/) });
    await expect(src.core.backups.create(file, PASSPHRASE, 'shell:cli', { cost: CHEAP })).rejects.toMatchObject({ code: 'BACKUP_EXISTS' });
    expect(fs.readdirSync(work).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('restore into a fresh profile on another machine', () => {
  it('brings back every non-secret row; audit verifies under the NEW vault; accounts wait for onboarding; apps need a new AppID', async () => {
    const dst = fresh();
    expect(dst.vault).not.toBe(src.core.vault);
    const before = snapshot(src.core.db);
    const r = await dst.backups.restore(file, PASSPHRASE, 'shell:cli');
    expect(r.restored.charges).toBe(CHARGES);
    expect(r.accountsToOnboard).toEqual([{ name: FORM.name, clientId: expect.any(String), environment: 'sandbox' }]);
    expect(r.appsNeedingAppId).toBe(1);
    expect(r.replaced).toBe(false);
    const after = snapshot(dst.db);
    for (const t of BACKUP_TABLES) {
      if (t === 'audit_log' || t === 'api_app_audit') continue;
      expect(after[t], t).toEqual(before[t]);
    }
    // api_app_audit: same entries (the local seq is not carried).
    expect(after.api_app_audit!.length).toBe(before.api_app_audit!.length);
    // The audit chain: the source's entries unchanged, then "backup.restored"; verified under this profile's key.
    const srcLog = src.core.audit.all();
    const dstLog = dst.audit.all();
    const restoredAt = dstLog.findIndex((e) => e.action === 'backup.restored');
    expect(dstLog.slice(0, restoredAt).map((e) => e.hash).slice(0, srcLog.length - 1)).toEqual(srcLog.slice(0, srcLog.length - 1).map((e) => e.hash));
    expect(dst.audit.verify()).toMatchObject({ ok: true });
    expect(dstLog[restoredAt]!.details).toMatchObject({ sourceProfileId: src.core.backups.profileId(), replaced: false });
    // Nothing secret came along; nothing of the source vault opens here.
    expect((dst.db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n).toBe(0);
    expect((dst.db.prepare('SELECT count(*) AS n FROM api_webhooks').get() as { n: number }).n).toBe(0);
    expect(dst.accounts.list()).toEqual([]);
    expect(dst.accounts.awaitingOnboarding().map((a) => a.id)).toEqual([src.accountId]);
    expect(await dst.handlers()['accounts:awaitingOnboarding']({})).toEqual(r.accountsToOnboard);
    expect(await dst.handlers()['accounts:list']({})).toEqual([]);
    const [app] = dst.apps.list();
    expect(app).toMatchObject({ name: 'ERP da loja', needsNewAppId: true, status: 'active' });
    expect(dst.apps.authenticate(src.appIdAuth)).toBeNull();
    const renewed = dst.apps.regenerate(app!.id);
    expect(dst.apps.authenticate(renewed.appId)).toMatchObject({ id: app!.id });
    expect(dst.apps.list()[0]).toMatchObject({ needsNewAppId: false });
    // People log in with their passwords; a cashier keeps their own charges.
    expect(dst.auth.login(undefined, 'Caio', 'senha do caio 123')).toMatchObject({ role: 'cashier' });
    const caio = dst.db.prepare("SELECT id FROM users WHERE name = 'Caio'").get() as { id: string };
    expect((dst.db.prepare('SELECT count(*) AS n FROM charges WHERE created_by = ?').get(caio.id) as { n: number }).n).toBe(25);
    // The Cobranças totals (charges_daily, rebuilt by triggers) and text search (FTS) agree with the source.
    expect(dst.db.prepare('SELECT day, account_id, till, status, n, amount_cents, paid_cents FROM charges_daily ORDER BY 1,2,3,4').all()).toEqual(
      src.core.db.prepare('SELECT day, account_id, till, status, n, amount_cents, paid_cents FROM charges_daily ORDER BY 1,2,3,4').all(),
    );
    const fts = (c: Core) => (c.db.prepare("SELECT count(*) AS n FROM charges_fts WHERE charges_fts MATCH 'pedido OR marmita'").get() as { n: number }).n;
    expect(fts(dst)).toBeGreaterThan(100);
    expect(fts(dst)).toBe(fts(src.core));
    const pixFts = (c: Core) => (c.db.prepare("SELECT count(*) AS n FROM received_pix_fts WHERE received_pix_fts MATCH 'silva'").get() as { n: number }).n;
    expect(pixFts(dst)).toBe(pixFts(src.core));
    expect(dst.settings.get()).toMatchObject({ tillName: 'Caixa Central', merchantName: 'Padaria São João' });

    // A new onboarding of the same Client ID (a fresh token from this profile's sandbox) re-attaches the account.
    const clientId = r.accountsToOnboard[0]!.clientId;
    const sheet = await sandboxSheet(dst, { clientId });
    const s = dst.onboarding.importFile(sheet.bytes, 'Credencial e Token.xlsx');
    const done = await dst.onboarding.run(s.id, FORM);
    expect(done.accountId).toBe(src.accountId);
    expect(dst.accounts.list().map((a) => a.id)).toEqual([src.accountId]);
    expect(dst.accounts.awaitingOnboarding()).toEqual([]);
    expect(dst.accounts.credentials(src.accountId).keyPem).toMatch(/PRIVATE KEY/); // a new key, made on this machine
    expect(dst.accounts.credentials(src.accountId).keyPem).not.toBe(src.secrets[1]);
    expect(dst.audit.verify()).toMatchObject({ ok: true });
  }, 60_000);

  it('a profile that already logged things keeps its entries after the backup chain', async () => {
    const dst = fresh();
    dst.auth.setup(undefined, 'Nova', 'senha da nova 123');
    dst.settings.set({ tillName: 'Outro' });
    const own = dst.audit.all().map((e) => e.action);
    expect(own.length).toBeGreaterThan(0);
    const r = await dst.backups.restore(file, PASSPHRASE, 'user:Nova');
    expect(r.merged.users).toBe(0);
    const log = dst.audit.all();
    const tail = log.slice(-own.length - 1).map((e) => e.action);
    expect(tail).toEqual([...own, 'backup.restored']);
    expect(dst.audit.verify()).toMatchObject({ ok: true });
    // The target's admin is still there, and so are the backup's people.
    expect(dst.auth.listUsers().map((u) => u.name).sort()).toEqual(['Ana', 'Caio', 'Nova']);
  });
});

describe('restore refuses, and changes nothing', () => {
  async function refused(target: Core, f: string, code: string | RegExp, passphrase = PASSPHRASE): Promise<void> {
    const before = snapshot(target.db);
    const err = await target.backups.restore(f, passphrase, 'shell:cli').then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err, `restore of ${path.basename(f)} should fail`).not.toBeNull();
    if (typeof code === 'string') expect(err!.code).toBe(code);
    else expect(err!.code).toMatch(code);
    expect(err!.message).toMatch(/Nada foi alterado/);
    expect(snapshot(target.db)).toEqual(before);
  }

  it('a wrong passphrase', async () => {
    await refused(fresh(), file, 'BACKUP_WRONG_PASSPHRASE', 'cavalo bateria grampo errado');
  });

  it('a flipped bit in every region: magic, version, cost, salt, nonce, each frame length, body and tag', async () => {
    const dst = fresh();
    const bytes = fs.readFileSync(file);
    const frames = frameOffsets(bytes);
    const end = (i: number) => (frames[i + 1] ?? bytes.length);
    const spots: [string, number, RegExp][] = [
      ['magic', 0, /BACKUP_FORMAT/],
      ['version', 8, /BACKUP_NEWER/],
      ['cost', 9, /BACKUP_FORMAT|BACKUP_WRONG_PASSPHRASE/],
      ['salt', 12 + 5, /BACKUP_WRONG_PASSPHRASE/],
      ['nonce', 28 + 3, /BACKUP_WRONG_PASSPHRASE/],
    ];
    for (const [i, at] of frames.entries()) {
      const kind = i === 0 ? /BACKUP_WRONG_PASSPHRASE/ : /BACKUP_CORRUPT/;
      spots.push([`frame ${i} length`, at + 3, kind], [`frame ${i} body`, at + 4 + Math.floor((end(i) - at - 20) / 2), kind], [`frame ${i} tag`, end(i) - 3, kind]);
    }
    expect(spots.length).toBe(5 + frames.length * 3);
    for (const [name, at, code] of spots) {
      const f = variant(`flip-${name.replace(/\s/g, '-')}`, (b) => {
        b[at]! ^= name === 'cost' ? 0x20 : 0x01;
        return b;
      });
      await refused(dst, f, code);
    }
  }, 60_000);

  it('a backup re-encrypted by someone who knows the passphrase, with an audit entry edited (or dropped)', async () => {
    const dst = fresh();
    const lines = decrypt(file).split('\n');
    const start = lines.findIndex((l) => l.includes('"name":"audit_log"'));
    for (const [name, edit] of [
      ['edited', (ls: string[]) => ls.map((l, i) => {
        if (i !== start + 2) return l;
        const row = JSON.parse(l) as unknown[];
        row[5] = '{"forjado":true}'; // details; the row keeps its old hash
        return JSON.stringify(row);
      })],
      ['dropped', (ls: string[]) => ls.filter((_, i) => i !== start + 2)],
    ] as const) {
      const changed = edit(lines);
      expect(changed.join('\n')).not.toBe(lines.join('\n'));
      const out = path.join(work, `forged-${name}.pixdesk-backup`);
      const fd = fs.openSync(out, 'w');
      const w = new BackupWriter((b) => fs.writeSync(fd, b), PASSPHRASE, CHEAP);
      for (const [i, l] of changed.entries()) {
        const rec = JSON.parse(l) as unknown;
        if (name === 'dropped' && (rec as { kind?: string }).kind === 'manifest') {
          const m = rec as { tables: Record<string, number> };
          m.tables.audit_log! -= 1;
        }
        if (name === 'dropped' && (rec as { kind?: string }).kind === 'end') (rec as { rows: number }).rows -= 1;
        w.write(rec);
        if (i === 0) w.cut();
      }
      w.close();
      fs.closeSync(fd);
      await refused(dst, out, 'BACKUP_AUDIT_BROKEN');
    }
  });

  it('a truncated file (inside the header, inside a frame, exactly at a frame boundary, one byte short) or one with bytes appended', async () => {
    const dst = fresh();
    const bytes = fs.readFileSync(file);
    const frames = frameOffsets(bytes);
    const cuts = [10, HEADER_BYTES, HEADER_BYTES + 30, frames[1]!, frames[2]! + 100, frames[frames.length - 1]!, bytes.length - 1];
    for (const n of cuts) await refused(dst, variant(`cut-${n}`, (b) => b.subarray(0, n)), /BACKUP_FORMAT|BACKUP_WRONG_PASSPHRASE|BACKUP_CORRUPT/);
    await refused(dst, variant('cut-boundary', (b) => b.subarray(0, frames[frames.length - 1]!)), 'BACKUP_CORRUPT');
    await refused(dst, variant('appended', (b) => Buffer.concat([b, Buffer.from('mais')])), 'BACKUP_CORRUPT');
    await refused(dst, variant('frame-dropped', (b) => Buffer.concat([b.subarray(0, frames[1]!), b.subarray(frames[2]!)])), 'BACKUP_CORRUPT');
    await refused(dst, variant('frames-swapped', (b) => Buffer.concat([b.subarray(0, frames[1]!), b.subarray(frames[2]!, frames[3]!), b.subarray(frames[1]!, frames[2]!), b.subarray(frames[3]!)])), 'BACKUP_CORRUPT');
  }, 60_000);

  it('over an existing history unless asked to replace it; replace swaps the history in one go', async () => {
    const dst = fresh();
    const sheet = await sandboxSheet(dst);
    const s = dst.onboarding.importFile(sheet.bytes, 'Credencial e Token.xlsx');
    const own = (await dst.onboarding.run(s.id, { ...FORM, name: 'Conta daqui' })).accountId!;
    const c = await dst.handlers()['charges:create']({ amountCents: 1234 });
    await refused(dst, file, 'BACKUP_TARGET_NOT_EMPTY');
    const r = await dst.backups.restore(file, PASSPHRASE, 'shell:cli', { replace: true });
    expect(r.replaced).toBe(true);
    expect(dst.db.prepare('SELECT 1 FROM charges WHERE id = ?').get(c.id)).toBeUndefined();
    expect((dst.db.prepare('SELECT count(*) AS n FROM charges').get() as { n: number }).n).toBe(CHARGES);
    // This profile's own account is kept, with its certificate; the backup's joins it, waiting for onboarding.
    expect(dst.accounts.list().map((a) => a.id)).toEqual([own]);
    expect(dst.accounts.list()[0]!.isDefault).toBe(true);
    expect(dst.accounts.awaitingOnboarding().map((a) => a.isDefault)).toEqual([false]);
    expect(dst.audit.verify()).toMatchObject({ ok: true });
  }, 60_000);

  it('a failure in the middle of writing (after 1,500 charges, or at the last audit entry) leaves the target untouched', async () => {
    const dst = fresh();
    dst.settings.set({ tillName: 'Antes' });
    const before = snapshot(dst.db);
    const seq = (src.core.audit.all().find((e) => e.action === 'backup.created')?.seq ?? 2) - 1;
    for (const [table, at] of [['charges', 1500], ['audit_log', seq]] as const) {
      await expect(
        dst.backups.restore(file, PASSPHRASE, 'shell:cli', {
          onRow: (t, n) => {
            if (t === table && n === at) throw new Error('simulated crash');
          },
        }),
      ).rejects.toMatchObject({ code: 'BACKUP_RESTORE_FAILED', message: expect.stringMatching(/Nada foi alterado/) });
      expect(snapshot(dst.db)).toEqual(before);
      expect(dst.db.inTransaction).toBe(false);
    }
    // And the same profile restores fine afterwards.
    await dst.backups.restore(file, PASSPHRASE, 'shell:cli');
    expect(dst.audit.verify()).toMatchObject({ ok: true });
  }, 60_000);
});

describe('a source whose audit log was tampered with', () => {
  it('is not backed up (a restore would seal the forged chain under a fresh head)', async () => {
    const dir = tempDir();
    const c = coreOn(dir, 'machine-C');
    open.push(c);
    c.audit.append('shell:cli', 'settings.changed', null, { tillName: 'A' });
    c.audit.append('shell:cli', 'settings.changed', null, { tillName: 'B' });
    c.db.exec('DROP TRIGGER audit_log_no_delete');
    c.db.exec('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)');
    const out = path.join(work, 'tampered.pixdesk-backup');
    await expect(c.backups.create(out, PASSPHRASE, 'shell:cli', { cost: CHEAP })).rejects.toMatchObject({ code: 'BACKUP_AUDIT_BROKEN' });
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(work).filter((f) => f.startsWith('tampered'))).toEqual([]);
  });
});
