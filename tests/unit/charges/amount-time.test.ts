import { describe, expect, it } from 'vitest';
import { centsToValor, parseAmountText, valorToCents } from '../../../main/core/charges/amount';
import { learnZuluFromCreation, learnZuluFromWindow, parseBankTime, toBankQueryTime } from '../../../main/core/charges/bank-time';
import { maskDocument } from '../../../main/core/charges/ids';
import { parseBankProblem, readCobAnswer } from '../../../main/core/itau/pix-client';

describe('amounts typed by people', () => {
  it.each([
    ['10.50', 1050], ['10,50', 1050], ['10', 1000], ['0,01', 1], ['1.234,56', 123456], ['9999999999.99', 999999999999], [' 7,5 ', 750],
  ])('%s → %i cents', (text, cents) => expect(parseAmountText(text)).toBe(cents));

  it.each([
    ['0', /maior que zero/], ['0,00', /maior que zero/], ['0,001', /2 casas decimais/], ['1e9', /inválido/], ['-5', /inválido/],
    ['10.5.0', /inválido/], ['', /inválido/], ['R$ 10', /inválido/], ['1.234', /2 casas decimais/], ['10000000000', /alto demais/], ['Infinity', /inválido/],
  ])('%s is refused', (text, msg) => expect(() => parseAmountText(text)).toThrow(msg));

  it('round-trips the API format', () => {
    expect(centsToValor(1)).toBe('0.01');
    expect(centsToValor(999999999999)).toBe('9999999999.99');
    expect(valorToCents('10.50')).toBe(1050);
    expect(valorToCents('10.5')).toBeNull();
    expect(valorToCents(10.5)).toBeNull();
  });
});

describe('bank times', () => {
  const at = Date.UTC(2026, 0, 31, 13, 0, 5, 789); // 10:00:05.789 in Brasília
  it('queries in whole seconds with -03:00', () => expect(toBankQueryTime(at)).toBe('2026-01-31T10:00:05-03:00'));
  it('reads offsets exactly and Z per the learnt quirk', () => {
    expect(parseBankTime('2026-01-31T10:00:05-03:00', true)).toBe(at - 789);
    expect(parseBankTime('2026-01-31T13:00:05.789Z', false)).toBe(at);
    expect(parseBankTime('2026-01-31T10:00:05.789Z', true)).toBe(at);
    expect(parseBankTime('2026-01-31T10:00:05', false)).toBe(at - 789);
    expect(parseBankTime('ontem', true)).toBeNull();
  });
  it('learns the quirk from a GET /pix window and from a fresh creation', () => {
    const from = at - 60_000;
    const to = at + 60_000;
    expect(learnZuluFromWindow(['2026-01-31T10:00:05.000Z'], from, to)).toBe(true);
    expect(learnZuluFromWindow(['2026-01-31T13:00:05.000Z'], from, to)).toBe(false);
    expect(learnZuluFromWindow(['2026-01-31T10:00:05-03:00'], from, to)).toBeNull();
    expect(learnZuluFromCreation('2026-01-31T10:00:05.000Z', at)).toBe(true);
    expect(learnZuluFromCreation('2026-01-31T13:00:05.000Z', at)).toBe(false);
  });
});

describe('bank errors and payer data', () => {
  const res = (status: number, body: string) => ({ status, headers: {}, body: Buffer.from(body) });
  it('parses problem+json and Itaú plain JSON alike', () => {
    const p = parseBankProblem(res(400, JSON.stringify({ type: 'https://pix.bcb.gov.br/api/v2/error/CobOperacaoInvalida', title: 'Cobrança inválida.', status: 400, detail: 'x', violacoes: [{ razao: 'chave não registrada', propriedade: 'cob.chave' }] })));
    expect(p).toMatchObject({ status: 400, type: 'CobOperacaoInvalida', detail: 'x', violacoes: [{ propriedade: 'cob.chave' }] });
    expect(parseBankProblem(res(500, '{"codigo":"500","mensagem":"Erro interno"}'))).toMatchObject({ type: '500', detail: 'Erro interno', violacoes: [] });
    expect(parseBankProblem(res(502, '<html>bad gateway</html>'))).toMatchObject({ status: 502, detail: null });
  });
  it('keeps only a masked CPF/CNPJ', () => {
    expect(maskDocument('12345678909')).toBe('***.456.789-**');
    expect(maskDocument('12.345.678/0001-95')).toBe('**.345.678/0001-**');
    expect(maskDocument(undefined)).toBeNull();
  });
});

describe('cob answers', () => {
  it('reads REMOVIDO_ and REMOVIDA_ alike, keeps unknown fields out of the way, refuses a shapeless answer', () => {
    const base = { txid: 'a'.repeat(30), valor: { original: '1.00' }, revisao: 1, campoNovo: { x: 1 } };
    expect(readCobAnswer({ ...base, status: 'REMOVIDO_PELO_USUARIO_RECEBEDOR' }).status).toBe('REMOVIDA_PELO_USUARIO_RECEBEDOR');
    expect(readCobAnswer({ ...base, status: 'removida_pelo_psp' }).status).toBe('REMOVIDA_PELO_PSP');
    expect(readCobAnswer({ ...base, status: 'ATIVA' }).status).toBe('ATIVA');
    expect(() => readCobAnswer({ status: 'ATIVA' })).toThrow(/formato inesperado/);
  });
});
