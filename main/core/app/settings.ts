import type { Db } from '../db';
import { RENEWAL_WINDOW_DAYS } from '../contract/limits';
import type { Settings } from '../contract/types';

const DEFAULTS: Settings = { tillName: 'Caixa 1', renewalWindowDays: RENEWAL_WINDOW_DAYS.default, merchantName: '', merchantCity: '', lastPixKey: '', idleLockMinutes: 10, printerName: '' };
const KEYS = Object.keys(DEFAULTS) as (keyof Settings)[];
/** The person's settings (what Ajustes edits); other keys of the table are internal flags of this installation. */
export const SETTINGS_KEYS: readonly string[] = KEYS;

/** Installation settings in the `settings` table (plain values only; secrets go through the vault). */
export class SettingsStore {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  /** All settings, with defaults for the ones never set. */
  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const out: Settings = { ...DEFAULTS };
    const bag = out as unknown as Record<string, unknown>;
    for (const r of rows) {
      // Only known keys with the default's type are read back: internal flags share the table.
      const k = r.key as keyof Settings;
      if (!KEYS.includes(k)) continue;
      const v = JSON.parse(r.value) as unknown;
      if (typeof v === typeof DEFAULTS[k]) bag[k] = v;
    }
    return out;
  }

  /** Update some settings atomically and return them all. */
  set(patch: Partial<Settings>): Settings {
    const put = this.db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(patch)) {
        if (v !== undefined) put.run(k, JSON.stringify(v), this.now().toISOString());
      }
    })();
    return this.get();
  }

  /** Raw access for internal flags (e.g. an accepted key backend). */
  getRaw(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setRaw(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, value, this.now().toISOString());
  }
}
