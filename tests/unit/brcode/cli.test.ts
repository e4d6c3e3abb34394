import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, encodeDynamic, encodeStatic } from '../../../main/core/brcode';
import { runCli } from '../../../main/cli/index';
import { loadVectors } from './helpers';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pixdesk-brcode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pixdesk brcode encode', () => {
  it('prints the static payload', async () => {
    const r = await cli(
      'brcode', 'encode', '--key', '123.456.789-09', '--name', 'Padaria São João', '--city', 'Maceió', '--amount', '1.234,5',
      '--txid', 'PED123', '--description', 'Pão de queijo', '--postal-code', '57000-000', '--single-use',
    );
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      encodeStatic({ key: '12345678909', name: 'Padaria Sao Joao', city: 'Maceio', amount: '1234.50', txid: 'PED123', description: 'Pao de queijo', postalCode: '57000000', singleUse: true }),
    );
    expect(decode(r.out).amount).toBe('1234.50');
  });

  it('reproduces the BCB static example', async () => {
    const v = loadVectors()[0]!;
    const r = await cli('brcode', 'encode', '--key', String(v.input.key), '--name', String(v.input.name), '--city', String(v.input.city));
    expect(r.out).toBe(v.expected);
  });

  it('prints the dynamic payload with --url (txid ***)', async () => {
    const r = await cli('brcode', 'encode', '--url', 'https://pix.example.com/qr/v2/abc', '--name', 'Loja', '--city', 'Recife');
    expect(r.code).toBe(0);
    expect(r.out).toBe(encodeDynamic({ url: 'pix.example.com/qr/v2/abc', name: 'Loja', city: 'Recife' }));
    expect(decode(r.out)).toMatchObject({ url: 'pix.example.com/qr/v2/abc', txid: '***' });
  });

  it.each([
    [['--name', 'N', '--city', 'C'], /--key .* ou --url/],
    [['--key', 'a@b.co', '--url', 'x.com/a', '--name', 'N', '--city', 'C'], /não os dois/],
    [['--key', 'a@b.co', '--city', 'C'], /--name é obrigatória/],
    [['--url', 'x.com/a', '--name', 'N', '--city', 'C', '--amount', '10'], /--amount não se aplica ao QR dinâmico/],
    [['--key', 'a@b.co', '--name', 'N', '--city', 'C', '--bogus'], /Uso inválido/],
  ])('exits 2 on usage errors %#', async (args, message) => {
    const r = await cli('brcode', 'encode', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('exits 1 with one pt-BR line naming the field on bad input', async () => {
    const r = await cli('brcode', 'encode', '--key', 'a@b.co', '--name', '   ', '--city', 'C');
    expect(r.code).toBe(1);
    expect(r.errLines).toHaveLength(1);
    expect(r.err).toMatch(/^erro: Nome do recebedor é obrigatório/);
    const r2 = await cli('brcode', 'encode', '--key', 'a@b.co', '--name', 'N', '--city', 'C', '--amount', '0');
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/^erro: Valor deve ser maior que zero/);
  });
});

describe('pixdesk brcode decode', () => {
  const payload = encodeStatic({ key: 'a@b.co', name: 'Loja', city: 'Recife', amount: '10,5', txid: 'T1' });

  it('--json prints exactly the documented keys', async () => {
    const r = await cli('brcode', 'decode', '--json', payload);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['pixKey', 'url', 'merchantName', 'merchantCity', 'postalCode', 'amount', 'txid', 'description', 'singleUse', 'crc', 'problems']);
    expect(j).toEqual({
      pixKey: 'a@b.co', url: null, merchantName: 'Loja', merchantCity: 'Recife', postalCode: null, amount: '10.50', txid: 'T1',
      description: null, singleUse: false, crc: payload.slice(-4), problems: [],
    });
  });

  it('--json lists problems and keeps an open amount null', async () => {
    const v = loadVectors().find((x) => x.strict_pix_issues.length === 2 && x.kind === 'static')!;
    const j = JSON.parse((await cli('brcode', 'decode', '--json', v.expected)).out);
    expect(j.problems).toHaveLength(2);
    expect(j.amount).toBeNull();
  });

  it('prints a readable pt-BR summary without --json', async () => {
    const r = await cli('brcode', 'decode', payload);
    expect(r.code).toBe(0);
    expect(r.out).toContain('BR Code Pix estático');
    expect(r.out).toContain('Chave Pix:   a@b.co');
    expect(r.out).toContain('Valor:       R$ 10,50');
    expect(r.out).toContain('Problemas:   nenhum');
  });

  it.each([
    ['bad CRC', payload.slice(0, -1) + (payload.endsWith('0') ? '1' : '0')],
    ['broken TLV', payload.slice(0, 20)],
    ['not a BR Code', 'hello'],
  ])('exits 1 with one clear stderr line when unreadable (%s)', async (_, p) => {
    const r = await cli('brcode', 'decode', '--json', p);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^erro: (BR Code ilegível|Não é um BR Code Pix)/);
    expect(r.errLines[0]).not.toContain('\n');
  });

  it('exits 2 without a payload', async () => {
    expect((await cli('brcode', 'decode')).code).toBe(2);
  });
});

describe('pixdesk qr', () => {
  const payload = encodeStatic({ key: 'a@b.co', name: 'Loja', city: 'Recife' });

  it('writes an SVG and a PNG', async () => {
    const svg = path.join(tmp, 'q.svg');
    const r = await cli('qr', payload, '--out', svg, '--size', '300');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain(svg);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg [^>]*width="300" height="300"/);
    const png = path.join(tmp, 'q.PNG');
    expect((await cli('qr', payload, '--out', png)).code).toBe(0);
    const buf = readFileSync(png);
    expect(buf.subarray(1, 4).toString()).toBe('PNG');
    expect(buf.readUInt32BE(16)).toBe(512);
  });

  it('refuses other extensions, bad sizes, unreadable payloads and unwritable paths', async () => {
    expect((await cli('qr', payload, '--out', path.join(tmp, 'q.jpg'))).code).toBe(2);
    expect((await cli('qr', payload, '--out', path.join(tmp, 'q.svg'), '--size', 'big')).code).toBe(2);
    const small = await cli('qr', payload, '--out', path.join(tmp, 'q.svg'), '--size', '10');
    expect(small.code).toBe(1);
    expect(small.err).toMatch(/Tamanho do QR Code/);
    const bad = await cli('qr', 'hello', '--out', path.join(tmp, 'bad.svg'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/BR Code ilegível/);
    const nowhere = await cli('qr', payload, '--out', path.join(tmp, 'no', 'such', 'dir', 'q.svg'));
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(/a pasta não existe/);
    expect((await cli('qr', '--out', path.join(tmp, 'q.svg'))).code).toBe(2);
  });
});
