import type { ChargeListFilter, ChargeStatus } from '../../main/core/contract/types';

/*
 * The list filter lives in the URL hash (`#/cobrancas?status=paid&from=2026-11-01&min=10.50&q=maria`) so a reload
 * or a shared link shows the same list. Amounts travel in reais with a dot; days are São Paulo dates.
 */

export const STATUSES: readonly ChargeStatus[] = ['active', 'pending_confirmation', 'paid', 'expired', 'cancelled', 'failed', 'creating'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "10.50" / "10,50" / "1.234,56" → cents; null when empty; NaN when not an amount. */
export function reaisToCents(text: string): number | null {
  const s = text.trim();
  if (!s) return null;
  const grouped = /^(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(s);
  const m = grouped ?? /^(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]!.replace(/\./g, '')) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1050 → "10.50" (URL form). */
export function centsToUrl(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** The filter written in a hash (anything unknown or malformed is dropped, never trusted). */
export function filterFromHash(hash: string): ChargeListFilter {
  const q = hash.indexOf('?');
  const p = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const f: ChargeListFilter = {};
  const status = p.get('status');
  if (status && (STATUSES as readonly string[]).includes(status)) f.status = status as ChargeStatus;
  const account = p.get('account');
  if (account && UUID.test(account)) f.accountId = account;
  const till = p.get('till')?.trim();
  if (till) f.till = till.slice(0, 40);
  const from = p.get('from');
  if (from && DAY.test(from)) f.from = from;
  const to = p.get('to');
  if (to && DAY.test(to)) f.to = to;
  const min = reaisToCents(p.get('min') ?? '');
  if (min !== null && Number.isFinite(min)) f.minCents = min;
  const max = reaisToCents(p.get('max') ?? '');
  if (max !== null && Number.isFinite(max)) f.maxCents = max;
  const text = p.get('q')?.trim();
  if (text) f.q = text.slice(0, 100);
  return f;
}

/** The hash of the Cobranças section showing `f`. */
export function hashOfFilter(f: ChargeListFilter): string {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.accountId) p.set('account', f.accountId);
  if (f.till) p.set('till', f.till);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.minCents !== undefined) p.set('min', centsToUrl(f.minCents));
  if (f.maxCents !== undefined) p.set('max', centsToUrl(f.maxCents));
  if (f.q) p.set('q', f.q);
  const s = p.toString();
  return s ? `#/cobrancas?${s}` : '#/cobrancas';
}

/** A stable key of a filter (to drop answers for a filter that is no longer shown). */
export function filterKey(f: ChargeListFilter): string {
  return hashOfFilter(f);
}

/**
 * Where position `index` of the list is: its São Paulo day and how many rows of that day come before it.
 * `days` is the summary's histogram, newest day first.
 */
export function seekOf(days: readonly [string, number][], index: number): { day: string; skip: number } | null {
  let before = 0;
  for (const [day, n] of days) {
    if (index < before + n) return { day, skip: index - before };
    before += n;
  }
  return null;
}
