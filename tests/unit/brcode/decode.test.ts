import { describe, expect, it } from 'vitest';
import { BrCodeError, decode, encodeStatic } from '../../../main/core/brcode';
import { f, withCrc } from './helpers';

const KEY = '123e4567-e12b-12d1-a456-426655440000';
type Fields = [string, string][];

/** A valid static payload's fields, in order; tests replace or drop entries. */
function fields(): Fields {
  return [
    ['00', '01'],
    ['26', f('00', 'br.gov.bcb.pix') + f('01', KEY)],
    ['52', '0000'],
    ['53', '986'],
    ['58', 'BR'],
    ['59', 'Fulano de Tal'],
    ['60', 'BRASILIA'],
    ['62', f('05', '***')],
  ];
}

function build(fs: Fields): string {
  return withCrc(fs.map(([id, v]) => f(id, v)).join('') + '6304');
}

function set(id: string, value: string | null, fs = fields()): Fields {
  const i = fs.findIndex(([x]) => x === id);
  if (value === null) return fs.filter(([x]) => x !== id);
  if (i < 0) {
    const at = fs.findIndex(([x]) => Number(x) > Number(id));
    fs.splice(at < 0 ? fs.length : at, 0, [id, value]);
  } else fs[i] = [id, value];
  return fs;
}

function problemsOf(fs: Fields): string[] {
  return decode(build(fs)).problems;
}

function unreadable(payload: string): BrCodeError {
  try {
    decode(payload);
  } catch (e) {
    if (e instanceof BrCodeError) return e;
    throw e;
  }
  throw new Error('decoded');
}

