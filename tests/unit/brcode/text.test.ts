import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrintableAscii, normaliseText } from '../../../main/core/brcode';
import { toPrintableAscii, toPrintableAsciiSlow } from '../../../main/core/brcode/text';

describe('text normalisation', () => {
  it('takes the table fast path to the same result as the NFD path', () => {
    const latin = fc.string({ unit: fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(latin, fc.string(), fc.string({ unit: 'grapheme' })), (s) => {
        const out = toPrintableAscii(s);
        expect(out).toBe(toPrintableAsciiSlow(s));
        expect(isPrintableAscii(out)).toBe(true);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/ {2}/);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['São João', 'Sao Joao'],
    ['  Açaí\tdo\n\nPará  ', 'Acai do Para'],
    ['Ñandú Müller', 'Nandu Muller'],
    ['Nº 5 — “Ok”', 'No 5 - "Ok"'],
    ['\u0000Ctrl\u0007', 'Ctrl'],
    ['😀', ''],
  ])('%j → %j', (input, out) => {
    expect(normaliseText(input, 99)).toBe(out);
  });

  it('truncates before trimming', () => {
    expect(normaliseText('abc def', 4)).toBe('abc');
    expect(normaliseText('ábcdé', 4)).toBe('abcd');
  });
});
