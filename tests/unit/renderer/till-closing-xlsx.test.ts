import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { closeTill } from '../../../renderer/cashier/closing';
import { BRL_FORMAT, DATE_FORMAT, SHEETS, closingXlsx, spExcelDate } from '../../../renderer/cashier/closingXlsx';
import { charge, labels, pix } from './till-closing-support';


/** Build the file, then read it back as Excel would see it: bytes → SheetJS, no shortcut through the objects. */
function roundTrip() {
  const paid = charge({ status: 'paid', amountCents: 123456, paidCents: 123456, e2eid: 'E1', paidAt: '2026-12-01T15:00:42.000Z', payer: { name: 'Maria da Silva', document: null } as never });
  const missing = charge({ status: 'paid', amountCents: 250, paidCents: 250, e2eid: 'E2', createdAt: '2026-12-01T17:10:05.000Z' });
  const cancelled = charge({ status: 'cancelled', amountCents: 999, createdAt: '2026-12-01T14:30:00.000Z' });
  const otherTill = charge({ status: 'paid', till: 'Caixa 2', e2eid: 'E9' });
  const all = [paid, missing, cancelled, otherTill];
  const c = closeTill('2026-12-01', 'Caixa 1', all, [pix({ e2eid: 'E1', amountCents: 123456 })]);
  const bytes = closingXlsx(c, all, labels);
  expect(new Uint8Array(bytes.slice(0, 2))).toEqual(new Uint8Array([0x50, 0x4b])); // a zip: a real .xlsx
  return { wb: XLSX.read(new Uint8Array(bytes), { type: 'array', cellNF: true }), paid, missing, cancelled };
}

describe('till closing as XLSX', () => {
  it('São Paulo wall-clock serials: 12:00 there is 12:00 in the sheet, whatever the machine’s zone', () => {
    // 2026-12-01 15:00Z is 12:00 in São Paulo; Excel serial of 2026-12-01 is 46357.
    expect(spExcelDate('2026-12-01T15:00:00.000Z')).toBeCloseTo(46357.5, 9);
    expect(spExcelDate('2026-12-02T02:30:00.000Z')).toBeCloseTo(46357 + 23.5 / 24, 9); // still the 1st there
    expect(XLSX.SSF.format(DATE_FORMAT, spExcelDate('2026-12-01T15:00:42.000Z'))).toBe('01/12/2026 12:00:42');
  });

  it('two sheets: the day’s charges of this till (oldest first) and the totals', () => {
    const { wb, paid, missing, cancelled } = roundTrip();
    expect(wb.SheetNames).toEqual([SHEETS.charges, SHEETS.totals]);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[SHEETS.charges]!, { header: 1, raw: true });
    expect(rows[0]).toEqual(['Criada em', 'Caixa', 'Valor (R$)', 'Situação', 'Pago (R$)', 'Pago em', 'Pagador', 'txid', 'E2E', 'Conferência com o banco']);
    expect(rows.slice(1).map((r) => r[7])).toEqual([cancelled.txid, paid.txid, missing.txid]); // Caixa 2 left out
    // Date cells come back as dates (SheetJS sees the date format), money as plain numbers in reais.
    expect(rows[2]).toEqual([expect.any(Date), 'Caixa 1', 1234.56, 'Paga', 1234.56, expect.any(Date), 'Maria da Silva', paid.txid, 'E1', 'conferido']);
    expect(rows[3]![9]).toBe('sem Pix no banco');
    expect(rows[1]![4]).toBeUndefined(); // a cancelled charge has no paid amount
  });

  it('money is a number in reais with the BRL format, dates are numbers with a date format', () => {
    const { wb } = roundTrip();
    const ws = wb.Sheets[SHEETS.charges]!;
    expect(ws.C3).toMatchObject({ t: 'n', v: 1234.56, z: BRL_FORMAT });
    expect(ws.C3!.w).toBe('R$ 1,234.56'); // SheetJS formats with en-US separators; a pt-BR Excel shows R$ 1.234,56
    expect(ws.E3).toMatchObject({ t: 'n', v: 1234.56, z: BRL_FORMAT });
    expect(ws.A3).toMatchObject({ t: 'n', z: DATE_FORMAT });
    expect(ws.A3!.w).toBe('01/12/2026 12:00:00');
    expect(ws.F3!.w).toBe('01/12/2026 12:00:42');
    expect(ws.B3).toMatchObject({ t: 's', v: 'Caixa 1' });
  });

  it('totals: by status, received in the day, differences with the bank, by hour', () => {
    const { wb } = roundTrip();
    const ws = wb.Sheets[SHEETS.totals]!;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, blankrows: true });
    const find = (label: string) => rows.find((r) => r[0] === label);
    expect(rows[0]).toEqual(['Caixa', 'Caixa 1']);
    expect(ws.B2!.w).toBe('01/12/2026');
    expect(find('Paga')).toEqual(['Paga', 2, 1237.06]);
    expect(find('Cancelada')).toEqual(['Cancelada', 1, 9.99]);
    expect(find('Recebido no dia')).toEqual(['Recebido no dia', 2, 1237.06]);
    expect(find('Diferenças com o banco')).toEqual(['Diferenças com o banco', 1]);
    expect(find('11h')).toEqual(['11h', 1, 0]);
    expect(find('12h')).toEqual(['12h', 1, 1234.56]);
    expect(find('14h')).toEqual(['14h', 1, 2.5]);
    // Every amount cell carries the BRL format, as a number.
    const moneyCells = Object.entries(ws).filter(([k, v]) => /^C\d+$/.test(k) && (v as XLSX.CellObject).t === 'n');
    expect(moneyCells.length).toBeGreaterThanOrEqual(6);
    for (const [, v] of moneyCells) expect((v as XLSX.CellObject).z).toBe(BRL_FORMAT);
  });
});
