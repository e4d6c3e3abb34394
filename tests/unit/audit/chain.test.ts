import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { AuditLog, auditCsv } from '../../../main/core/audit/audit-log';
import { entryHash } from '../../../main/core/audit/chain';
import { openDatabase, type Db } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { FileKeyProvider, Vault } from '../../../main/core/vault';

/**
 * The audit chain against every way someone with the SQLite file could tamper with it: each case drops the
 * triggers first (as an attacker would), edits the file directly, and expects `verify` — and `pixdesk audit
 * verify` — to name the first broken entry.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function profile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-audit-'));
  dirs.push(d);
  return d;
}

/** A profile with five entries written through the app's own path (vault from the profile's key file). */
function fiveEntries(): { dir: string; db: Db; log: AuditLog } {
  const dir = profile();
  const db = openDatabase({ file: path.join(dir, 'pixdesk.sqlite'), migrations: appMigrations });
  const vault = Vault.open(db, new FileKeyProvider({ profileDir: dir }));
  let t = Date.UTC(2026, 0, 1);
  const log = new AuditLog(db, vault, () => new Date((t += 1000)));
  log.append('shell:browser', 'settings.changed', null, { changed: { tillName: 'Caixa 2' } });
  log.append('sistema', 'account.added', 'acc-1', { name: 'Loja', environment: 'sandbox' });
  log.append('shell:browser', 'onboarding.endpoints', 'sess-1', { stsHost: 'sts.example', pixHost: null });
  log.append('shell:browser', 'charge.refund', 'ch-1', { amountCents: 500 });
  log.append('shell:cli', 'charge.cancelled', 'ch-2', {});
  return { dir, db, log };
}

/** What an attacker does first: remove the append-only triggers. */
function dropTriggers(db: Db): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_in_order; DROP TRIGGER audit_head_no_delete;');
}

async function cliVerify(dir: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.PIXDESK_KEYCHAIN;
  process.env.PIXDESK_KEYCHAIN = 'off';
  try {
    const code = await runCli(['audit', 'verify', '--profile', dir], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.PIXDESK_KEYCHAIN;
    else process.env.PIXDESK_KEYCHAIN = saved;
  }
}

describe('audit log hash chain', () => {
  it('chains each entry to the previous one and verifies intact (library and CLI, exit 0)', async () => {
    const { dir, db, log } = fiveEntries();
    const all = log.all();
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    expect(log.verify()).toEqual({ ok: true, entries: 5, headSeq: 5 });
    db.close();
    const r = await cliVerify(dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/íntegro: 5 entradas/);
  });

  it('triggers refuse UPDATE, DELETE and an out-of-chain INSERT', () => {
    const { db } = fiveEntries();
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 5').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be deleted/);
    expect(() =>
      db.prepare("INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES (9, 'x', 'a', 'b', '{}', ?, ?)").run('0'.repeat(64), '1'.repeat(64)),
    ).toThrow(/continue the chain/);
    db.close();
  });

  it('an edited row (hash left as it was) is named by its seq', async () => {
    const { dir, db, log } = fiveEntries();
    dropTriggers(db);
    db.prepare(`UPDATE audit_log SET details = '{"amountCents":50000}' WHERE seq = 4`).run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 4, problem: expect.stringMatching(/conteúdo foi alterado/) });
    db.close();
    const r = await cliVerify(dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/primeira entrada quebrada: 4: o conteúdo foi alterado/);
  });

  it('an edited row with its own hash recomputed breaks the link to the next entry', () => {
    const { db, log } = fiveEntries();
    dropTriggers(db);
    const r = db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as { seq: number; at: string; actor: string; action: string; subject: string; prev_hash: string };
    const forged = { seq: 2, at: r.at, actor: 'outra pessoa', action: r.action, subject: r.subject, details: '{}', prevHash: r.prev_hash };
    db.prepare("UPDATE audit_log SET actor = 'outra pessoa', details = '{}', hash = ? WHERE seq = 2").run(entryHash(forged));
    expect(log.verify()).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/hash anterior não confere com a entrada 2/) });
    db.close();
  });

  it('a deleted middle row is a gap in seq', async () => {
    const { dir, db, log } = fiveEntries();
    dropTriggers(db);
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/entrada 3 sumiu/) });
    db.close();
    const r = await cliVerify(dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/quebrada: 3: a entrada 3 sumiu/);
  });

  it('a truncated tail is caught by the sealed head', async () => {
    const { dir, db, log } = fiveEntries();
    dropTriggers(db);
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 4, problem: expect.stringMatching(/de 4 a 5 foram apagadas/) });
    // Moving the plain head columns back does not help: the sealed copy is what counts.
    db.prepare("UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)").run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 4 });
    db.close();
    const r = await cliVerify(dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/quebrada: 4/);
  });

  it('a whole chain rebuilt after an edit (every hash recomputed) does not match the sealed head', () => {
    const { db, log } = fiveEntries();
    dropTriggers(db);
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { seq: number; at: string; actor: string; action: string; subject: string | null; details: string }[];
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const details = r.seq === 4 ? '{"amountCents":1}' : r.details;
      const h = entryHash({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details, prevHash: prev });
      db.prepare('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(details, prev, h, r.seq);
      prev = h;
    }
    db.prepare('UPDATE audit_head SET hash = ?').run(prev);
    expect(log.verify()).toMatchObject({ ok: false, seq: 5, problem: expect.stringMatching(/cadeia foi refeita/) });
    db.close();
  });

  it('an entry appended behind the app (no sealed head for it) and a forged sealed head are caught', () => {
    const { db, log } = fiveEntries();
    dropTriggers(db);
    const last = db.prepare('SELECT hash, at FROM audit_log WHERE seq = 5').get() as { hash: string; at: string };
    const f = { seq: 6, at: last.at, actor: 'x', action: 'login', subject: null, details: '{}', prevHash: last.hash };
    db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(6, f.at, f.actor, f.action, null, f.details, f.prevHash, entryHash(f));
    expect(log.verify()).toMatchObject({ ok: false, seq: 6, problem: expect.stringMatching(/inseridas por fora/) });
    db.prepare("UPDATE audit_head SET head_enc = x'01000000000000000000000000000000000000000000000000000000000000'").run();
    expect(log.verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/lacrado.*não abre/) });
    db.close();
  });

  it('never stores a secret in details, and the CSV neutralises formulas', () => {
    const { db, log } = fiveEntries();
    const e = log.append('shell:browser', 'settings.changed', null, { clientSecret: 'S3GREDO-123', note: 'Bearer abcdefghijklmnop', name: '=HYPERLINK("x")' });
    const raw = (db.prepare('SELECT details FROM audit_log WHERE seq = ?').get(e.seq) as { details: string }).details;
    expect(raw).not.toContain('S3GREDO-123');
    expect(raw).not.toContain('abcdefghijklmnop');
    const csv = auditCsv(log.all());
    expect(csv.split('\r\n')[0]).toBe('seq,data_hora_utc,quem,acao,assunto,detalhes,hash_anterior,hash');
    expect(csv.split('\r\n')).toHaveLength(8); // header + 6 entries + trailing empty
    expect(log.verify().ok).toBe(true);
    expect(auditCsv([{ ...e, actor: '=cmd|calc' }])).toContain(`"'=cmd|calc"`);
    db.close();
  });

  it('opens a foreign copy of the file read-only without touching it', () => {
    const { dir, db } = fiveEntries();
    db.close();
    const ro = new Database(path.join(dir, 'pixdesk.sqlite'), { readonly: true });
    expect((ro.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(5);
    ro.close();
  });
});
