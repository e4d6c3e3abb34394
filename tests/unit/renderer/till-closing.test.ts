import { describe, expect, it } from 'vitest';
import { closeTill, closingCsv, csvCents, spDay, spHour } from '../../../renderer/cashier/closing';
import { charge, labels, pix } from './till-closing-support';


describe('till closing', () => {
  it('days and hours are São Paulo’s, not UTC’s', () => {
    expect(spDay('2026-12-02T02:30:00.000Z')).toBe('2026-12-01'); // 23:30 in São Paulo
    expect(spHour('2026-12-02T02:30:00.000Z')).toBe(23);
    expect(spHour('2026-12-01T15:00:00.000Z')).toBe(12);
  });

  it('totals by status and by hour, only this till and this day', () => {
    const cs = [
      charge({ status: 'paid', amountCents: 1050, paidCents: 1050, e2eid: 'E1' }),
      charge({ status: 'paid', amountCents: 200, paidCents: 200, e2eid: 'E2', createdAt: '2026-12-01T16:10:00.000Z' }),
      charge({ status: 'cancelled', amountCents: 999 }),
      charge({ status: 'paid', till: 'Caixa 2', e2eid: 'E9' }),
      charge({ status: 'paid', createdAt: '2026-12-02T03:30:00.000Z', e2eid: 'E8' }), // next day in São Paulo
    ];
    const c = closeTill('2026-12-01', 'Caixa 1', cs, [pix({ e2eid: 'E1', amountCents: 1050 }), pix({ e2eid: 'E2', amountCents: 200 })]);
    expect(c.byStatus).toEqual([
      { status: 'paid', count: 2, cents: 1250 },
      { status: 'cancelled', count: 1, cents: 999 },
    ]);
    expect(c.byHour).toEqual([
      { hour: 12, count: 2, paidCents: 1050 },
      { hour: 13, count: 1, paidCents: 200 },
    ]);
    expect(c.paidCents).toBe(1250);
    expect(c.differences).toEqual([]);
    expect(c.lines.map((l) => l.state)).toEqual(['ok', 'ok']);
  });

  it('lists the differences: paid without a bank Pix, another amount, a bank Pix for a charge not paid here', () => {
    const a = charge({ status: 'paid', paidCents: 1000, e2eid: 'EX' });
    const b = charge({ status: 'paid', paidCents: 1000, e2eid: 'EY' });
    const d = charge({ status: 'active' });
    const c = closeTill('2026-12-01', 'Caixa 1', [a, b, d], [pix({ e2eid: 'EY', amountCents: 900 }), pix({ e2eid: 'EZ', txid: d.txid })]);
    expect(c.differences.map((l) => [l.charge.id, l.state])).toEqual([
      [a.id, 'missing'],
      [b.id, 'amount'],
      [d.id, 'unpaid'],
    ]);
  });

  it('CSV for a pt-BR spreadsheet: BOM, semicolons, decimal comma, quoted text, CRLF', () => {
    const cs = [charge({ status: 'paid', amountCents: 123456, paidCents: 123456, e2eid: 'E1', payer: { name: 'Silva; Filhos "Ltda"', document: null } })];
    const c = closeTill('2026-12-01', 'Caixa 1', cs, [pix({ e2eid: 'E1', amountCents: 123456 })]);
    const csv = closingCsv(c, cs, labels);
    expect(csv.startsWith('\uFEFFHora;Caixa;Valor (R$);')).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`12:00:00;Caixa 1;1234,56;Paga;1234,56;"Silva; Filhos ""Ltda""";${cs[0]!.txid};E1;conferido`);
    expect(csv).toContain('Total Paga;Caixa 1;1234,56;1');
    expect(csvCents(5)).toBe('0,05');
    expect(csvCents(100000)).toBe('1000,00');
  });
});
