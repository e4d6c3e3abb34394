import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { entryHash, GENESIS_HASH } from '../audit/chain';
import type { SettingsStore } from '../app/settings';
import { SETTINGS_KEYS } from '../app/settings';
import { BACKUP_PASSPHRASE_MIN } from '../contract/limits';
import type { BackupJobView, BackupRestoreView, BackupUploadView, RestoredAccountView } from '../contract/types';
import { schemaVersion, type Db } from '../db';
import { REBUILD_CHARGES_DAILY } from '../db/migrations/0006-charges-list';
import { AppError } from '../errors';
import type { Vault } from '../vault';
import { BackupWriter, corrupt, formatError, linesOf, openHeader, readFrames, type BackupCost, type OpenedHeader } from './format';
import { BACKUP_TABLES, backupColumns, HISTORY_TABLES, isSealedColumn, q, REPLACE_ORDER, type BackupTable } from './tables';

/** Insert triggers of derived tables, replaced by one rebuild at the end of a restore. */
const DERIVED_TRIGGERS = ['charges_daily_ai', 'charges_fts_ai', 'received_pix_fts_ai'];
/** Rows written between two turns of the event loop while a backup is made. */
const YIELD_ROWS = 2000;
/** Bytes of a finished backup handed to the screen per `backup:read`. */
const READ_BYTES = 4 * 1024 * 1024;
/** Largest backup accepted for a restore (a million charges make a few hundred MB). */
export const MAX_BACKUP_BYTES = 8 * 1024 * 1024 * 1024;
/** The settings key holding this profile's random id (the manifest's `profileId`). */
const PROFILE_ID_KEY = 'profile.id';
export const BACKUP_EXTENSION = '.pixdesk-backup';

