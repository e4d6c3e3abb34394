import type { ChargeListFilter, ChargeListItem, ChargeSummary } from '../contract/types';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { ChargeStatus } from './charge-store';
import { encodeCursor } from './charge-store';

/*
 * The Cobranças list over SQLite at a million rows (migration 0007): one WHERE builder shared by the page, the
 * totals and the export, so the three always agree on what "this filter" means.
 *
 * Pages are keyset on (created_at DESC, id DESC), never OFFSET. To jump to a far position of the virtual table the
 * renderer asks for `seek: {day, skip}`: the per-day histogram (from `charges_daily`) says which São Paulo day holds
 * the position, and the skip is counted inside that one day's index range only.
 */

/** São Paulo is UTC−3 all year (no daylight saving time since 2019). */
const SP_OFFSET_MS = 3 * 3600_000;

/** "2026-03-01" (a São Paulo day) → the UTC ISO instant it starts at. */
export function dayStartUtc(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + SP_OFFSET_MS).toISOString();
}

/** The São Paulo day after `day`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The São Paulo day ("YYYY-MM-DD") of an instant. */
export function spDay(at: Date | number): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) - SP_OFFSET_MS).toISOString().slice(0, 10);
}

/** FTS5 query from free text: each word a quoted prefix term, so no FTS syntax can be injected. */
export function ftsTerms(text: string): string | null {
  const words = text.normalize('NFKC').split(/\s+/).map((w) => w.replace(/["*^:()]/g, '')).filter((w) => w.length > 0).slice(0, 8);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** Text that may be (the start of) a txid or an e2eid: one alphanumeric word of 6+ characters. */
const ID_LIKE = /^[A-Za-z0-9]{6,35}$/;

interface Where {
  /** `charges`, or `charges INDEXED BY …` when the amount range is narrow enough to walk by amount. */
  from: string;
  clauses: string[];
  params: Record<string, string | number>;
}

/** Amount ranges matching fewer rows than this are walked by amount and sorted; wider ones are checked in list order. */
const NARROW_AMOUNT_ROWS = 20_000;

/**
 * How to answer an amount range. A narrow range (few rows) is cheapest read from the amount index and sorted; a wide
 * one is cheapest checked inside the list-order index (amount_cents is its last column) until a page is full. A
 * bounded count over the amount index (at most NARROW_AMOUNT_ROWS entries) tells which, instead of SQLite's guess.
 */
function amountIsNarrow(db: Db, f: ChargeListFilter): boolean {
  const r = db
    .prepare('SELECT count(*) AS n FROM (SELECT 1 FROM charges INDEXED BY charges_by_amount WHERE amount_cents BETWEEN @lo AND @hi LIMIT @cap)')
    .get({ lo: f.minCents ?? 0, hi: f.maxCents ?? Number.MAX_SAFE_INTEGER, cap: NARROW_AMOUNT_ROWS }) as { n: number };
  return r.n < NARROW_AMOUNT_ROWS;
}

/** Whether the filter can be answered from `charges_daily` alone (no amount range, no text). */
export function aggregatable(f: ChargeListFilter): boolean {
  return f.minCents === undefined && f.maxCents === undefined && !f.q?.trim();
}

function checkFilter(f: ChargeListFilter): void {
  if (f.minCents !== undefined && f.maxCents !== undefined && f.minCents > f.maxCents) {
    throw new AppError('FILTER_INVALID', 'O valor mínimo é maior que o máximo. Troque os dois valores de lugar.');
  }
  if (f.from && f.to && f.from > f.to) throw new AppError('FILTER_INVALID', 'A data inicial é depois da final. Corrija o período.');
}

/** WHERE clauses over `charges` for a filter (named parameters, never string-built values). */
export function chargesWhere(db: Db, f: ChargeListFilter): Where {
  checkFilter(f);
  const hasAmount = f.minCents !== undefined || f.maxCents !== undefined;
  const narrow = hasAmount && amountIsNarrow(db, f);
  // `+amount_cents` keeps SQLite from walking the amount index for a wide range (see amountIsNarrow).
  const amt = narrow ? 'amount_cents' : '+amount_cents';
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.status) {
    clauses.push('status = @status');
    params.status = f.status;
  }
  if (f.accountId) {
    clauses.push('account_id = @account');
    params.account = f.accountId;
  }
  if (f.till) {
    clauses.push('till = @till');
    params.till = f.till;
  }
  if (f.from) {
    clauses.push('created_at >= @from');
    params.from = dayStartUtc(f.from);
  }
  if (f.to) {
    clauses.push('created_at < @to');
    params.to = dayStartUtc(nextDay(f.to));
  }
  if (f.minCents !== undefined) {
    clauses.push(`${amt} >= @minCents`);
    params.minCents = f.minCents;
  }
  if (f.maxCents !== undefined) {
    clauses.push(`${amt} <= @maxCents`);
    params.maxCents = f.maxCents;
  }
  const text = f.q?.trim();
  let inList = 'rowid IN';
  if (text) {
    const parts: string[] = [];
    const fts = ftsTerms(text);
    const hits = fts ? textHits(db, fts) : null;
    if (hits) {
      parts.push(`SELECT rowid FROM temp.${HITS}`);
      // Many matches: walk the list in order and keep the matching rows (a page is found in the first few thousand
      // entries). Few matches: fetch them by rowid and sort (walking the list would read it to its end).
      if (hits.n >= WIDE_TEXT_ROWS && !narrow) inList = '+rowid IN';
    } else if (fts) {
      parts.push('SELECT rowid FROM charges_fts WHERE charges_fts MATCH @fts');
      params.fts = fts;
    }
    if (ID_LIKE.test(text)) {
      // txid and e2eid are case-sensitive alphanumerics: a prefix range over their indexes.
      parts.push('SELECT rowid FROM charges WHERE txid >= @idLo AND txid < @idHi');
      parts.push('SELECT rowid FROM charges WHERE e2eid >= @idLo AND e2eid < @idHi');
      params.idLo = text;
      params.idHi = `${text}\u{10ffff}`;
    }
    clauses.push(parts.length ? `${inList} (${parts.join(' UNION ')})` : '0');
  }
  return { from: narrow ? 'charges INDEXED BY charges_by_amount' : 'charges', clauses, params };
}

/*
 * Text search at a million rows: a common word ("maria") matches tens of thousands of charges, and re-running the
 * FTS match for every page of the same search cost ~85 ms a page. The matching rowids of the CURRENT search are kept
 * in a TEMP table of the connection (one search at a time), valid while the database has not changed: the stamp is
 * `PRAGMA data_version` (commits by other connections) plus `total_changes()` (writes by this one).
 */
const HITS = 'pixdesk_text_hits';
/** From this many matches a page walks the list order instead of sorting the matches. */
const WIDE_TEXT_ROWS = 2000;
const hitCache = new WeakMap<Db, { fts: string; stamp: string; n: number }>();
let textCacheOn = true;

/** Turn the text-hit cache off or on (the benchmark's baseline measures the search without it). */
export function setTextHitCache(on: boolean): void {
  textCacheOn = on;
}

function stampOf(db: Db): string {
  const dv = db.pragma('data_version', { simple: true }) as number;
  const tc = (db.prepare('SELECT total_changes() AS c').get() as { c: number }).c;
  return `${dv}:${tc}`;
}

/** The cached matches of an FTS query (filled now if needed), or null when the cache cannot be used. */
function textHits(db: Db, fts: string): { n: number } | null {
  if (!textCacheOn) return null;
  try {
    const c = hitCache.get(db);
    if (c && c.fts === fts && c.stamp === stampOf(db)) return { n: c.n };
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${HITS} (rowid INTEGER PRIMARY KEY); DELETE FROM temp.${HITS};`);
    const n = db.prepare(`INSERT INTO temp.${HITS} (rowid) SELECT rowid FROM charges_fts WHERE charges_fts MATCH ?`).run(fts).changes;
    hitCache.set(db, { fts, stamp: stampOf(db), n });
    return { n };
  } catch {
    // A connection that cannot write even TEMP tables: search without the cache.
    hitCache.delete(db);
    return null;
  }
}

/** The aggregate rows' WHERE for an aggregatable filter. */
function dailyWhere(f: ChargeListFilter): Where {
  checkFilter(f);
  const clauses: string[] = ['n > 0'];
  const params: Record<string, string | number> = {};
  const add = (clause: string, key: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    clauses.push(clause);
    params[key] = value;
  };
  add('status = @status', 'status', f.status);
  add('account_id = @account', 'account', f.accountId);
  add('till = @till', 'till', f.till);
  add('day >= @from', 'from', f.from);
  add('day <= @to', 'to', f.to);
  return { from: 'charges_daily', clauses, params };
}

const where = (w: Where, extra: string[] = []) => {
  const all = [...w.clauses, ...extra];
  return all.length ? `WHERE ${all.join(' AND ')}` : '';
};

/** Columns of a list row: only what the table shows (the details come from charges:get). */
export const LIST_COLUMNS =
  'id, txid, account_id, till, kind, status, amount_cents, paid_cents, description, payer_name, payer_doc_masked, e2eid, created_at, paid_at';

export interface ListRowDb {
  id: string;
  txid: string;
  account_id: string;
  till: string | null;
  kind: 'dynamic' | 'static';
  status: ChargeStatus;
  amount_cents: number;
  paid_cents: number | null;
  description: string | null;
  payer_name: string | null;
  payer_doc_masked: string | null;
  e2eid: string | null;
  created_at: string;
  paid_at: string | null;
}

/** A database row as the list shows it. */
export function listItem(r: ListRowDb): ChargeListItem {
  return {
    id: r.id, txid: r.txid, accountId: r.account_id, till: r.till, kind: r.kind, status: r.status, amountCents: r.amount_cents,
    paidCents: r.paid_cents, description: r.description, payerName: r.payer_name, payerDocument: r.payer_doc_masked, e2eid: r.e2eid,
    createdAt: r.created_at, paidAt: r.paid_at,
  };
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  throw new AppError('INVALID_CURSOR', 'Posição de página inválida. Volte para o início da lista.');
}

export interface PageRequest {
  cursor?: string | undefined;
  /** Start at the `skip`-th row (0-based, in list order) of São Paulo day `day` instead of a cursor. */
  seek?: { day: string; skip: number } | undefined;
  limit: number;
}

/**
 * One page of the filtered list, newest first. With `cursor`: the rows after it (keyset). With `seek`: the rows
 * from a position inside one day (the only place a skip is counted, bounded by that day's rows).
 */
export function queryPage(db: Db, f: ChargeListFilter, p: PageRequest): { items: ChargeListItem[]; nextCursor: string | null } {
  const w = chargesWhere(db, f);
  const params: Record<string, string | number> = { ...w.params, limit: p.limit + 1 };
  const extra: string[] = [];
  if (p.cursor) {
    const [at, id] = decodeCursor(p.cursor);
    extra.push('(created_at, id) < (@cAt, @cId)');
    Object.assign(params, { cAt: at, cId: id });
  } else if (p.seek) {
    const dp = { ...w.params, dLo: dayStartUtc(p.seek.day), dHi: dayStartUtc(nextDay(p.seek.day)), skip: p.seek.skip };
    const anchor = db
      .prepare(`SELECT created_at, id FROM ${w.from} ${where(w, ['created_at >= @dLo', 'created_at < @dHi'])} ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET @skip`)
      .get(dp) as { created_at: string; id: string } | undefined;
    if (!anchor) return { items: [], nextCursor: null };
    extra.push('(created_at, id) <= (@cAt, @cId)');
    Object.assign(params, { cAt: anchor.created_at, cId: anchor.id });
  }
  const rows = db.prepare(`SELECT ${LIST_COLUMNS} FROM ${w.from} ${where(w, extra)} ORDER BY created_at DESC, id DESC LIMIT @limit`).all(params) as ListRowDb[];
  const more = rows.length > p.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { items: rows.map(listItem), nextCursor: more && last ? encodeCursor(last.created_at, last.id) : null };
}

/**
 * Count and sums of the filter, with the per-day counts (newest day first) the renderer maps scroll positions to.
 * Status/account/till/period filters read `charges_daily`; an amount range or text is summed over the matching rows.
 */
export function querySummary(db: Db, f: ChargeListFilter): ChargeSummary {
  type DayRow = { day: string; n: number; amount: number; paid: number };
  let days: DayRow[];
  if (aggregatable(f)) {
    const w = dailyWhere(f);
    days = db
      .prepare(`SELECT day, sum(n) AS n, sum(amount_cents) AS amount, sum(paid_cents) AS paid FROM charges_daily ${where(w)} GROUP BY day ORDER BY day DESC`)
      .all(w.params) as DayRow[];
  } else {
    const w = chargesWhere(db, f);
    days = db
      .prepare(
        `SELECT date(created_at, '-3 hours') AS day, count(*) AS n, sum(amount_cents) AS amount, sum(coalesce(paid_cents, 0)) AS paid
         FROM ${w.from} ${where(w)} GROUP BY 1 ORDER BY 1 DESC`,
      )
      .all(w.params) as DayRow[];
  }
  days = days.filter((d) => d.n > 0);
  return {
    count: days.reduce((s, d) => s + d.n, 0),
    amountCents: days.reduce((s, d) => s + d.amount, 0),
    paidCents: days.reduce((s, d) => s + d.paid, 0),
    days: days.map((d) => [d.day, d.n]),
  };
}

/** The filtered rows in list order, one at a time (the export reads them with this, never all at once). */
export function iterateRows(db: Db, f: ChargeListFilter): IterableIterator<ListRowDb> {
  const w = chargesWhere(db, f);
  return db.prepare(`SELECT ${LIST_COLUMNS} FROM ${w.from} ${where(w)} ORDER BY created_at DESC, id DESC`).iterate(w.params) as IterableIterator<ListRowDb>;
}

/** EXPLAIN QUERY PLAN of the first page of a filter (tests and docs check that no full sort or scan happens). */
export function explainPage(db: Db, f: ChargeListFilter): string {
  const w = chargesWhere(db, f);
  const rows = db
    .prepare(`EXPLAIN QUERY PLAN SELECT ${LIST_COLUMNS} FROM ${w.from} ${where(w, ['(created_at, id) < (@cAt, @cId)'])} ORDER BY created_at DESC, id DESC LIMIT 101`)
    .all({ ...w.params, cAt: '9999', cId: '' }) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}
