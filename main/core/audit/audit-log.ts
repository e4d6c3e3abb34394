import type { Db } from '../db';
import { redactText, sanitize } from '../log';
import type { Vault } from '../vault';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain';

/** One stored audit entry, as the screen, the CLI and the export read it. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What `verify` found: the whole chain intact, or the first entry where it breaks and what is wrong there. */
export type AuditVerdict =
  | { ok: true; entries: number; headSeq: number }
  | { ok: false; entries: number; seq: number; problem: string };

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const MAX_DETAILS = 4000;

/**
 * The append-only audit log of a profile (table `audit_log`, migration 0008). Entries are chained by hash;
 * the head (last seq and hash) is also sealed by the vault in `audit_head`, written in the same transaction
 * as the entry, so the tail cannot be cut nor the chain rebuilt without the profile's key.
 * Details never carry secrets: secret-named keys and secret-shaped text are redacted before hashing.
 */
export class AuditLog {
  private readonly insert;
  private readonly putHead;

  constructor(private readonly db: Db, private readonly vault: Vault, private readonly now: () => Date = () => new Date()) {
    this.insert = db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.putHead = db.prepare(
      'INSERT INTO audit_head (id, seq, hash, head_enc) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, head_enc = excluded.head_enc',
    );
  }

  /** Append one entry (and move the sealed head) atomically; returns it. */
  append(actor: string, action: string, subject: string | null = null, details: Record<string, unknown> = {}): AuditEntry {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const at = this.now().toISOString();
      const text = safeDetails(details);
      const hash = entryHash({ seq, at, actor, action, subject, details: text, prevHash });
      this.insert.run(seq, at, actor, action, subject, text, prevHash, hash);
      this.putHead.run(seq, hash, this.vault.seal('audit_head', 'head_enc', '1', `${seq}:${hash}`));
      return { seq, at, actor, action, subject, details: JSON.parse(text) as Record<string, unknown>, prevHash, hash };
    })();
  }

  /** Newest first, `limit` entries older than `beforeSeq` (keyset paging on seq). */
  page(opts: { beforeSeq?: number | undefined; limit?: number | undefined; action?: string | undefined } = {}): { items: AuditEntry[]; nextBefore: number | null; total: number } {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE seq < ? ${opts.action ? 'AND action = ?' : ''} ORDER BY seq DESC LIMIT ?`)
      .all(...[opts.beforeSeq ?? Number.MAX_SAFE_INTEGER, ...(opts.action ? [opts.action] : []), limit + 1]) as Row[];
    const items = rows.slice(0, limit).map(view);
    const total = (this.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    return { items, nextBefore: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null, total };
  }

  /** Every entry, oldest first (export). */
  all(): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[]).map(view);
  }

  /**
   * Walk the chain from seq 1: a gap in seq, a prev_hash that is not the previous entry's hash, a hash that is not
   * the hash of the entry's own fields, or a last entry that is not the sealed head all name the first broken seq.
   * Reads the rows as stored, so it holds even when the triggers were dropped and rows were edited directly.
   */
  verify(): AuditVerdict {
    let expected = 1;
    let prev = GENESIS_HASH;
    let entries = 0;
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
      entries++;
      if (r.seq !== expected) {
        return { ok: false, entries, seq: expected, problem: r.seq > expected ? `a entrada ${expected} sumiu (a seguinte é a ${r.seq})` : `número de entrada repetido ou fora de ordem (${r.seq})` };
      }
      if (r.prev_hash !== prev) {
        return { ok: false, entries, seq: r.seq, problem: `o hash anterior não confere com a entrada ${r.seq - 1} (uma das duas foi alterada)` };
      }
      const h = entryHash({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: r.details, prevHash: r.prev_hash });
      if (h !== r.hash) return { ok: false, entries, seq: r.seq, problem: 'o conteúdo foi alterado (o hash não confere com os campos)' };
      prev = r.hash;
      expected++;
    }
    const last = expected - 1;
    const head = this.sealedHead();
    if (head === 'unreadable') return { ok: false, entries, seq: last + 1, problem: 'o registro lacrado do fim da cadeia foi alterado (não abre com a chave do perfil)' };
    if (head === null) {
      return last === 0 ? { ok: true, entries, headSeq: 0 } : { ok: false, entries, seq: 1, problem: 'o registro lacrado do fim da cadeia sumiu' };
    }
    if (head.seq > last) return { ok: false, entries, seq: last + 1, problem: `as entradas de ${last + 1} a ${head.seq} foram apagadas (o fim lacrado da cadeia é a ${head.seq})` };
    if (head.seq < last) return { ok: false, entries, seq: head.seq + 1, problem: `entradas depois da ${head.seq} foram inseridas por fora do PixDesk (o fim lacrado da cadeia é a ${head.seq})` };
    if (head.hash !== prev) return { ok: false, entries, seq: last, problem: 'a cadeia foi refeita: o hash da última entrada não é o lacrado' };
    return { ok: true, entries, headSeq: head.seq };
  }

  private sealedHead(): { seq: number; hash: string } | null | 'unreadable' {
    const row = this.db.prepare('SELECT head_enc FROM audit_head WHERE id = 1').get() as { head_enc: Buffer } | undefined;
    if (!row) return null;
    try {
      const [seq, hash] = this.vault.openString('audit_head', 'head_enc', '1', row.head_enc).split(':');
      return { seq: Number(seq), hash: hash ?? '' };
    } catch {
      return 'unreadable';
    }
  }
}

function view(r: Row): AuditEntry {
  let details: Record<string, unknown> = {};
  try {
    const d = JSON.parse(r.details) as unknown;
    if (d && typeof d === 'object' && !Array.isArray(d)) details = d as Record<string, unknown>;
  } catch {
    details = { invalid: true };
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details, prevHash: r.prev_hash, hash: r.hash };
}

/** Details as canonical JSON with secrets removed by name and by shape, capped in size. */
function safeDetails(details: Record<string, unknown>): string {
  const text = redactText(canonicalJson(sanitize(details)));
  return text.length <= MAX_DETAILS ? text : canonicalJson({ truncated: true, size: text.length });
}

const CSV_HEAD = ['seq', 'data_hora_utc', 'quem', 'acao', 'assunto', 'detalhes', 'hash_anterior', 'hash'];

/** One CSV field: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The entries as CSV (UTF-8, comma-separated, header row), oldest first. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [CSV_HEAD.join(',')];
  for (const e of entries) {
    lines.push([String(e.seq), e.at, e.actor, e.action, e.subject ?? '', canonicalJson(e.details), e.prevHash, e.hash].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