export const manifestSchema = z
  .object({
    kind: z.literal('manifest'),
    format: z.literal(1),
    createdAt: z.string().max(40),
    appVersion: z.string().max(40),
    schemaVersion: z.number().int().min(1),
    profileId: z.string().max(64),
    tables: z.record(z.string(), z.number().int().min(0)),
    audit: z.object({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  })
  .strict();
export type BackupManifest = z.infer<typeof manifestSchema>;

const tableRecord = z.object({ kind: z.literal('table'), name: z.enum(BACKUP_TABLES), columns: z.array(z.string().max(64)).min(1).max(100) }).strict();
const endRecord = z.object({ kind: z.literal('end'), rows: z.number().int().min(0) }).strict();

export interface BackupServiceDeps {
  db: Db;
  vault: Vault;
  audit: AuditLog;
  settings: SettingsStore;
  /** A read-only connection of its own: one consistent snapshot (WAL) that main's writes do not wait for. */
  openReader: () => Db;
  /** Scratch folder for the screen's backups and uploads (inside the profile, 0700). */
  dir: string;
  now: () => Date;
  version: string;
}

export interface CreateOptions {
  cost?: BackupCost;
  progress?: (rows: number, total: number) => void;
}

export interface RestoreOptions {
  replace?: boolean;
  /** Test seam: called after each restored row (the atomicity tests throw from here). Nothing in the product sets it. */
  onRow?: (table: BackupTable, n: number) => void;
}

export interface BackupCreated {
  file: string;
  bytes: number;
  rows: number;
  tables: Record<string, number>;
  sha256: string;
}

function weakPassphrase(): AppError {
  return new AppError('BACKUP_PASSPHRASE_WEAK', `A senha do backup precisa ter pelo menos ${BACKUP_PASSPHRASE_MIN} caracteres. Use uma frase que você consiga lembrar (ex.: quatro palavras).`);
}

const isCell = (v: unknown): v is string | number | null => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Encrypted backups of the non-secret data of a profile, and their restore (docs/backup.md). A backup is written
 * from a snapshot on a connection of its own, frame by frame, so a million charges need the memory of one frame.
 * A restore checks the whole file first (passphrase, every frame, counts), then writes it in ONE transaction:
 * any failure leaves the profile as it was.
 */
export class BackupService {
  private readonly jobs = new Map<string, { view: BackupJobView; file: string }>();

  constructor(private readonly d: BackupServiceDeps) {}

  /** This profile's random id, made at the first backup (the manifest says which profile a backup came from). */
  profileId(): string {
    const raw = this.d.settings.getRaw(PROFILE_ID_KEY);
    if (raw) return JSON.parse(raw) as string;
    const id = crypto.randomUUID();
    this.d.settings.setRaw(PROFILE_ID_KEY, JSON.stringify(id));
    return id;
  }

  /** Write a backup of this profile to `file` (refused if it exists); an entry "backup.created" records it. */
  async create(file: string, passphrase: string, actor: string, opts: CreateOptions = {}): Promise<BackupCreated> {
    if (passphrase.length < BACKUP_PASSPHRASE_MIN) throw weakPassphrase();
    if (fs.existsSync(file)) throw new AppError('BACKUP_EXISTS', `Já existe um arquivo em ${file}. Escolha outro nome: o PixDesk não sobrescreve backups.`);
    const profileId = this.profileId();
    const tmp = `${file}.${process.pid}.part`;
    const reader = this.d.openReader();
    let fd: number | null = null;
    try {
      reader.exec('BEGIN');
      const counts: Record<string, number> = {};
      for (const t of BACKUP_TABLES) counts[t] = this.countOf(reader, t);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const last = reader.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const manifest: BackupManifest = {
        kind: 'manifest', format: 1, createdAt: this.d.now().toISOString(), appVersion: this.d.version, schemaVersion: schemaVersion(reader),
        profileId, tables: counts, audit: { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH },
      };
      fd = fs.openSync(tmp, 'wx', 0o600);
      const out = fd;
      const sha = crypto.createHash('sha256');
      const w = new BackupWriter((b) => {
        sha.update(b);
        fs.writeSync(out, b);
      }, passphrase, opts.cost);
      w.write(manifest);
      w.cut();
      let rows = 0;
      for (const t of BACKUP_TABLES) {
        const cols = backupColumns(reader, t);
        w.write({ kind: 'table', name: t, columns: cols });
        const chain = t === 'audit_log' ? this.chainChecker(cols) : null;
        const it = reader.prepare(this.selectOf(t, cols)).raw().iterate() as IterableIterator<unknown[]>;
        for (const r of it) {
          if (!r.every(isCell)) throw new AppError('BACKUP_INTERNAL', `Um valor binário apareceu na tabela ${t}: o backup foi interrompido. Nada foi alterado.`);
          chain?.(r);
          w.write(r);
          rows++;
          if (rows % YIELD_ROWS === 0) {
            opts.progress?.(rows, total);
            await new Promise<void>((res) => setImmediate(res));
          }
        }
      }
      this.checkSealedHead(reader, manifest.audit);
      w.write({ kind: 'end', rows });
      w.close();
      fs.fsyncSync(out);
      fs.closeSync(out);
      fd = null;
      fs.renameSync(tmp, file);
      opts.progress?.(rows, total);
      const sha256 = sha.digest('hex');
      const nonEmpty = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      this.d.audit.append(actor, 'backup.created', null, { rows, bytes: w.bytes, tables: nonEmpty, sha256, auditSeq: manifest.audit.seq });
      return { file, bytes: w.bytes, rows, tables: counts, sha256 };
    } catch (e) {
      if (fd !== null) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw e;
    } finally {
      if (reader.inTransaction) reader.exec('COMMIT');
      reader.close();
    }
  }

  private countOf(db: Db, t: BackupTable): number {
    const where = t === 'settings' ? ` WHERE key IN (${SETTINGS_KEYS.map(() => '?').join(',')})` : '';
    return (db.prepare(`SELECT count(*) AS n FROM ${q(t)}${where}`).get(...(t === 'settings' ? SETTINGS_KEYS : [])) as { n: number }).n;
  }

  private selectOf(t: BackupTable, cols: string[]): string {
    const list = cols.map(q).join(', ');
    if (t === 'settings') return `SELECT ${list} FROM settings WHERE key IN (${SETTINGS_KEYS.map((k) => `'${k.replace(/'/g, "''")}'`).join(',')}) ORDER BY key`;
    if (t === 'audit_log') return `SELECT ${list} FROM audit_log ORDER BY seq`;
    return `SELECT ${list} FROM ${q(t)} ORDER BY rowid`;
  }

  /**
   * Checks each audit row continues the chain (seq, prev_hash, own hash). Used while writing a backup (a broken log
   * is not laundered into a fresh profile, whose restore seals a new head) and while restoring one.
   */
  private chainChecker(cols: string[]): (r: unknown[]) => { seq: number; hash: string } {
    const at = (n: string) => {
      const i = cols.indexOf(n);
      if (i < 0) throw formatError();
      return i;
    };
    const ix = { seq: at('seq'), at: at('at'), actor: at('actor'), action: at('action'), subject: at('subject'), details: at('details'), prev: at('prev_hash'), hash: at('hash') };
    let expected = 1;
    let prev = GENESIS_HASH;
    return (r) => {
      const f = { seq: r[ix.seq], at: r[ix.at], actor: r[ix.actor], action: r[ix.action], subject: r[ix.subject], details: r[ix.details], prevHash: r[ix.prev] };
      const ok =
        f.seq === expected && f.prevHash === prev && typeof f.at === 'string' && typeof f.actor === 'string' && typeof f.action === 'string' &&
        (f.subject === null || typeof f.subject === 'string') && typeof f.details === 'string' &&
        entryHash({ seq: expected, at: f.at, actor: f.actor, action: f.action, subject: f.subject as string | null, details: f.details, prevHash: prev }) === r[ix.hash];
      if (!ok) {
        throw new AppError(
          'BACKUP_AUDIT_BROKEN',
          `O log de auditoria do backup não confere a partir da entrada ${expected} (foi alterado depois de lido do perfil). Nada foi alterado neste perfil. Se isto aconteceu ao criar o backup, rode "Verificar" em Auditoria (ou pixdesk audit verify) e guarde uma cópia do perfil como está.`,
        );
      }
      prev = r[ix.hash] as string;
      expected++;
      return { seq: expected - 1, hash: prev };
    };
  }

  /** The snapshot's chain must end where the profile's sealed head says (a cut tail is not backed up as if whole). */
  private checkSealedHead(reader: Db, head: { seq: number; hash: string }): void {
    const row = reader.prepare('SELECT head_enc FROM audit_head WHERE id = 1').get() as { head_enc: Buffer } | undefined;
    let sealed = '0:' + GENESIS_HASH;
    if (row) {
      try {
        sealed = this.d.vault.openString('audit_head', 'head_enc', '1', row.head_enc);
      } catch {
        sealed = 'unreadable';
      }
    }
    if (sealed !== `${head.seq}:${head.hash}`) {
      throw new AppError(
        'BACKUP_AUDIT_BROKEN',
        'O log de auditoria deste perfil não confere com o fim lacrado da cadeia, então o backup não foi feito (ele esconderia a adulteração). Rode "Verificar" em Auditoria para ver a primeira entrada quebrada e guarde uma cópia do perfil como está.',
      );
    }
  }

  /** Rows of this profile's history, per table (a restore over them must be asked for explicitly). */
  existingHistory(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of HISTORY_TABLES) out[t] = (this.d.db.prepare(`SELECT count(*) AS n FROM ${q(t)}`).get() as { n: number }).n;
    return out;
  }

  /**
   * Read the whole backup once without writing anything: passphrase, every frame, the records' shape and the
   * counts of the manifest. Yields to the event loop between frames. Returns the manifest and the opened header.
   */
  async inspect(file: string, passphrase: string): Promise<{ manifest: BackupManifest; header: OpenedHeader }> {
    const fd = openBackup(file);
    try {
      const size = fs.fstatSync(fd).size;
      const header = openHeader(fd, size, passphrase);
      let manifest: BackupManifest | null = null;
      let table: string | null = null;
      const seen: Record<string, number> = {};
      let ended = false;
      let frames = 0;
      const it = readFrames(fd, size, header);
      const lines = linesOf((function* () {
        for (const f of it) {
          frames++;
          yield f;
        }
      })());
      let n = 0;
      for (const line of lines) {
        if (ended) throw corrupt(frames - 1);
        if (!manifest) {
          manifest = parseManifest(line);
          continue;
        }
        if (line.startsWith('[')) {
          if (!table) throw formatError();
          seen[table] = (seen[table] ?? 0) + 1;
        } else {
          const rec = parseJson(line) as { kind?: unknown };
          if (rec.kind === 'table') table = tableRecord.parse(rec).name;
          else if (rec.kind === 'end') {
            const total = Object.values(seen).reduce((a, b) => a + b, 0);
            if (endRecord.safeParse(rec).data?.rows !== total) throw corrupt(frames - 1);
            ended = true;
          } else throw formatError();
        }
        if (++n % 20_000 === 0) await new Promise<void>((res) => setImmediate(res));
      }
      if (!manifest || !ended) throw corrupt(Math.max(frames - 1, 0));
      for (const [t, count] of Object.entries(manifest.tables)) if ((seen[t] ?? 0) !== count) throw corrupt(frames - 1);
      return { manifest, header };
    } catch (e) {
      if (e instanceof z.ZodError) throw formatError();
      throw e;
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Restore a backup into this profile. Refused over an existing history unless `replace` (asked and confirmed by
   * the person). People, accounts and API apps already here are kept and matched (by name, Client ID + environment,
   * client id); accounts come back without certificate or secret (onboard them again), apps without a valid AppID.
   * The audit log becomes the backup's chain (checked entry by entry), then this profile's earlier entries, then
   * "backup.restored", under a head sealed by THIS profile's vault.
   */
  async restore(file: string, passphrase: string, actor: string, opts: RestoreOptions = {}): Promise<BackupRestoreView> {
    if (!opts.replace) {
      const existing = this.existingHistory();
      const total = Object.values(existing).reduce((a, b) => a + b, 0);
      if (total > 0) {
        const parts = [
          existing.charges ? `${existing.charges} cobrança(s)` : '',
          existing.received_pix ? `${existing.received_pix} Pix recebido(s)` : '',
          existing.refunds ? `${existing.refunds} devolução(ões)` : '',
        ].filter(Boolean);
        throw new AppError(
          'BACKUP_TARGET_NOT_EMPTY',
          `Este perfil já tem histórico (${parts.join(', ') || `${total} registro(s)`}). Nada foi alterado. Restaure o backup num perfil novo, ou confirme que quer SUBSTITUIR o histórico deste perfil pelo do backup (o atual será apagado).`,
          existing,
        );
      }
    }
    const { manifest, header } = await this.inspect(file, passphrase);
    const target = schemaVersion(this.d.db);
    if (manifest.schemaVersion > target) {
      throw new AppError('BACKUP_NEWER', `Este backup foi feito por uma versão mais nova do PixDesk (${manifest.appVersion}). Atualize o PixDesk neste computador e restaure de novo. Nada foi alterado.`);
    }
    const fd = openBackup(file);
    try {
      const size = fs.fstatSync(fd).size;
      const again = Buffer.alloc(header.header.length);
      fs.readSync(fd, again, 0, again.length, 0);
      if (!again.equals(header.header)) throw corrupt(0);
      try {
        return this.d.db.transaction(() => this.write(fd, size, header, manifest, actor, opts))();
      } catch (e) {
        if (e instanceof AppError) throw e;
        if (e instanceof z.ZodError) throw formatError();
        throw new AppError(
          'BACKUP_RESTORE_FAILED',
          'O backup não pôde ser gravado neste perfil (os dados do arquivo não se encaixam: referências ou valores inválidos). Nada foi alterado. Tente com outra cópia do backup; se persistir, relate o problema.',
          { cause: (e as Error)?.message },
        );
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private write(fd: number, size: number, header: OpenedHeader, manifest: BackupManifest, actor: string, opts: RestoreOptions): BackupRestoreView {
    const db = this.d.db;
    db.pragma('defer_foreign_keys = ON');
    const hadAccounts = (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n > 0;
    const previous = db.prepare('SELECT at, actor, action, subject, details FROM audit_log ORDER BY seq').all() as { at: string; actor: string; action: string; subject: string | null; details: string }[];
    if (opts.replace) for (const t of REPLACE_ORDER) db.prepare(`DELETE FROM ${q(t)}`).run();
    // The chain is replaced by the backup's: the append-only trigger steps aside inside this transaction only.
    const guard = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_delete'").get() as { sql: string } | undefined;
    if (guard) db.exec('DROP TRIGGER audit_log_no_delete');
    db.exec('DELETE FROM audit_log');
    if (guard) db.exec(guard.sql);
    // Derived tables (day aggregates, text search) are rebuilt once at the end instead of row by row: the insert
    // triggers step aside inside this transaction only (a rollback brings them back with everything else).
    const derived = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${DERIVED_TRIGGERS.map(() => '?').join(',')})`).all(...DERIVED_TRIGGERS) as { name: string; sql: string }[];
    for (const t of derived) db.exec(`DROP TRIGGER ${q(t.name)}`);

    const maps = { users: new Map<string, string>(), accounts: new Map<string, string>(), apps: new Map<string, string>() };
    const merged = { users: 0, accounts: 0, apps: 0 };
    const restored: Record<string, number> = {};
    let appsNeedingAppId = 0;
    let insert: ((r: unknown[]) => void) | null = null;
    let current: BackupTable | null = null;
    let order = -1;
    let chain: ((r: unknown[]) => { seq: number; hash: string }) | null = null;
    let head = { seq: 0, hash: GENESIS_HASH };
    let first = true;
    let ended = false;

    const inserter = (t: BackupTable, cols: string[]): ((r: unknown[]) => void) => {
      const known = new Set(backupColumns(db, t));
      for (const c of cols) if (!known.has(c) || isSealedColumn(c)) throw formatError();
      const ix = (n: string) => cols.indexOf(n);
      const remap = cols.map((c) => (c === 'account_id' ? maps.accounts : c === 'app_id' ? maps.apps : c === 'created_by' ? maps.users : null));
      const mapped = (r: unknown[]): unknown[] =>
        r.map((v, i) => {
          const m = remap[i];
          if (!m || v === null) return v;
          const to = m.get(String(v));
          return to ?? (m === maps.users ? null : v);
        });
      const put = (extra: string[] = [], tail = '') => {
        const all = [...cols, ...extra];
        return db.prepare(`INSERT INTO ${q(t)} (${all.map(q).join(', ')}) VALUES (${all.map(() => '?').join(', ')})${tail}`);
      };
      const count = () => {
        restored[t] = (restored[t] ?? 0) + 1;
        opts.onRow?.(t, restored[t]);
      };
      switch (t) {
        case 'settings': {
          const s = put([], ' ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
          return (r) => {
            if (!SETTINGS_KEYS.includes(String(r[ix('key')]))) return;
            s.run(...(r as never[]));
            count();
          };
        }
        case 'users': {
          const s = put();
          const find = db.prepare('SELECT id FROM users WHERE id = ? OR name = ? COLLATE NOCASE ORDER BY id = ? DESC LIMIT 1');
          return (r) => {
            const id = String(r[ix('id')]);
            const hit = find.get(id, r[ix('name')], id) as { id: string } | undefined;
            if (hit) {
              maps.users.set(id, hit.id);
              merged.users++;
              return;
            }
            s.run(...(r as never[]));
            maps.users.set(id, id);
            count();
          };
        }
        case 'accounts': {
          const s = put(['client_secret_enc']);
          const find = db.prepare('SELECT id FROM accounts WHERE (client_id = ? AND environment = ?) OR id = ? ORDER BY id = ? DESC LIMIT 1');
          return (r) => {
            const id = String(r[ix('id')]);
            const hit = find.get(r[ix('client_id')], r[ix('environment')], id, id) as { id: string } | undefined;
            if (hit) {
              maps.accounts.set(id, hit.id);
              merged.accounts++;
              return;
            }
            const v = [...r];
            // The first account of an empty profile keeps its default role; beside existing accounts it does not take it.
            if (hadAccounts && ix('is_default') >= 0) v[ix('is_default')] = 0;
            // No secret is in a backup: the account holds an empty one, as onboarding does when the bank sends none.
            s.run(...(v as never[]), this.d.vault.seal('accounts', 'client_secret_enc', id, ''));
            maps.accounts.set(id, id);
            count();
          };
        }
        case 'api_apps': {
          const s = put(['secret_hash', 'secret_version']);
          const find = db.prepare('SELECT id FROM api_apps WHERE client_id = ? OR id = ? ORDER BY id = ? DESC LIMIT 1');
          return (r) => {
            const id = String(r[ix('id')]);
            const hit = find.get(r[ix('client_id')], id, id) as { id: string } | undefined;
            if (hit) {
              maps.apps.set(id, hit.id);
              merged.apps++;
              return;
            }
            // secret_version 0: "restored, no AppID yet". A random hash that no AppID matches until one is generated.
            s.run(...(mapped(r) as never[]), crypto.randomBytes(32), 0);
            maps.apps.set(id, id);
            if (r[ix('status')] === 'active') appsNeedingAppId++;
            count();
          };
        }
        case 'reconciliation_cursor': {
          const s = put([], ' ON CONFLICT(account_id) DO NOTHING');
          return (r) => {
            if (s.run(...(mapped(r) as never[])).changes) count();
          };
        }
        case 'audit_log': {
          const s = put();
          chain = this.chainChecker(cols);
          return (r) => {
            head = chain!(r);
            s.run(...(r as never[]));
            count();
          };
        }
        default: {
          const s = put();
          return (r) => {
            s.run(...(mapped(r) as never[]));
            count();
          };
        }
      }
    };

    for (const line of linesOf(readFrames(fd, size, header))) {
      if (ended) throw formatError();
      if (first) {
        first = false;
        if (JSON.stringify(parseManifest(line)) !== JSON.stringify(manifest)) throw corrupt(0);
        continue;
      }
      if (line.startsWith('[')) {
        const r = parseJson(line);
        if (!insert || !Array.isArray(r) || !r.every(isCell)) throw formatError();
        insert(r);
        continue;
      }
      const rec = parseJson(line) as { kind?: unknown };
      if (rec.kind === 'table') {
        const t = tableRecord.parse(rec);
        const at = BACKUP_TABLES.indexOf(t.name);
        if (at <= order) throw formatError();
        order = at;
        current = t.name;
        insert = inserter(current, t.columns);
      } else if (rec.kind === 'end') ended = true;
      else throw formatError();
    }
    if (!ended) throw formatError();
    if (head.seq !== manifest.audit.seq || head.hash !== manifest.audit.hash) throw corrupt(0);
    for (const t of derived) db.exec(t.sql);
    db.exec(REBUILD_CHARGES_DAILY);
    db.exec("INSERT INTO charges_fts (charges_fts) VALUES ('rebuild'); INSERT INTO received_pix_fts (received_pix_fts) VALUES ('rebuild');");

    // This profile's own earlier entries follow the backup's chain (same fields, new seq and hashes).
    const putAudit = db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const e of previous) {
      const seq = head.seq + 1;
      const hash = entryHash({ seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: e.details, prevHash: head.hash });
      putAudit.run(seq, e.at, e.actor, e.action, e.subject, e.details, head.hash, hash);
      head = { seq, hash };
    }
    const accountsToOnboard = (
      db.prepare('SELECT name, client_id, environment FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM certificates c WHERE c.account_id = a.id) ORDER BY created_at').all() as { name: string; client_id: string; environment: 'sandbox' | 'production' }[]
    ).map((a): RestoredAccountView => ({ name: a.name, clientId: a.client_id, environment: a.environment }));
    const entry = this.d.audit.append(actor, 'backup.restored', null, {
      backupCreatedAt: manifest.createdAt, sourceProfileId: manifest.profileId, appVersion: manifest.appVersion, backupAuditSeq: manifest.audit.seq,
      restored: Object.fromEntries(Object.entries(restored).filter(([k]) => k !== 'audit_log')), merged, replaced: opts.replace === true, earlierEntries: previous.length,
    });
    return {
      createdAt: manifest.createdAt, appVersion: manifest.appVersion, sourceProfileId: manifest.profileId, restored, merged, accountsToOnboard,
      appsNeedingAppId, auditEntries: entry.seq, replaced: opts.replace === true,
    };
  }

  // ---- The screen's side: a backup written in the profile, read in pieces; a backup sent in pieces, restored. ----

  /** Start writing a backup for the screen; `backup:status` follows it, `backup:read` downloads it when done. */
  startCreate(passphrase: string, actor: string): BackupJobView {
    if (passphrase.length < BACKUP_PASSPHRASE_MIN) throw weakPassphrase();
    fs.mkdirSync(this.d.dir, { recursive: true, mode: 0o700 });
    this.sweep();
    const id = crypto.randomBytes(12).toString('hex');
    const now = this.d.now();
    const stamp = new Date(now.getTime() - 3 * 3600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const view: BackupJobView = { id, fileName: `pixdesk-backup-${stamp}${BACKUP_EXTENSION}`, state: 'running', rows: 0, total: 0, bytes: 0, error: null };
    const file = path.join(this.d.dir, `${id}${BACKUP_EXTENSION}`);
    this.jobs.set(id, { view, file });
    void this.create(file, passphrase, actor, { progress: (rows, total) => Object.assign(view, { rows, total }) })
      .then((r) => Object.assign(view, { state: 'done', rows: r.rows, total: r.rows, bytes: r.bytes }))
      .catch((e: unknown) => Object.assign(view, { state: 'failed', error: e instanceof AppError ? e.message : 'Não foi possível gerar o backup. Verifique o espaço em disco e tente de novo.' }));
    return { ...view };
  }

  status(id: string): BackupJobView {
    return { ...this.job(id).view };
  }

  /** A piece of a finished backup (base64); the file is removed from the profile once its last piece was read. */
  read(id: string, offset: number): { base64: string; nextOffset: number | null; size: number } {
    const job = this.job(id);
    if (job.view.state !== 'done') throw new AppError('BACKUP_NOT_READY', 'O backup ainda não terminou. Aguarde a barra de progresso chegar ao fim.');
    const size = fs.statSync(job.file).size;
    const fd = fs.openSync(job.file, 'r');
    try {
      const buf = Buffer.alloc(Math.max(0, Math.min(READ_BYTES, size - offset)));
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      const next = offset + n;
      return { base64: buf.subarray(0, n).toString('base64'), nextOffset: next < size ? next : null, size };
    } finally {
      fs.closeSync(fd);
      if (offset + READ_BYTES >= size) {
        fs.rmSync(job.file, { force: true });
        this.jobs.delete(id);
      }
    }
  }

  private job(id: string): { view: BackupJobView; file: string } {
    const j = this.jobs.get(id);
    if (!j) throw new AppError('BACKUP_NOT_FOUND', 'Este backup não está mais disponível (o PixDesk foi reaberto ou o arquivo já foi baixado). Gere o backup de novo.');
    return j;
  }

  /** Append a piece of a backup file sent by the screen (offset 0 without an id starts a new upload). */
  upload(uploadId: string | undefined, offset: number, data: Buffer): BackupUploadView {
    fs.mkdirSync(this.d.dir, { recursive: true, mode: 0o700 });
    const id = uploadId ?? crypto.randomBytes(12).toString('hex');
    const file = this.uploadFile(id);
    const size = uploadId ? this.uploadSize(id) : 0;
    if (!uploadId) this.sweep();
    if (offset !== size) throw new AppError('BACKUP_UPLOAD_ORDER', 'O envio do arquivo de backup se perdeu no meio. Escolha o arquivo de novo.');
    if (size + data.length > MAX_BACKUP_BYTES) throw new AppError('BACKUP_TOO_LARGE', 'O arquivo passa do tamanho máximo de um backup (8 GB): não parece ser um backup do PixDesk.');
    fs.appendFileSync(file, data, { mode: 0o600 });
    return { uploadId: id, size: size + data.length };
  }

  /** Restore an uploaded backup; the upload is removed afterwards, whatever the outcome. */
  async restoreUpload(uploadId: string, passphrase: string, actor: string, replace: boolean): Promise<BackupRestoreView> {
    this.uploadSize(uploadId);
    try {
      return await this.restore(this.uploadFile(uploadId), passphrase, actor, { replace });
    } finally {
      fs.rmSync(this.uploadFile(uploadId), { force: true });
    }
  }

  private uploadFile(id: string): string {
    return path.join(this.d.dir, `upload-${id}.part`);
  }

  private uploadSize(id: string): number {
    try {
      return fs.statSync(this.uploadFile(id)).size;
    } catch {
      throw new AppError('BACKUP_NOT_FOUND', 'O arquivo de backup enviado não está mais aqui. Escolha o arquivo de novo.');
    }
  }

  /** Scratch files older than a day (an interrupted download or upload) are removed. */
  private sweep(): void {
    const cutoff = Date.now() - 24 * 3600_000;
    for (const f of fs.readdirSync(this.d.dir)) {
      const p = path.join(this.d.dir, f);
      try {
        if (fs.statSync(p).mtimeMs < cutoff) fs.rmSync(p, { force: true });
      } catch {
        /* gone already */
      }
    }
  }
}

function openBackup(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('FILE_NOT_FOUND', `Arquivo não encontrado: ${file}`);
    throw new AppError('FILE_NOT_READABLE', `Não foi possível ler o arquivo: ${file}`);
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile()) {
    fs.closeSync(fd);
    throw new AppError('FILE_NOT_REGULAR', `"${file}" não é um arquivo comum. Informe o arquivo de backup salvo em disco.`);
  }
  if (st.size > MAX_BACKUP_BYTES) {
    fs.closeSync(fd);
    throw new AppError('BACKUP_TOO_LARGE', 'O arquivo passa do tamanho máximo de um backup (8 GB): não parece ser um backup do PixDesk.');
  }
  return fd;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw formatError();
  }
}

function parseManifest(line: string): BackupManifest {
  const r = manifestSchema.safeParse(parseJson(line));
  if (!r.success) throw formatError();
  return r.data;
}
