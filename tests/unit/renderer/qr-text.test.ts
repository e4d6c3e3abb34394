import { describe, expect, it } from 'vitest';
import { decode, encodeStatic } from '../../../main/core/brcode';
import { TEXT_LIMITS } from '../../../main/core/contract/limits';
import { asInQr } from '../../../renderer/cashier/qrText';

const KEY = '52998224725';

/** What a real static BR Code carries in tag 59 / 60 for this name and city. */
function inPayload(name: string, city: string): { name: string; city: string } {
  const d = decode(encodeStatic({ key: KEY, name, city, amount: null, description: null, txid: null }));
  return { name: d.merchantName ?? '', city: d.merchantCity ?? '' };
}

describe('asInQr: the hint under Nome/Cidade says what the QR will carry', () => {
  it('plain ASCII within the limit is unchanged', () => {
    expect(asInQr('Padaria Central', TEXT_LIMITS.merchantName)).toEqual({ shown: 'Padaria Central', changed: false, accents: false, dropped: false, cut: false });
    expect(asInQr('  Padaria   Central ', TEXT_LIMITS.merchantName).changed).toBe(false);
  });

  it('accents, emoji and the 25/15 cut are each reported, and match the encoded payload', () => {
    const name = 'Padaria São João 🥖 da Esquina do Bairro';
    const city = 'São José dos Campos';
    const n = asInQr(name, TEXT_LIMITS.merchantName);
    const c = asInQr(city, TEXT_LIMITS.merchantCity);
    expect(n).toMatchObject({ changed: true, accents: true, dropped: true, cut: true });
    expect(c).toMatchObject({ shown: 'Sao Jose dos Ca', changed: true, accents: true, dropped: false, cut: true });
    expect(inPayload(name, city)).toEqual({ name: n.shown, city: c.shown });
    expect(n.shown.length).toBeLessThanOrEqual(TEXT_LIMITS.merchantName);
  });

  it('only emoji: nothing goes in the QR', () => {
    const r = asInQr('😀🎉', TEXT_LIMITS.merchantName);
    expect(r).toMatchObject({ shown: '', changed: true, dropped: true, accents: false, cut: false });
  });

  it('letters with an ASCII form (ß, º) are transliterated, not reported as dropped', () => {
    const r = asInQr('Straße nº 5', TEXT_LIMITS.merchantName);
    expect(r.shown).toBe('Strasse no 5');
    expect(r.dropped).toBe(false);
    expect(r.changed).toBe(true);
  });
});
