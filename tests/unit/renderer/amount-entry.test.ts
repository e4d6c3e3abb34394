import { describe, expect, it } from 'vitest';
import { entryFromCents, entryFromText, readEntry, typeKey } from '../../../renderer/cashier/amountEntry';

/** Type the keys one by one, as the Caixa's amount field receives them. */
const type = (keys: string[] | string, from = ''): string => [...keys].reduce(typeKey, from);

describe('amount entry like a card machine', () => {
  it('digits fill from the cents', () => {
    expect(readEntry(type('1'))).toEqual({ display: '0,01', cents: 1, decimal: false });
    expect(readEntry(type('105'))).toEqual({ display: '1,05', cents: 105, decimal: false });
    expect(readEntry(type('1050'))).toEqual({ display: '10,50', cents: 1050, decimal: false });
    expect(readEntry(type('123456'))).toEqual({ display: '1.234,56', cents: 123456, decimal: false });
  });

  it('a comma switches to decimal entry: "10,5" is R$ 10,50, never R$ 1,05', () => {
    expect(readEntry(type('10,5'))).toEqual({ display: '10,5', cents: 1050, decimal: true });
    expect(readEntry(type('10,'))).toEqual({ display: '10,', cents: 1000, decimal: true });
    expect(readEntry(type('10,50'))).toMatchObject({ cents: 1050 });
    expect(readEntry(type('10,05'))).toMatchObject({ cents: 1005 });
  });

  it('a period does the same as a comma', () => {
    expect(readEntry(type('10.5'))).toEqual({ display: '10,5', cents: 1050, decimal: true });
    expect(readEntry(type('1234.5'))).toEqual({ display: '1.234,5', cents: 123450, decimal: true });
  });

  it('a comma first means zero reais', () => {
    expect(readEntry(type(',5'))).toEqual({ display: '0,5', cents: 50, decimal: true });
  });

  it('ignores a second separator, a third decimal, letters and too many digits', () => {
    expect(type('10,5,')).toBe('10,5');
    expect(type('10,567')).toBe('10,56');
    expect(type(['1', 'a', 'e', '-', '2'])).toBe('12');
    expect(type('123456789012')).toBe('12345678901');
    expect(readEntry(type('12345678901')).cents).toBe(12345678901);
  });

  it('Backspace undoes the last key, whatever the mode; Escape and Delete clear', () => {
    expect(type(['1', '0', ',', '5', 'Backspace'])).toBe('10,');
    expect(type(['1', '0', ',', 'Backspace'])).toBe('10');
    expect(readEntry(type(['1', '0', ',', 'Backspace'])).cents).toBe(10);
    expect(type(['1', '2', 'Escape'])).toBe('');
    expect(type(['1', '2', 'Delete'])).toBe('');
  });

  it('zero and empty are worth 0 cents (the screen refuses them)', () => {
    expect(readEntry('')).toEqual({ display: '', cents: 0, decimal: false });
    expect(readEntry(type('000'))).toMatchObject({ cents: 0, display: '0,00' });
    expect(readEntry(type('0,0'))).toMatchObject({ cents: 0, decimal: true });
    expect(type('0005')).toBe('5');
  });

  it('reads pasted amounts strictly', () => {
    expect(entryFromText('10,50')).toBe('10,50');
    expect(entryFromText('R$ 1.234,56')).toBe('1234,56');
    expect(entryFromText('10.5')).toBe('10,5');
    expect(entryFromText('1050')).toBe('1050');
    expect(readEntry(entryFromText('1050') as string).cents).toBe(1050);
    expect(entryFromText('10,505')).toBeNull();
    expect(entryFromText('1e3')).toBeNull();
    expect(entryFromText('-5')).toBeNull();
    expect(entryFromText('dez reais')).toBeNull();
  });

  it('cents back to an entry that reads the same', () => {
    for (const c of [1, 99, 100, 1050, 123456]) expect(readEntry(entryFromCents(c)).cents).toBe(c);
    expect(entryFromCents(0)).toBe('');
  });
});