describe('decode: readable payloads', () => {
  it('reads the baseline with no problems and keeps the raw tree', () => {
    const d = decode(build(fields()));
    expect(d.problems).toEqual([]);
    expect(d).toMatchObject({ pixKey: KEY, url: null, merchantName: 'Fulano de Tal', merchantCity: 'BRASILIA', txid: '***', mcc: '0000', currency: '986', countryCode: 'BR' });
    expect(d.fields.map((x) => x.id)).toEqual(['00', '26', '52', '53', '58', '59', '60', '62', '63']);
    expect(d.fields[1]!.children!.map((x) => x.id)).toEqual(['00', '01']);
  });

  it('trims whitespace pasted around the code', () => {
    const p = build(fields());
    expect(decode(`  ${p}\r\n`).crc).toBe(p.slice(-4));
  });

  it('finds the Pix template anywhere in 26–51, GUI in any case, and reports only the case', () => {
    const fs = set('26', null);
    fs.splice(1, 0, ['27', f('00', 'BR.COM.OUTRO') + f('01', '0123456789')], ['43', f('00', 'Br.Gov.Bcb.Pix') + f('01', KEY)]);
    const d = decode(build(fs));
    expect(d.pixKey).toBe(KEY);
    expect(d.problems).toEqual(['GUI do campo 43 escrito "Br.Gov.Bcb.Pix": o manual usa "br.gov.bcb.pix" (minúsculas).']);
  });

  it('tolerates the legacy 62/50 BR.GOV.BCB.BRCODE template, 80–99 templates, real MCCs and unknown fields', () => {
    let fs = set('62', f('05', 'ABC123') + f('50', f('00', 'BR.GOV.BCB.BRCODE') + f('01', '1.0.0')));
    fs = set('52', '5411', fs);
    fs = set('64', f('00', 'PT') + f('01', 'Fulano'), fs);
    fs = set('80', f('00', 'BR.COM.OUTRO') + f('01', 'xyz'), fs);
    fs = set('99', f('00', 'br.gov.bcb.pix') + f('25', 'pix.example.com/rec/1'), fs);
    fs = set('03', 'anything', fs);
    const d = decode(build(fs));
    expect(d.problems).toEqual([]);
    expect(d.txid).toBe('ABC123');
    expect(d.mcc).toBe('5411');
    expect(d.fields.find((x) => x.id === '62')!.children!.find((x) => x.id === '50')!.children!).toBeUndefined(); // one level of nesting
    expect(d.fields.find((x) => x.id === '62')!.children!.find((x) => x.id === '50')!.value).toContain('BR.GOV.BCB.BRCODE');
    expect(d.fields.map((x) => x.id)).toContain('03');
  });

  it('accepts a lower-case CRC but reports it', () => {
    const p = build(fields());
    const lower = p.slice(0, -4) + p.slice(-4).toLowerCase();
    if (lower === p) return; // CRC all digits: nothing to lower-case
    expect(decode(lower).problems).toEqual([expect.stringMatching(/^CRC \(campo 63\) ".*" em minúsculas/)]);
  });

  it.each<[string, Fields, RegExp]>([
    ['amount without decimals', set('54', '10'), /^valor \(54\) "10" fora do formato/],
    ['amount with one decimal', set('54', '10.5'), /^valor \(54\) "10.5" fora do formato/],
    ['amount with comma', set('54', '10,50'), /^valor \(54\) "10,50" fora do formato/],
    ['zero amount', set('54', '0.00'), /^valor \(54\) "0.00": para valor livre o campo 54 deve ser omitido/],
    ['amount over 13 characters', set('54', '12345678901.00'), /^valor \(54\) tem 14 caracteres; o máximo é 13/],
    ['name over 25', set('59', 'N'.repeat(26)), /^nome do recebedor \(59\) tem 26 caracteres; o máximo é 25/],
    ['accented name', set('59', 'João'), /^nome do recebedor \(59\) "João" tem acentos/],
    ['accented city', set('60', 'Maceió'), /^cidade \(60\) "Maceió" tem acentos/],
    ['city over 15', set('60', 'C'.repeat(16)), /^cidade \(60\) tem 16 caracteres/],
    ['missing name', set('59', null), /^nome do recebedor \(59\) ausente/],
    ['missing city', set('60', null), /^cidade \(60\) ausente/],
    ['missing 52', set('52', null), /^campo 52 .* ausente/],
    ['missing 53', set('53', null), /^campo 53 \(moeda\) ausente/],
    ['missing 58', set('58', null), /^campo 58 \(país\) ausente/],
    ['currency not 986', set('53', '840'), /^campo 53 \(moeda\) "840" deveria ser "986"/],
    ['country not BR', set('58', 'US'), /^campo 58 \(país\) "US" deveria ser "BR"/],
    ['MCC not 4 digits', set('52', '00A0'), /^campo 52 \(MCC\) "00A0" deve ter 4 dígitos/],
    ['txid with symbols', set('62', f('05', 'PED-1')), /^txid \(62-05\) "PED-1" fora do formato/],
    ['txid over 25', set('62', f('05', 'A'.repeat(26))), /^txid \(62-05\) "A{26}" fora do formato/],
    ['62 without txid', set('62', f('50', f('00', 'BR.GOV.BCB.BRCODE'))), /^txid \(62-05\) ausente/],
    ['no 62', set('62', null), /^campo 62 .* ausente/],
    ['CEP with 7 digits', set('61', '7007490'), /^CEP \(61\) "7007490" deve ter 8 dígitos/],
    ['00 not first', [['52', '0000'], ...set('52', null)], /^campo 00 .* deve ser o primeiro campo/],
    ['00 not 01', set('00', '02'), /^campo 00 .* "02" deveria ser "01"/],
    ['no 00', set('00', null), /^campo 00 .* ausente/],
    ['01 not 11/12', set('01', '13'), /^campo 01 .* "13" inválido/],
    ['duplicate field', [...fields().slice(0, 6), ['59', 'Outro Nome'], ...fields().slice(6)], /^campo 59 aparece mais de uma vez/],
    ['empty field', set('61', ''), /^campo 61 está vazio/],
    ['key and url', set('26', f('00', 'br.gov.bcb.pix') + f('01', KEY) + f('25', 'pix.example.com/x')), /^campo 26 traz chave \(01\) e URL \(25\) juntas/],
    ['neither key nor url', set('26', f('00', 'br.gov.bcb.pix')), /^campo 26 não traz chave Pix \(01\) nem URL \(25\)/],
    ['url with https://', set('26', f('00', 'br.gov.bcb.pix') + f('25', 'https://pix.example.com/x')), /^URL \(26-25\) inclui o protocolo/],
    ['GUI not first in template', set('26', f('01', KEY) + f('00', 'br.gov.bcb.pix')), /^GUI \(26-00\) deve ser o primeiro subcampo/],
    ['description over 72 (only possible without a key)', set('26', f('00', 'br.gov.bcb.pix') + f('02', 'd'.repeat(73))), /^descrição \(26-02\) tem 73 caracteres; o máximo é 72/],
    ['accented description', set('26', f('00', 'br.gov.bcb.pix') + f('01', KEY) + f('02', 'Pão')), /^descrição \(26-02\) "Pão" tem acentos/],
    ['non-ASCII elsewhere', set('62', f('05', '***') + f('07', 'Caixa nº 1')), /^62-07 tem caracteres fora do ASCII imprimível/],
    ['broken other template', set('27', 'not a tlv'), /^campo 27 deveria conter subcampos/],
    ['two Pix templates', set('27', f('00', 'br.gov.bcb.pix') + f('01', KEY)), /^há 2 blocos de conta Pix \(campos 26, 27\)/],
  ])('reports %s', (_, fs, pattern) => {
    const problems = problemsOf(fs);
    expect(problems.filter((p) => pattern.test(p)), JSON.stringify(problems)).toHaveLength(1);
  });

  it('reports dynamic codes carrying an amount or a txid', () => {
    let fs = set('26', f('00', 'br.gov.bcb.pix') + f('25', 'pix.example.com/x'));
    fs = set('54', '10.00', fs);
    fs = set('62', f('05', 'ABC123'), fs);
    const problems = problemsOf(fs);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^código dinâmico traz valor no campo 54/);
    expect(problems[1]).toMatch(/^código dinâmico traz txid "ABC123"/);
  });

  it.each([
    ['123.456.789-09', '12345678909'],
    ['Fulano@Example.com', 'fulano@example.com'],
    ['11912345678', '+5511912345678'],
    ['123E4567-E12B-12D1-A456-426655440000', KEY],
    ['12abc34501de35', '12ABC34501DE35'],
  ])('reports the key %s as not in directory format, suggesting %s', (key, fixed) => {
    const problems = problemsOf(set('26', f('00', 'br.gov.bcb.pix') + f('01', key)));
    expect(problems).toEqual([expect.stringMatching(/^chave Pix \(26-01\) .* fora do formato do diretório/)]);
    expect(problems[0]).toContain(`seria "${fixed}"`);
  });

  it('reports a key that is no Pix key at all (wrong CPF check digits)', () => {
    const problems = problemsOf(set('26', f('00', 'br.gov.bcb.pix') + f('01', '12345678900')));
    expect(problems).toEqual([expect.stringMatching(/^chave Pix \(26-01\) "12345678900" .*não é uma chave Pix válida/)]);
  });

  it('reports payloads over 512 characters', () => {
    const fs = fields();
    for (let i = 0; i < 4; i++) fs.push([String(90 + i), f('00', 'BR.COM.OUTRO') + f('01', 'y'.repeat(79))]);
    const p = build(fs);
    expect(p.length).toBeGreaterThan(512);
    expect(decode(p).problems).toContainEqual(expect.stringMatching(/^BR Code tem \d+ caracteres; o máximo é 512/));
  });

  it('reads what our own encoder writes with no problems', () => {
    const p = encodeStatic({ key: '+5511912345678', name: 'José', city: 'Maceió', amount: '1,99', txid: 'abc', postalCode: '57000-000' });
    expect(decode(p).problems).toEqual([]);
  });
});

