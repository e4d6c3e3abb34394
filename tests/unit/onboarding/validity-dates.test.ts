import { describe, expect, it } from 'vitest';
import { excelSerialToUtc, formatBrasilia, parseValidityText, saoPauloToUtc, sheetDateToUtc } from '../../../main/core/onboarding/validity-dates';

const iso = (d: Date | undefined) => d?.toISOString();

describe('Brasília wall clock → UTC', () => {
  it('is -03:00 for current dates (no DST since 2019)', () => {
    expect(iso(saoPauloToUtc({ year: 2026, month: 11, day: 10, hour: 14, minute: 30, second: 0 }))).toBe('2026-11-10T17:30:00.000Z');
    expect(iso(saoPauloToUtc({ year: 2026, month: 1, day: 15, hour: 23, minute: 59, second: 59 }))).toBe('2026-01-16T02:59:59.000Z');
  });

  it('follows the historical zone (DST in January 2018: -02:00)', () => {
    expect(iso(saoPauloToUtc({ year: 2018, month: 1, day: 15, hour: 12, minute: 0, second: 0 }))).toBe('2018-01-15T14:00:00.000Z');
  });

  it('rejects impossible dates', () => {
    expect(saoPauloToUtc({ year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0 })).toBeUndefined();
    expect(saoPauloToUtc({ year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0 })).toBeUndefined();
    expect(saoPauloToUtc({ year: 2026, month: 1, day: 1, hour: 24, minute: 0, second: 0 })).toBeUndefined();
  });
});

describe('Excel serials', () => {
  it('reads date and time of day as Brasília time', () => {
    expect(iso(excelSerialToUtc(46336.604166666664))).toBe('2026-11-10T17:30:00.000Z');
    expect(iso(excelSerialToUtc(46336))).toBe('2026-11-10T03:00:00.000Z');
  });

  it('supports the 1904 date system', () => {
    expect(iso(excelSerialToUtc(46336.604166666664 - 1462, true))).toBe('2026-11-10T17:30:00.000Z');
  });

  it('rounds float noise to the second', () => {
    expect(iso(excelSerialToUtc(46336.60416666665))).toBe('2026-11-10T17:30:00.000Z');
  });

  it('refuses numbers that are not plausible validity dates', () => {
    expect(excelSerialToUtc(7)).toBeUndefined();
    expect(excelSerialToUtc(1e9)).toBeUndefined();
    expect(excelSerialToUtc(Number.NaN)).toBeUndefined();
  });

  it('reads SheetJS date cells (UTC fields = wall clock)', () => {
    expect(iso(sheetDateToUtc(new Date(Date.UTC(2026, 10, 10, 14, 30))))).toBe('2026-11-10T17:30:00.000Z');
  });
});

describe('validity text', () => {
  it.each([
    ['10/11/2026 14:30', '2026-11-10T17:30:00.000Z'],
    ['10/11/2026 14:30:15', '2026-11-10T17:30:15.000Z'],
    ['  10/11/2026\u00a014:30 ', '2026-11-10T17:30:00.000Z'],
    ['10/11/26 14:30', '2026-11-10T17:30:00.000Z'],
    ['10-11-2026 14:30', '2026-11-10T17:30:00.000Z'],
    ['10.11.2026 14h30', '2026-11-10T17:30:00.000Z'],
    ['10/11/2026 às 14:30', '2026-11-10T17:30:00.000Z'],
    ['10/11/2026, 14:30 (horário de Brasília)', '2026-11-10T17:30:00.000Z'],
    ['1/2/2027 9:05', '2027-02-01T12:05:00.000Z'],
    ['10/11/2026', '2026-11-11T02:59:59.000Z'],
    ['10 de novembro de 2026 14:30', '2026-11-10T17:30:00.000Z'],
    ['10 de março de 2027', '2027-03-11T02:59:59.000Z'],
    ['2026-11-10 14:30:00', '2026-11-10T17:30:00.000Z'],
    ['2026-11-10T14:30:00-03:00', '2026-11-10T17:30:00.000Z'],
    ['2026-11-10T17:30:00Z', '2026-11-10T17:30:00.000Z'],
    ['2026-11-10T17:30:00.000Z', '2026-11-10T17:30:00.000Z'],
    ['10/11/2026 17:30 UTC', '2026-11-10T17:30:00.000Z'],
    ['10/11/2026 14:30 GMT-3', '2026-11-10T17:30:00.000Z'],
    ['46336.604166666664', '2026-11-10T17:30:00.000Z'],
    ['46336,604166666664', '2026-11-10T17:30:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(iso(parseValidityText(text))).toBe(expected);
  });

  it.each(['', '7 dias', '31/02/2026 10:00', '10/13/2026', 'amanhã', '99999999', '10/11/2026 25:00'])('%j is not a date', (text) => {
    expect(parseValidityText(text)).toBeUndefined();
  });
});

describe('formatBrasilia', () => {
  it('formats in pt-BR, Brasília time', () => {
    expect(formatBrasilia(new Date('2026-11-10T17:30:00Z'))).toBe('10/11/2026 às 14:30 (horário de Brasília)');
    expect(formatBrasilia(new Date('2026-01-01T02:00:00Z'))).toBe('31/12/2025 às 23:00 (horário de Brasília)');
  });
});
