import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrCodeError, directoryKeyType, isValidCnpj, isValidCpf, parsePixKey } from '../../../main/core/brcode';
import { cnpjFrom, cpfFrom } from './helpers';

function refusal(input: string): BrCodeError {
  try {
    parsePixKey(input);
  } catch (e) {
    if (e instanceof BrCodeError) return e;
    throw e;
  }
  throw new Error(`accepted "${input}"`);
}

describe('parsePixKey', () => {
  it.each([
    ['123.456.789-09', 'cpf', '12345678909'],
    ['12345678909', 'cpf', '12345678909'],
    [' 529.982.247-25 ', 'cpf', '52998224725'],
    ['11.222.333/0001-81', 'cnpj', '11222333000181'],
    ['11222333000181', 'cnpj', '11222333000181'],
    ['12.ABC.345/01DE-35', 'cnpj', '12ABC34501DE35'], // Receita Federal's alphanumeric CNPJ example
    ['12abc34501de35', 'cnpj', '12ABC34501DE35'],
    ['(11) 91234-5678', 'phone', '+5511912345678'],
    ['11 91234-5678', 'phone', '+5511912345678'],
    ['+55 (11) 91234-5678', 'phone', '+5511912345678'],
    ['+5511912345678', 'phone', '+5511912345678'],
    ['5511912345678', 'phone', '+5511912345678'],
    ['(61) 3412-3456', 'phone', '+556134123456'],
    ['11912345678', 'phone', '+5511912345678'], // 11 digits, not a valid CPF: a mobile
    ['Fulano.Tal@Empresa.COM.br', 'email', 'fulano.tal@empresa.com.br'],
    ['123E4567-E12B-12D1-A456-426655440000', 'evp', '123e4567-e12b-12d1-a456-426655440000'],
    ['123e4567e12b12d1a456426655440000', 'evp', '123e4567-e12b-12d1-a456-426655440000'],
  ])('%s → %s %s', (input, type, key) => {
    expect(parsePixKey(input)).toEqual({ type, key });
    expect(directoryKeyType(key)).toBe(type);
  });

  it.each([
    ['123.456.789-00', /CPF.*dígitos verificadores/],
    ['111.111.111-11', /CPF/],
    ['11.222.333/0001-80', /CNPJ.*dígitos verificadores/],
    ['12.ABC.345/01DE-36', /CNPJ.*dígitos verificadores/],
    ['12.ABC.345/01DE-3A', /CNPJ/],
    ['(11) 81234-5678', /celular/],
    ['+1 415 555 2671', /\+55/],
    ['(01) 91234-5678', /celular/],
    ['fulano@', /e-mail/],
    ['fulano@empresa', /e-mail/],
    [`${'a'.repeat(70)}@empresa.com`, /77/],
    ['123e4567-e12b-12d1-a456-42665544000', /aleatória/],
    ['', /não informada/],
    ['   ', /não informada/],
    ['chave qualquer', /não é CPF, CNPJ, celular, e-mail nem chave aleatória/],
    ['12345', /não é CPF/],
  ])('refuses %j with a pt-BR message', (input, message) => {
    const e = refusal(input);
    expect(e.code).toBe('PIX_KEY_INVALID');
    expect(e.message).toMatch(/^Chave/);
    expect(e.message).toMatch(message);
  });

  it('accepts every CPF with right check digits and refuses every single-digit change of a check digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (base) => {
        const cpf = cpfFrom(base);
        fc.pre(!/^(\d)\1{10}$/.test(cpf));
        expect(isValidCpf(cpf)).toBe(true);
        expect(parsePixKey(cpf.replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, '$1.$2.$3-$4'))).toEqual({ type: 'cpf', key: cpf });
        const last = Number(cpf[10]);
        expect(isValidCpf(cpf.slice(0, 10) + ((last + 1) % 10))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('validates alphanumeric CNPJs (12 of [0-9A-Z], value = ASCII − 48, 2 numeric check digits)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{12}$/), (base) => {
        const cnpj = cnpjFrom(base);
        fc.pre(!/^(.)\1{13}$/.test(cnpj));
        expect(isValidCnpj(cnpj)).toBe(true);
        expect(parsePixKey(cnpj.toLowerCase())).toEqual({ type: 'cnpj', key: cnpj });
        const wrong = cnpj.slice(0, 13) + ((Number(cnpj[13]) + 1) % 10);
        expect(isValidCnpj(wrong)).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(isValidCnpj('00000000000000')).toBe(false);
    expect(isValidCnpj('12ABC34501DE3A')).toBe(false);
  });

  it('keeps directoryKeyType strict: masks, upper case and missing +55 are not directory format', () => {
    for (const k of ['123.456.789-09', 'Fulano@x.com', '11912345678', '123E4567-E12B-12D1-A456-426655440000', '12abc34501de35']) {
      expect(directoryKeyType(k)).toBeNull();
    }
  });
});
