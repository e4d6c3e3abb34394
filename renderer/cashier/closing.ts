/**
 * "Fechamento de caixa": the till's day from its charges and the bank's received Pix. Pure (no DOM), so the totals,
 * the reconciliation and the CSV are unit-tested; ClosingPanel.tsx only loads the data and shows this.
 */
import type { ChargeStatus, ChargeView, ReceivedPixView } from '../../main/core/contract';
import { messages } from '../messages';

const TZ = 'America/Sao_Paulo';
const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const hourFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', hourCycle: 'h23' });
const timeFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "2026-12-01": the São Paulo calendar day of an instant. */
export function spDay(iso: string | Date): string {
  return dayFmt.format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** 0–23: the São Paulo hour of an instant. */
export function spHour(iso: string): number {
  return Number(hourFmt.format(new Date(iso))) % 24;
}

export type Reconciliation = 'ok' | 'missing' | 'amount' | 'unpaid';

/** One line of the reconciliation: a charge paid here against the Pix the bank listed with its e2eid. */
export interface ClosingLine {
  charge: ChargeView;
  pix: ReceivedPixView | null;
  state: Reconciliation;
}

export interface TillClosing {
  day: string;
  till: string;
  byStatus: { status: ChargeStatus; count: number; cents: number }[];
  byHour: { hour: number; count: number; paidCents: number }[];
  paidCents: number;
  lines: ClosingLine[];
  /** Lines that do not reconcile: paid without the bank's Pix, a different amount, or a Pix for a charge still open here. */
  differences: ClosingLine[];
}

const STATUS_ORDER: ChargeStatus[] = ['paid', 'active', 'pending_confirmation', 'creating', 'expired', 'cancelled', 'failed'];

/**
 * The closing of `till` on São Paulo day `day` ("2026-12-01"): totals by status and by hour (of creation), and each
 * charge reconciled with the received Pix by e2eid (or, for a charge not paid here, by charge id or txid).
 */
export function closeTill(day: string, till: string, charges: readonly ChargeView[], received: readonly ReceivedPixView[]): TillClosing {
  const mine = charges.filter((c) => c.till === till && spDay(c.createdAt) === day);
  const byE2e = new Map(received.map((p) => [p.e2eid, p]));
  const byStatus = STATUS_ORDER.map((status) => {
    const of = mine.filter((c) => c.status === status);
    return { status, count: of.length, cents: of.reduce((s, c) => s + (status === 'paid' ? (c.paidCents ?? c.amountCents) : c.amountCents), 0) };
  }).filter((s) => s.count > 0);
  const hours = new Map<number, { hour: number; count: number; paidCents: number }>();
  for (const c of mine) {
    const h = spHour(c.createdAt);
    const row = hours.get(h) ?? { hour: h, count: 0, paidCents: 0 };
    row.count++;
    if (c.status === 'paid') row.paidCents += c.paidCents ?? c.amountCents;
    hours.set(h, row);
  }
  const lines: ClosingLine[] = [];
  for (const c of mine) {
    if (c.status === 'paid') {
      const pix = c.e2eid ? (byE2e.get(c.e2eid) ?? null) : null;
      const state: Reconciliation = !pix ? 'missing' : pix.amountCents !== (c.paidCents ?? c.amountCents) ? 'amount' : 'ok';
      lines.push({ charge: c, pix, state });
    } else {
      // The bank received a Pix for a charge this till does not count as paid (yet).
      const pix = received.find((p) => p.chargeId === c.id || (p.txid !== null && p.txid === c.txid));
      if (pix) lines.push({ charge: c, pix, state: 'unpaid' });
    }
  }
  const paidCents = mine.filter((c) => c.status === 'paid').reduce((s, c) => s + (c.paidCents ?? c.amountCents), 0);
  return {
    day,
    till,
    byStatus,
    byHour: [...hours.values()].sort((a, b) => a.hour - b.hour),
    paidCents,
    lines,
    differences: lines.filter((l) => l.state !== 'ok'),
  };
}

/** 1050 → "10,50" (the decimal comma a Brazilian spreadsheet expects, no thousands separator). */
export function csvCents(cents: number): string {
  return `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}

function csvField(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Reconciliation labels as the CSV and the screen write them (messages.ts passes them in). */
export type ReconciliationLabels = Record<Reconciliation, string> & { status: Record<string, string> };

/**
 * The closing as CSV for Excel in pt-BR: UTF-8 with BOM, `;` between fields, decimal comma, CRLF lines, times in
 * São Paulo. One line per charge of the day, then the totals.
 */
export function closingCsv(c: TillClosing, charges: readonly ChargeView[], labels: ReconciliationLabels): string {
  const f = messages.cashier.closing.file;
  const head = [f.hour, f.till, f.amount, f.status, f.paid, f.payer, f.txid, f.e2e, f.bankCheck];
  const lineOf = new Map(c.lines.map((l) => [l.charge.id, l]));
  const rows = charges
    .filter((x) => x.till === c.till && spDay(x.createdAt) === c.day)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    .map((x) => {
      const l = lineOf.get(x.id);
      return [
        timeFmt.format(new Date(x.createdAt)),
        x.till ?? '',
        csvCents(x.amountCents),
        labels.status[x.status] ?? x.status,
        x.status === 'paid' ? csvCents(x.paidCents ?? x.amountCents) : '',
        x.payer?.name ?? '',
        x.txid,
        x.e2eid ?? '',
        l ? labels[l.state] : '',
      ];
    });
  const totals = c.byStatus.map((s) => [`Total ${labels.status[s.status] ?? s.status}`, c.till, csvCents(s.cents), String(s.count), '', '', '', '', '']);
  const all = [head, ...rows, [], ...totals];
  return `\uFEFF${all.map((r) => r.map(csvField).join(';')).join('\r\n')}\r\n`;
}
