import { describe, expect, it } from 'vitest';
import {
  BrCodeError,
  decode,
  encodeDynamic,
  encodeStatic,
  normaliseAmount,
  normaliseDescription,
  normaliseText,
  type StaticInput,
} from '../../../main/core/brcode';
import { f, withCrc } from './helpers';

const base: StaticInput = { key: '123e4567-e12b-12d1-a456-426655440000', name: 'Fulano de Tal', city: 'BRASILIA' };

function refusal(fn: () => unknown): BrCodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BrCodeError) return e;
    throw e;
  }
  throw new Error('accepted');
}

/** Field (from the raw tree) of an encoded payload. */
function field(payload: string, id: string, sub?: string): string | undefined {
  const d = decode(payload);
  const top = d.fields.find((x) => x.id === id);
  return sub ? top?.children?.find((c) => c.id === sub)?.value : top?.value;
}

describe('encodeStatic', () => {
  it('writes the fields in the manual order, with GUI lower-case, 52/53/58 and CRC', () => {
    const p = encodeStatic({ ...base, amount: '10.50', txid: 'PED123', description: 'Pedido 1', postalCode: '70074-900', singleUse: true });
    const expected = withCrc(
      f('00', '01') +
        f('01', '12') +
        f('26', f('00', 'br.gov.bcb.pix') + f('01', base.key) + f('02', 'Pedido 1')) +
        f('52', '0000') +
        f('53', '986') +
        f('54', '10.50') +
        f('58', 'BR') +
        f('59', 'Fulano de Tal') +
        f('60', 'BRASILIA') +
        f('61', '70074900') +
        f('62', f('05', 'PED123')) +
        '6304',
    );
    expect(p).toBe(expected);
  });

  it('omits 54 for an open amount and never writes 0.00', () => {
    for (const amount of [undefined, null, '', '   ']) expect(field(encodeStatic({ ...base, amount }), '54')).toBeUndefined();
    for (const amount of ['0', '0,00', '0.00', '000']) {
      const e = refusal(() => encodeStatic({ ...base, amount }));
      expect(e.message).toMatch(/^Valor deve ser maior que zero/);
      expect(e.details).toEqual({ field: 'amount' });
    }
  });

  it.each([
    ['10', '10.00'],
    ['10,5', '10.50'],
    ['10,50', '10.50'],
    ['10.50', '10.50'],
    ['1.234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['1.234.567', '1234567.00'],
    ['R$ 7,00', '7.00'],
    ['0,01', '0.01'],
    ['007.5', '7.50'],
    ['9999999999.99', '9999999999.99'],
  ])('normalises the amount %j to %j', (input, out) => {
    expect(normaliseAmount(input)).toBe(out);
    expect(field(encodeStatic({ ...base, amount: input }), '54')).toBe(out);
  });

  it.each([
    ['-10', /negativo/],
    ['-0,50', /negativo/],
    ['10,555', /2 casas/],
    ['1.234', /ambíguo/],
    ['1,234', /ambíguo/],
    ['10000000000', /13 caracteres/],
    ['12,34,56', /inválido/],
    ['1.23.456,00', /inválido/],
    ['abc', /inválido/],
    ['1e3', /inválido/],
    ['NaN', /inválido/],
    ['Infinity', /inválido/],
    ['10 50', /inválido/],
  ])('refuses the amount %j naming the field', (amount, message) => {
    const e = refusal(() => encodeStatic({ ...base, amount }));
    expect(e.code).toBe('BRCODE_INPUT');
    expect(e.message).toMatch(/^Valor/);
    expect(e.message).toMatch(message);
  });

  it('strips accents and non-ASCII from name, city and description (Maceió, BRASÍLIA)', () => {
    const p = encodeStatic({ ...base, name: 'Açaí da Conceição Ltda ★', city: 'Maceió', description: 'Café “especial” – 2ª via' });
    const d = decode(p);
    expect(d.merchantName).toBe('Acai da Conceicao Ltda');
    expect(d.merchantCity).toBe('Maceio');
    expect(d.description).toBe('Cafe "especial" - 2a via');
    expect(d.problems).toEqual([]);
    expect(p).toMatch(/^[\x20-\x7e]+$/);
    expect(decode(encodeStatic({ ...base, city: 'BRASÍLIA' })).merchantCity).toBe('BRASILIA');
    // Decomposed input (NFD already) and other scripts too.
    expect(normaliseText('Jose\u0301 Conceic\u0327a\u0303o', 25)).toBe('José Conceição'.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
    expect(normaliseText('Straße Œuvre Ørsted', 25)).toBe('Strasse OEuvre Orsted');
    expect(normaliseText('Loja 東京 😀 Ok', 25)).toBe('Loja Ok');
  });

  it('truncates, then trims, then measures: name ≤ 25, city ≤ 15', () => {
    const name = 'Comercial de Alimentos do Nordeste Ltda';
    const d1 = decode(encodeStatic({ ...base, name }));
    expect(d1.merchantName).toBe(name.slice(0, 25).trimEnd());
    expect(d1.merchantName.length).toBeLessThanOrEqual(25);
    // 25th character is a space: truncation then trim gives 24 characters, not a trailing space.
    const spaced = 'Padaria e Confeitaria Sa Bento';
    expect(spaced[24]).toBe(' ');
    expect(decode(encodeStatic({ ...base, name: spaced })).merchantName).toBe('Padaria e Confeitaria Sa');
    expect(decode(encodeStatic({ ...base, city: 'São José dos Campos' })).merchantCity).toBe('Sao Jose dos Ca');
    expect(decode(encodeStatic({ ...base, city: 'Rio  de   Janeiro ' })).merchantCity).toBe('Rio de Janeiro');
    // 15 characters, the 16th dropped: an accent counted before stripping must not push it over.
    expect(decode(encodeStatic({ ...base, city: 'Florianópolis SC' })).merchantCity).toBe('Florianopolis S');
  });

  it('refuses an empty name or city (after normalisation) with a pt-BR message naming the field', () => {
    for (const name of ['', '   ', '😀😀', '\n\t']) {
      const e = refusal(() => encodeStatic({ ...base, name }));
      expect(e.message).toMatch(/^Nome do recebedor é obrigatório/);
      expect(e.details).toEqual({ field: 'name' });
    }
    const e = refusal(() => encodeStatic({ ...base, city: ' ' }));
    expect(e.message).toMatch(/^Cidade do recebedor é obrigatória/);
  });

  it('limits the description to 72 and to what fits in the 99-character account template', () => {
    const long = 'x'.repeat(100);
    // CPF key (11): 99 − 18 − 15 − 4 = 62 fit; a 72-character description does not.
    const cpf = { ...base, key: '12345678909' };
    expect(decode(encodeStatic({ ...cpf, description: 'y'.repeat(62) })).description).toHaveLength(62);
    const e = refusal(() => encodeStatic({ ...cpf, description: 'y'.repeat(63) }));
    expect(e.message).toMatch(/^Descrição tem 63 caracteres, mas com esta chave Pix cabem no máximo 62/);
    expect(e.details).toEqual({ field: 'description' });
    // Even the shortest key ("a@b.co", 6) leaves 67: free text is first cut to 72, then must fit.
    const short = { ...base, key: 'a@b.co' };
    const d = decode(encodeStatic({ ...short, description: 'z'.repeat(67) }));
    expect(d.description).toBe('z'.repeat(67));
    expect(d.fields.find((x) => x.id === '26')!.length).toBe(99);
    expect(refusal(() => encodeStatic({ ...short, description: long })).message).toMatch(/^Descrição tem 72 caracteres, .* no máximo 67/);
    expect(normaliseDescription(long)).toBe('x'.repeat(72));
    expect(normaliseDescription('  ')).toBeNull();
    // A 77-character e-mail fills the template: no description at all fits.
    const email = `${'a'.repeat(65)}@empresa.com`;
    expect(email).toHaveLength(77);
    expect(field(encodeStatic({ ...base, key: email }), '26')).toHaveLength(99);
    expect(refusal(() => encodeStatic({ ...base, key: email, description: 'oi' })).message).toMatch(/^Descrição não cabe/);
  });

  it('writes *** as default txid and checks [A-Za-z0-9]{1,25}', () => {
    expect(decode(encodeStatic(base)).txid).toBe('***');
    expect(decode(encodeStatic({ ...base, txid: '' })).txid).toBe('***');
    expect(decode(encodeStatic({ ...base, txid: '***' })).txid).toBe('***');
    expect(decode(encodeStatic({ ...base, txid: 'A'.repeat(25) })).txid).toBe('A'.repeat(25));
    for (const [txid, message] of [
      ['A'.repeat(26), /26 caracteres/],
      ['PED-1', /letras sem acento e números/],
      ['PED 1', /letras sem acento e números/],
      ['PEDÇ', /letras sem acento e números/],
      ['**', /letras/],
    ] as const) {
      const e = refusal(() => encodeStatic({ ...base, txid }));
      expect(e.message).toMatch(/^Identificador \(txid\)/);
      expect(e.message).toMatch(message);
    }
  });

  it('checks the CEP: 8 digits, mask accepted', () => {
    expect(decode(encodeStatic({ ...base, postalCode: '70074-900' })).postalCode).toBe('70074900');
    expect(decode(encodeStatic({ ...base, postalCode: '' })).postalCode).toBeNull();
    for (const postalCode of ['7007490', '700749000', '7007A900']) {
      expect(refusal(() => encodeStatic({ ...base, postalCode })).message).toMatch(/^CEP .* 8 dígitos/);
    }
  });

  it('writes 01=12 only for single use', () => {
    expect(field(encodeStatic({ ...base, singleUse: true }), '01')).toBe('12');
    expect(field(encodeStatic(base), '01')).toBeUndefined();
    expect(decode(encodeStatic({ ...base, singleUse: true })).singleUse).toBe(true);
  });

  it('normalises the key to directory format before writing it', () => {
    expect(decode(encodeStatic({ ...base, key: '(11) 91234-5678' })).pixKey).toBe('+5511912345678');
    expect(decode(encodeStatic({ ...base, key: 'Fulano@Example.com' })).pixKey).toBe('fulano@example.com');
    const e = refusal(() => encodeStatic({ ...base, key: '123.456.789-00' }));
    expect(e.code).toBe('PIX_KEY_INVALID');
  });

  it('refuses a missing input object instead of crashing', () => {
    expect(() => encodeStatic(null as unknown as StaticInput)).toThrow(BrCodeError);
    expect(() => encodeStatic({} as StaticInput)).toThrow(BrCodeError);
  });

  it('keeps the longest possible payload under 512 characters', () => {
    const p = encodeStatic({
      key: `${'a'.repeat(65)}@empresa.com`,
      name: 'N'.repeat(40),
      city: 'C'.repeat(40),
      amount: '9999999999.99',
      txid: 'T'.repeat(25),
      postalCode: '70074900',
      singleUse: true,
    });
    expect(p.length).toBeLessThanOrEqual(512);
    expect(decode(p).problems).toEqual([]);
  });
});

describe('encodeDynamic', () => {
  it('writes the location without https:// and txid ***', () => {
    const p = encodeDynamic({ url: 'https://pix.itau.com.br/qr/v2/cobv/abc', name: 'Loja', city: 'Recife', singleUse: true });
    expect(p).toBe(
      withCrc(
        f('00', '01') +
          f('01', '12') +
          f('26', f('00', 'br.gov.bcb.pix') + f('25', 'pix.itau.com.br/qr/v2/cobv/abc')) +
          f('52', '0000') +
          f('53', '986') +
          f('58', 'BR') +
          f('59', 'Loja') +
          f('60', 'Recife') +
          f('62', f('05', '***')) +
          '6304',
      ),
    );
    expect(decode(p).problems).toEqual([]);
  });

  it('refuses http, spaces, a missing host and URLs that do not fit (max 77 without https://)', () => {
    const ok = 'pix.example.com/' + 'a'.repeat(77 - 16);
    expect(ok).toHaveLength(77);
    expect(decode(encodeDynamic({ url: ok, name: 'L', city: 'C' })).url).toBe(ok);
    for (const [url, message] of [
      ['http://pix.example.com/x', /https/],
      ['ftp://pix.example.com/x', /https/],
      ['pix.example.com/a b', /espaços/],
      ['localhost/x', /endereço válido/],
      ['', /obrigatória/],
      [ok + 'a', /78 caracteres/],
    ] as const) {
      const e = refusal(() => encodeDynamic({ url, name: 'L', city: 'C' }));
      expect(e.message).toMatch(/^URL da cobrança/);
      expect(e.message).toMatch(message);
      expect(e.details).toEqual({ field: 'url' });
    }
  });
});
