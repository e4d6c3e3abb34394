/**
 * Payloads whose values hold non-ASCII text, with TLV lengths counted each way generators count them:
 * characters (the manual; JavaScript's `length`), code points (Python's `len`), UTF-8 bytes (C, Go, PHP) and
 * letters after NFC composition. Each payload carries a valid CRC computed here over its UTF-8 bytes. The
 * reader reads them all, reports the non-ASCII value, and says when the lengths did not count characters.
 */
import { describe, expect, it } from 'vitest';
import { BrCodeError, decode } from '../../../main/core/brcode';
import { withCrc } from './helpers';

type Count = (v: string) => number;
const chars: Count = (v) => v.length;
const codePoints: Count = (v) => Array.from(v).length;
const bytes: Count = (v) => Buffer.byteLength(v, 'utf8');
const composed: Count = (v) => v.normalize('NFC').length;

const KEY = '123e4567-e12b-12d1-a456-426655440000';

/** A static payload written by a generator that counts with `count`, templates included. */
function payload(count: Count, o: { name?: string; city?: string; description?: string } = {}): string {
  const f = (id: string, v: string) => {
    const n = count(v);
    if (n > 99) throw new Error('test bug: too long');
    return id + String(n).padStart(2, '0') + v;
  };
  const account = f('00', 'br.gov.bcb.pix') + f('01', KEY) + (o.description ? f('02', o.description) : '');
  const body =
    f('00', '01') + f('26', account) + f('52', '0000') + f('53', '986') + f('58', 'BR') +
    f('59', o.name ?? 'Fulano de Tal') + f('60', o.city ?? 'BRASILIA') + f('62', f('05', '***')) + '6304';
  return withCrc(body);
}

function unreadableMessage(p: string): string {
  try {
    decode(p);
  } catch (e) {
    if (e instanceof BrCodeError && e.code === 'BRCODE_UNREADABLE') return e.message;
    throw e;
  }
  throw new Error('read');
}

const countingProblem = (problems: string[]) => problems.filter((p) => /os tamanhos|acentos decompostos/.test(p));

describe('BR Code lengths with non-ASCII values', () => {
  it('reads "BRASÍLIA" with length 08 (characters) and reports only the accent', () => {
    const p = payload(chars, { city: 'BRASÍLIA' });
    expect(p).toContain('6008BRASÍLIA');
    const d = decode(p);
    expect(d.merchantCity).toBe('BRASÍLIA');
    expect(d.pixKey).toBe(KEY);
    expect(d.problems).toEqual([expect.stringMatching(/^cidade \(60\) "BRASÍLIA" tem acentos .*escreva sem acentos/)]);
  });

  it('reads "BRASÍLIA" with length 09 (UTF-8 bytes) and says the lengths count bytes', () => {
    const p = payload(bytes, { city: 'BRASÍLIA' });
    expect(p).toContain('6009BRASÍLIA');
    const d = decode(p);
    expect(d.merchantCity).toBe('BRASÍLIA');
    expect(d.txid).toBe('***');
    expect(d.problems[0]).toBe(
      'os tamanhos dos campos contam bytes (UTF-8), não caracteres como pede o manual (campo 60 "BRASÍLIA" declara 09 e tem 8 caracteres). ' +
        'Leitores que seguem o manual recusam este código: peça a quem o gerou um código sem acentos nem emoji.',
    );
    expect(d.problems.slice(1)).toEqual([expect.stringMatching(/^cidade \(60\) "BRASÍLIA" tem acentos/)]);
  });

  it.each([
    ['characters', chars, 0],
    ['UTF-8 bytes', bytes, 1],
  ] as const)('reads accents in the name, the city and the nested description (26-02) counted in %s', (_label, count, counted) => {
    const o = { name: 'José Açaí & Filhos', city: 'São Paulo', description: 'Pão de queijo e café' };
    const d = decode(payload(count, o));
    expect(d).toMatchObject({ merchantName: o.name, merchantCity: o.city, description: o.description, pixKey: KEY });
    expect(countingProblem(d.problems)).toHaveLength(counted);
    if (counted) expect(d.problems[0]).toMatch(/\(26-02 "Pão de queijo e café" declara 22 e tem 20 caracteres\)/);
    expect(d.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^nome do recebedor \(59\) "José Açaí & Filhos" tem acentos/),
        expect.stringMatching(/^cidade \(60\) "São Paulo" tem acentos/),
        expect.stringMatching(/^descrição \(26-02\) "Pão de queijo e café" tem acentos/),
      ]),
    );
  });

  it('reads an emoji counted as 2 (UTF-16), as 1 (code points) and as 4 bytes', () => {
    const name = 'Padaria 🍞 Boa';
    const utf16 = decode(payload(chars, { name }));
    expect(utf16.merchantName).toBe(name);
    expect(countingProblem(utf16.problems)).toEqual([]);
    const cps = decode(payload(codePoints, { name }));
    expect(cps.merchantName).toBe(name);
    expect(cps.problems[0]).toMatch(/^os tamanhos dos campos contam cada emoji como 1 caractere.*campo 59 "Padaria 🍞 Boa" declara 13; contando cada emoji como 2 seriam 14/);
    const b = decode(payload(bytes, { name }));
    expect(b.merchantName).toBe(name);
    expect(b.problems[0]).toMatch(/contam bytes \(UTF-8\).*declara 16 e tem 13 caracteres/);
  });

  it('reads a decomposed accent (I + U+0301) whichever way it was counted', () => {
    const nfd = 'BRASI\u0301LIA';
    const asUnits = decode(payload(chars, { city: nfd })); // 09: the combining accent counted
    expect(asUnits.merchantCity).toBe(nfd);
    expect(countingProblem(asUnits.problems)).toEqual([]);
    const asLetters = decode(payload(composed, { city: nfd })); // 08: "Í" counted once
    expect(asLetters.merchantCity).toBe('BRASÍLIA');
    expect(asLetters.problems[0]).toMatch(/^o código traz acentos decompostos.*campo 60 "BRASÍLIA" declara 08; com os acentos separados seriam 9/);
    const asBytes = decode(payload(bytes, { city: nfd })); // 10
    expect(asBytes.merchantCity).toBe(nfd);
    expect(asBytes.problems[0]).toMatch(/contam bytes/);
  });

  it('keeps the CRC check for every counting: a byte-counted code with a wrong CRC is refused', () => {
    const p = payload(bytes, { city: 'BRASÍLIA' });
    const wrong = p.slice(0, -4) + (p.slice(-4) === '0000' ? '0001' : '0000');
    expect(unreadableMessage(wrong)).toMatch(/CRC \(campo 63\) não confere/);
  });

  it('still refuses lengths that fit no counting', () => {
    const body = payload(chars, { city: 'BRASÍLIA' }).slice(0, -4).replace('6008BRASÍLIA', '6007BRASÍLIA');
    expect(unreadableMessage(withCrc(body))).toMatch(/sequência de campos .* está quebrada/);
  });

  it('never tries another counting on ASCII payloads: a broken ASCII code stays unreadable', () => {
    const body = payload(chars).slice(0, -4).replace('6008BRASILIA', '6009BRASILIA');
    expect(unreadableMessage(withCrc(body))).toMatch(/está quebrada/);
  });
});