describe('decode: unreadable payloads throw BrCodeError', () => {
  const good = build(fields());

  it.each<[string, string, RegExp]>([
    ['wrong CRC', good.slice(0, -1) + (good.endsWith('0') ? '1' : '0'), /CRC \(campo 63\) não confere/],
    ['changed character', good.replace('Fulano', 'Fulana'), /CRC \(campo 63\) não confere/],
    ['truncated', good.slice(0, -10), /sequência de campos .* quebrada/],
    ['non-digit length', good.replace('5913', '59X3'), /sequência de campos .* quebrada/],
    ['no CRC', withCrc(fields().map(([id, v]) => f(id, v)).join('') + '6304').slice(0, -8), /falta o CRC/],
    ['CRC not last', build(fields()).slice(0, -8) + '6304' + good.slice(-4) + f('99', 'x'), /falta o CRC/],
    ['empty', '', /vazio/],
    ['whitespace only', '  \n', /vazio/],
    ['plain text', 'hello world', /quebrada/],
    ['no Pix template', build(set('26', f('00', 'br.gov.bcb.xyz') + f('01', KEY))), /^Não é um BR Code Pix/],
    ['Pix template not in 26–51', build([...set('26', null), ['80', f('00', 'br.gov.bcb.pix') + f('01', KEY)]]), /^Não é um BR Code Pix/],
    ['broken Pix template', build(set('26', f('00', 'br.gov.bcb.pix') + '01XX')), /bloco da conta Pix \(campo 26\) está malformado/],
    ['broken 62', build(set('62', '05***')), /campo 62 .* malformado/],
  ])('%s', (_, payload, message) => {
    const e = unreadable(payload);
    expect(e.code).toBe('BRCODE_UNREADABLE');
    expect(e.message).toMatch(message);
  });

  it('refuses non-strings with a BrCodeError, not a TypeError', () => {
    for (const x of [undefined, null, 42, {}, []]) expect(() => decode(x as unknown as string)).toThrow(BrCodeError);
  });
});
