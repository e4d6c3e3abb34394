import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { PRIVATE_FILE_MODE, withPrivateUmask } from '../profile';

export type Db = Database.Database;

/** One numbered schema step. `version` must equal its position (1, 2, 3 …). */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export interface OpenOptions {
  /** Path to the .sqlite file; ':memory:' for tests that need no file. */
  file: string;
  migrations: readonly Migration[];
  /** Electron builds its own copy of the native addon; Node uses the default one. */
  nativeBinding?: string | undefined;
  readonly?: boolean;
}

/**
 * Open a database with WAL and foreign keys, then bring it to the newest schema in ONE transaction.
 * A database written by a newer PixDesk is refused (opening it would risk silently corrupting data).
 */
export function openDatabase(opts: OpenOptions): Db {
  const onDisk = opts.file !== ':memory:';
  if (onDisk) {
    fs.mkdirSync(path.dirname(opts.file), { recursive: true, mode: 0o700 });
    // SQLite gives -wal/-shm the main file's mode: narrow an existing file before anything opens it.
    privateFiles(opts.file);
  }
  // The database, its -wal and -shm are created owner-only (0600) from the first byte.
  return withPrivateUmask(() => {
    const db = new Database(opts.file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    try {
      if (onDisk) db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      // Deleted and overwritten content is zeroed, so a wiped secret (a spent token) does not linger in free pages.
      db.pragma('secure_delete = ON');
      migrate(db, opts.migrations);
      if (onDisk) privateFiles(opts.file);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  });
}

/** chmod 0600 the database file and its companions that exist (POSIX only). */
function privateFiles(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.chmodSync(f, PRIVATE_FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** Apply pending migrations atomically. Exported for tests that step through versions. */
export function migrate(db: Db, migrations: readonly Migration[], target?: number): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = target ?? migrations.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new AppError(
      'DB_NEWER',
      `Este banco de dados foi criado por uma versão mais nova do PixDesk (esquema ${current}; esta versão conhece até ${migrations.length}). Atualize o PixDesk para abri-lo — nada foi alterado.`,
    );
  }
  if (current >= latest) return;
  const run = db.transaction(() => {
    for (const m of migrations.slice(current, latest)) m.up(db);
    db.pragma(`user_version = ${latest}`);
  });
  run();
}

/** Current schema version of an open database. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
