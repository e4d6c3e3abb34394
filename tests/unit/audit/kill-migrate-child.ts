/**
 * Child process of the kill-point test for migrations (small on purpose: only the database layer, so each kill
 * costs a process start and not the whole app). Runs the app's migrations and SIGKILLs itself inside the
 * transaction right after step STEP, after spinning SPIN_US microseconds (a random instant after the step).
 *
 *   kill-migrate-child DBFILE STEP SPIN_US
 */
import Database from 'better-sqlite3';
import { migrate, type Migration } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';

const [file, stepArg, spinArg] = process.argv.slice(2);
const step = Number(stepArg);
const spinUs = Number(spinArg);

function spin(us: number): void {
  const end = process.hrtime.bigint() + BigInt(us) * 1000n;
  while (process.hrtime.bigint() < end) {
    /* busy on purpose */
  }
}

const db = new Database(file!);
db.pragma('journal_mode = WAL');
const wrapped: Migration[] = appMigrations.map((m, i) => ({
  ...m,
  up(d) {
    m.up(d);
    if (i + 1 === step) {
      spin(spinUs);
      process.kill(process.pid, 'SIGKILL');
    }
  },
}));
migrate(db, wrapped);
process.stdout.write('migrated\n');
