/**
 * "Fechamento de caixa" as an Excel workbook (SheetJS): real numbers with the BRL number format and real dates
 * (São Paulo wall-clock time), so the cashier's spreadsheet sums and sorts without retyping. The only renderer module
 * that imports `xlsx`: ClosingPanel loads it on demand, so the library stays out of the Caixa's first paint.
 */
import * as XLSX from 'xlsx';
import type { ChargeView } from '../../main/core/contract';
import { messages } from '../messages';
import { spDay, type ReconciliationLabels, type TillClosing } from './closing';

const F = messages.cashier.closing.file;

/** Excel's number format for reais: `R$ 1.234,50` in a pt-BR Excel. */
export const BRL_FORMAT = '"R$" #,##0.00';
/** Day and time, as a pt-BR reader expects. */
export const DATE_FORMAT = 'dd/mm/yyyy hh:mm:ss';

const spParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/Sao_Paulo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * The Excel serial date of an instant as São Paulo's wall clock shows it (Excel dates have no time zone, so the
 * value must already be local: 12:00 in São Paulo is 12:00 in the sheet whatever the machine's zone).
 */
export function spExcelDate(iso: string): number {
  const p = Object.fromEntries(spParts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return wall / 86_400_000 + 25_569; // 25569: 1970-01-01 in Excel's 1900 date system
}

const money = (cents: number): XLSX.CellObject => ({ t: 'n', v: cents / 100, z: BRL_FORMAT });
const date = (iso: string): XLSX.CellObject => ({ t: 'n', v: spExcelDate(iso), z: DATE_FORMAT });
const text = (s: string): XLSX.CellObject => ({ t: 's', v: s });
const int = (n: number): XLSX.CellObject => ({ t: 'n', v: n });
type Row = (XLSX.CellObject | null)[];

function sheet(rows: Row[], widths: number[]): XLSX.WorkSheet {
  const ws: XLSX.WorkSheet = {};
  let cols = 0;
  rows.forEach((row, r) => {
    row.forEach((cell, c) => {
      if (cell) ws[XLSX.utils.encode_cell({ r, c })] = cell;
    });
    cols = Math.max(cols, row.length);
  });
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: Math.max(rows.length - 1, 0), c: Math.max(cols - 1, 0) } });
  ws['!cols'] = widths.map((wch) => ({ wch }));
  return ws;
}

/** Sheet names: "Cobranças" (one row per charge of the day) and "Totais" (by status, received, by hour). */
export const SHEETS = { charges: F.sheetCharges, totals: F.sheetTotals } as const;

/**
 * The closing's workbook: "Cobranças" with one row per charge of the till's day (oldest first, same columns as the
 * CSV) and "Totais" with the totals by status, the day's received total and the totals by hour.
 */
export function closingWorkbook(c: TillClosing, charges: readonly ChargeView[], labels: ReconciliationLabels): XLSX.WorkBook {
  const lineOf = new Map(c.lines.map((l) => [l.charge.id, l]));
  const head = [F.createdAt, F.till, F.amount, F.status, F.paid, F.paidAt, F.payer, F.txid, F.e2e, F.bankCheck];
  const rows: Row[] = charges
    .filter((x) => x.till === c.till && spDay(x.createdAt) === c.day)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    .map((x) => {
      const l = lineOf.get(x.id);
      return [
        date(x.createdAt),
        text(x.till ?? ''),
        money(x.amountCents),
        text(labels.status[x.status] ?? x.status),
        x.status === 'paid' ? money(x.paidCents ?? x.amountCents) : null,
        x.status === 'paid' && x.paidAt ? date(x.paidAt) : null,
        x.payer?.name ? text(x.payer.name) : null,
        text(x.txid),
        x.e2eid ? text(x.e2eid) : null,
        l ? text(labels[l.state]) : null,
      ];
    });
  const totals: Row[] = [
    [text(F.till), text(c.till)],
    [text(F.day), { t: 'n', v: spExcelDate(`${c.day}T12:00:00-03:00`) - 0.5, z: 'dd/mm/yyyy' }],
    [],
    [text(F.status), text(F.count), text(F.amount)],
    ...c.byStatus.map((s): Row => [text(labels.status[s.status] ?? s.status), int(s.count), money(s.cents)]),
    [text(F.receivedDay), int(c.byStatus.find((s) => s.status === 'paid')?.count ?? 0), money(c.paidCents)],
    [text(F.differences), int(c.differences.length)],
    [],
    [text(F.hour), text(F.charges), text(F.received)],
    ...c.byHour.map((h): Row => [text(`${String(h.hour).padStart(2, '0')}h`), int(h.count), money(h.paidCents)]),
  ];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, sheet([head.map(text), ...rows], [20, 12, 12, 22, 12, 20, 28, 36, 34, 30]), SHEETS.charges);
  XLSX.utils.book_append_sheet(wb, sheet(totals, [26, 12, 14]), SHEETS.totals);
  return wb;
}

/** The workbook as .xlsx bytes, ready for a Blob download. */
export function closingXlsx(c: TillClosing, charges: readonly ChargeView[], labels: ReconciliationLabels): ArrayBuffer {
  return XLSX.write(closingWorkbook(c, charges, labels), { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer;
}
