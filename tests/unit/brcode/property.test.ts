/**
 * Property tests (fast-check):
 *   - decode(encode(x)) == normalised x, with no problems, over random valid inputs (static and dynamic);
 *   - decode of arbitrary strings, TLV-shaped strings and mutated valid payloads (with and without the CRC
 *     fixed up, so the deep validation runs) only ever throws BrCodeError, and when it reads a payload the
 *     raw tree re-serialises to exactly that payload.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrCodeError, decode, encodeDynamic, encodeStatic, normaliseText, type TlvField } from '../../../main/core/brcode';
import { cnpjFrom, cpfFrom, referenceCrc } from './helpers';

interface KeyCase {
  typed: string;
  canonical: string;
}

const randomCase = (s: string, flips: boolean[]) => s.replace(/./g, (c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase()));

const cpfArb: fc.Arbitrary<KeyCase> = fc
  .tuple(fc.stringMatching(/^\d{9}$/), fc.boolean())
  .map(([b, mask]) => {
    const cpf = cpfFrom(b);
    return { typed: mask ? cpf.replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, '$1.$2.$3-$4') : cpf, canonical: cpf };
  })
  .filter((k) => !/^(\d)\1{10}$/.test(k.canonical));

const cnpjArb: fc.Arbitrary<KeyCase> = fc
  .tuple(fc.oneof(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[0-9A-Z]{12}$/)), fc.boolean(), fc.boolean())
  .map(([b, mask, lower]) => {
    const cnpj = cnpjFrom(b);
    let typed = mask ? cnpj.replace(/(.{2})(.{3})(.{3})(.{4})(.{2})/, '$1.$2.$3/$4-$5') : cnpj;
    if (lower) typed = typed.toLowerCase();
    return { typed, canonical: cnpj };
  })
  .filter((k) => !/^(.)\1{13}$/.test(k.canonical));

const phoneArb: fc.Arbitrary<KeyCase> = fc
  .tuple(fc.stringMatching(/^[1-9]{2}$/), fc.stringMatching(/^9\d{8}$/), fc.integer({ min: 0, max: 3 }))
  .map(([ddd, n, style]) => {
    const canonical = `+55${ddd}${n}`;
    const typed = [canonical, `(${ddd}) ${n.slice(0, 5)}-${n.slice(5)}`, `+55 ${ddd} ${n}`, `55${ddd}${n}`][style] as string;
    return { typed, canonical };
  });

const emailArb: fc.Arbitrary<KeyCase> = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,30}$/), fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom('com', 'com.br', 'org', 'net.br'), fc.array(fc.boolean(), { minLength: 1 }))
  .map(([local, domain, tld, flips]) => {
    const canonical = `${local}@${domain}.${tld}`;
    return { typed: randomCase(canonical, flips), canonical };
  });

const evpArb: fc.Arbitrary<KeyCase> = fc
  .tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 1 }))
  .map(([u, flips]) => ({ typed: randomCase(u, flips), canonical: u.toLowerCase() }));

const keyArb = fc.oneof(cpfArb, cnpjArb, phoneArb, emailArb, evpArb);

/** Free text: ASCII, Portuguese letters, and anything unicode (emoji, other scripts, controls). */
const textArb = (maxLength: number) =>
  fc.oneof(
    fc.stringMatching(new RegExp(`^[A-Za-z0-9 ]{1,${maxLength}}$`)),
    fc.string({ unit: fc.constantFrom(...'aeiouAEIOU áéíóúâêôãõçÁÉÍÓÚÂÊÔÃÕÇ-.&'.split('')), minLength: 1, maxLength }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength }),
  );

/** Cents, and how a person might type them. */
const amountArb = fc
  .tuple(fc.integer({ min: 1, max: 999_999_999_999 }), fc.integer({ min: 0, max: 3 }))
  .map(([cents, style]) => {
    const int = String(Math.floor(cents / 100));
    const frac = String(cents % 100).padStart(2, '0');
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    const typed = [`${int}.${frac}`, `${int},${frac}`, `${grouped},${frac}`, cents % 100 === 0 ? int : `${int}.${frac}`][style] as string;
    return { typed, canonical: `${int}.${frac}` };
  });

describe('decode(encode(x)) == x', () => {
  it('static: random valid inputs come back normalised, with no problems', () => {
    fc.assert(
      fc.property(
        keyArb,
        textArb(40),
        textArb(30),
        fc.option(amountArb),
        fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,25}$/)),
        fc.option(textArb(80)),
        fc.option(fc.tuple(fc.stringMatching(/^\d{8}$/), fc.boolean())),
        fc.boolean(),
        (key, name, city, amount, txid, description, cep, singleUse) => {
          const nName = normaliseText(name, 25);
          const nCity = normaliseText(city, 15);
          fc.pre(nName !== '' && nCity !== '');
          const nDesc = description === null ? null : normaliseText(description, 72) || null;
          const input = {
            key: key.typed,
            name,
            city,
            amount: amount?.typed ?? null,
            txid,
            description,
            postalCode: cep ? (cep[1] ? `${cep[0].slice(0, 5)}-${cep[0].slice(5)}` : cep[0]) : null,
            singleUse,
          };
          const room = 99 - 18 - 4 - key.canonical.length - 4;
          if (nDesc !== null && nDesc.length > room) {
            // The only refusal a valid input can meet: the description does not fit beside this key.
            expect(() => encodeStatic(input)).toThrow(expect.objectContaining({ code: 'BRCODE_INPUT', details: { field: 'description' } }));
            return;
          }
          const payload = encodeStatic(input);
          expect(payload).toMatch(/^[\x20-\x7e]+$/);
          expect(payload.length).toBeLessThanOrEqual(512);
          const d = decode(payload);
          expect(d.problems).toEqual([]);
          expect(d).toMatchObject({
            pixKey: key.canonical,
            url: null,
            merchantName: nName,
            merchantCity: nCity,
            amount: amount?.canonical ?? null,
            txid: txid ?? '***',
            description: nDesc,
            postalCode: cep ? cep[0] : null,
            singleUse,
          });
          expect(nName.length).toBeLessThanOrEqual(25);
          expect(nName).toBe(nName.trim());
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('dynamic: random locations come back without https://, txid ***, no problems', () => {
    const urlArb = fc
      .tuple(fc.stringMatching(/^[a-z0-9-]{1,12}(\.[a-z0-9-]{1,8}){1,3}$/), fc.stringMatching(/^(\/[A-Za-z0-9._~-]{1,20}){0,3}$/), fc.boolean())
      .filter(([host]) => !host.split('.').some((l) => l === ''));
    fc.assert(
      fc.property(urlArb, textArb(30), textArb(20), fc.boolean(), ([host, path, scheme], name, city, singleUse) => {
        const nName = normaliseText(name, 25);
        const nCity = normaliseText(city, 15);
        fc.pre(nName !== '' && nCity !== '' && (host + path).length <= 77);
        const payload = encodeDynamic({ url: (scheme ? 'https://' : '') + host + path, name, city, singleUse });
        const d = decode(payload);
        expect(d.problems).toEqual([]);
        expect(d).toMatchObject({ pixKey: null, url: host + path, merchantName: nName, merchantCity: nCity, amount: null, txid: '***', singleUse });
      }),
      { numRuns: 800 },
    );
  });
});

function serialise(fields: TlvField[]): string {
  return fields.map((x) => x.id + String(x.length).padStart(2, '0') + x.value).join('');
}

/** decode only throws BrCodeError; a read payload's tree re-serialises to the (trimmed) input. */
function checkRobust(s: string): void {
  let d;
  try {
    d = decode(s);
  } catch (e) {
    expect(e).toBeInstanceOf(BrCodeError);
    expect((e as BrCodeError).code).toBe('BRCODE_UNREADABLE');
    return;
  }
  expect(serialise(d.fields)).toBe(s.trim());
  expect(Array.isArray(d.problems)).toBe(true);
  for (const x of d.fields) if (x.children) expect(serialise(x.children)).toBe(x.value);
  expect(() => JSON.stringify(d)).not.toThrow();
}

const validPayloadArb = fc
  .tuple(keyArb, fc.stringMatching(/^[A-Za-z ]{1,25}$/), fc.option(amountArb), fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,25}$/)), fc.boolean())
  .filter(([, name]) => name.trim() !== '')
  .map(([key, name, amount, txid, single]) =>
    encodeStatic({ key: key.typed, name, city: 'Recife', amount: amount?.typed ?? null, txid, singleUse: single }),
  );

const mutationArb = fc.tuple(
  fc.nat(),
  fc.constantFrom('replace', 'insert', 'delete', 'truncate', 'swap-digit'),
  fc.oneof(fc.string({ minLength: 1, maxLength: 3 }), fc.constantFrom('0', '9', 'é', '\u0000', '😀', '63', '04')),
  fc.boolean(),
);

function mutate(p: string, [pos, kind, text, fixCrc]: [number, string, string, boolean]): string {
  const i = pos % (p.length + 1);
  let m: string;
  switch (kind) {
    case 'replace': m = p.slice(0, i) + text + p.slice(i + text.length); break;
    case 'insert': m = p.slice(0, i) + text + p.slice(i); break;
    case 'delete': m = p.slice(0, i) + p.slice(i + 1 + (text.length % 3)); break;
    case 'truncate': m = p.slice(0, i); break;
    default: m = p.slice(0, i) + String((Number(p[i]) + 1) % 10 || 0) + p.slice(i + 1);
  }
  if (fixCrc && m.length > 4) {
    const body = m.slice(0, -4);
    m = body + referenceCrc(Buffer.from(body, 'utf8'));
  }
  return m;
}

/** A TLV-shaped string: random ids/values with mostly right lengths, sometimes a Pix template, CRC fixed. */
const tlvArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.stringMatching(/^\d\d$/), fc.constantFrom('00', '01', '26', '52', '53', '54', '58', '59', '60', '61', '62', '80')),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('0014br.gov.bcb.pix0111123456789090', '0014BR.GOV.BCB.PIX2510a.b/cdefgh', '0503***', '0014br.gov.bcb.pix', '10.00', '0.00', '01', '12'),
      ),
      fc.integer({ min: -2, max: 2 }),
    ),
    { maxLength: 14 },
  )
  .map((parts) => {
    const body = parts.map(([id, v, skew]) => id + String(Math.max(0, Math.min(99, v.length + (Math.abs(skew) === 2 ? skew : 0)))).padStart(2, '0') + v).join('') + '6304';
    return body + referenceCrc(Buffer.from(body, 'utf8'));
  });

describe('decode is robust', () => {
  it('arbitrary strings only throw BrCodeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'0123456789') }), fc.string({ unit: 'grapheme', maxLength: 600 })), checkRobust),
      { numRuns: 3000 },
    );
  });

  it('TLV-shaped strings with a right CRC only throw BrCodeError', () => {
    fc.assert(fc.property(tlvArb, checkRobust), { numRuns: 3000 });
  });

  it('mutated valid payloads (CRC fixed or not) only throw BrCodeError', () => {
    fc.assert(fc.property(validPayloadArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (p, ms) => checkRobust(ms.reduce(mutate, p))), {
      numRuns: 3000,
    });
  });
});
