import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, encodeStatic } from '../../../main/core/brcode';
import { startSandbox, type RunningSandbox } from '../../../main/core/sandbox';
import {
  cobCompletaSchema,
  cobGeradaSchema,
  cobsConsultadasSchema,
  cobVCompletaSchema,
  devolucaoSchema,
  itauQrCodeSchema,
  pixConsultadosSchema,
  pixSchema,
  problemaSchema,
  webhookCompletoSchema,
} from '../../../main/core/sandbox/response-schemas';
import { accessToken, call, clock, enroll, newTxid, opensslCsr, opensslKey, pixClient, subjectFor, tempDir, type Creds } from './helpers';

const T0 = Date.parse('2026-03-10T15:00:00.000Z');
const c = clock(T0);
let sb: RunningSandbox;
let profile: string;
let work: string;
let keyFile: string;
let keyPem: string;

interface Client {
  clientId: string;
  secret: string;
  creds: Creds;
  api: ReturnType<typeof pixClient>;
  refresh(): Promise<void>;
}

async function enrolledClient(target: RunningSandbox, pixKey?: string): Promise<Client> {
  const { clientId, token } = target.state.issueToken();
  if (pixKey) target.state.keys.register(clientId, pixKey);
  const csr = await opensslCsr(work, keyFile, subjectFor(clientId));
  const { secret, certPem } = await enroll(target, token, csr);
  const creds = { certPem, keyPem };
  let access = await accessToken(target, creds, clientId, secret);
  return {
    clientId,
    secret,
    creds,
    api: pixClient(target, creds, clientId, () => access),
    async refresh() {
      access = await accessToken(target, creds, clientId, secret);
    },
  };
}

let a: Client;
let b: Client;

/** Move the clock (access tokens live 300 s, so both clients get fresh ones). */
async function at(iso: string): Promise<void> {
  c.set(Date.parse(iso));
  await a.refresh();
  await b.refresh();
}
const KEY_A = '11144477735'; // a valid CPF used as client A's Pix key
const KEY_B = '+5511912345678'; // client B's Pix key
const body = (valor = '10.00', extra: Record<string, unknown> = {}) => ({ calendario: { expiracao: 3600 }, valor: { original: valor }, chave: KEY_A, ...extra });

beforeAll(async () => {
  profile = tempDir();
  work = tempDir('pixdesk-pix-');
  sb = await startSandbox({ profileDir: profile, now: c.now, refundDelayMs: 5000 });
  keyFile = await opensslKey(work, 'client');
  keyPem = fs.readFileSync(keyFile, 'utf8');
  a = await enrolledClient(sb, KEY_A);
  b = await enrolledClient(sb, KEY_B);
});
afterAll(async () => {
  await sb.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function expectProblem(r: { status: number; headers: Record<string, unknown>; json: unknown }, status: number, propriedade?: string) {
  expect(r.status).toBe(status);
  expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const p = problemaSchema.parse(r.json);
  expect(p.status).toBe(status);
  if (propriedade) expect(p.violacoes?.map((v) => v.propriedade)).toContain(propriedade);
  return p;
}

describe('cob', () => {
  it('PUT /cob/{txid} → 201 CobGerada with location, loc, a real dynamic BR Code and Brasília time with Z (quirk)', async () => {
    const txid = newTxid();
    const r = await a.api('PUT', `/cob/${txid}`, body('10.00', { devedor: { cpf: '12345678909', nome: 'Fulano de Tal' } }));
    expect(r.status).toBe(201);
    const cob = cobGeradaSchema.parse(r.json);
    expect(cob).toMatchObject({ txid, revisao: 0, status: 'ATIVA', chave: KEY_A, valor: { original: '10.00', modalidadeAlteracao: 0 } });
    expect(cob.calendario.criacao).toBe(new Date(T0 - 3 * 3600_000).toISOString());
    expect(cob.loc?.location).toBe(cob.location);
    expect(cob.loc?.tipoCob).toBe('cob');
    expect(r.headers['x-itau-correlationid']).toBe('b3a4c5d6-0000-4000-8000-000000000001');
    const d = decode(cob.pixCopiaECola);
    expect(d.url).toBe(cob.location);
    expect(d.txid).toBe('***');
    expect(d.merchantName).toBe('Padaria Sao Joao');
    expect(d.merchantCity).toBe('Sao Paulo');
    expect(d.problems).toEqual([]);
  });

  it('retrying the same PUT is idempotent; another body on a used txid is refused', async () => {
    const txid = newTxid();
    const first = await a.api('PUT', `/cob/${txid}`, body('11.00'));
    const again = await a.api('PUT', `/cob/${txid}`, body('11.00'));
    expect(again.status).toBe(201);
    expect(again.json.location).toBe(first.json.location);
    expectProblem(await a.api('PUT', `/cob/${txid}`, body('12.00')), 400, 'cob.txid');
    // txids are per receiver: client B may use the same one.
    expect((await b.api('PUT', `/cob/${txid}`, { ...body('11.00'), chave: KEY_B })).status).toBe(201);
  });

  it('POST /cob picks the txid', async () => {
    const r = await a.api('POST', '/cob', body('3.50'));
    expect(r.status).toBe(201);
    expect(cobGeradaSchema.parse(r.json).txid).toMatch(/^[a-zA-Z0-9]{26,35}$/);
  });

  it('refuses bodies that break the BCB schema with violacoes', async () => {
    const put = (x: unknown) => a.api('PUT', `/cob/${newTxid()}`, x);
    const p = expectProblem(await put(body('10')), 400, 'cob.valor.original');
    expect(p.type).toBe('https://pix.bcb.gov.br/api/v2/error/CobOperacaoInvalida');
    expect(p.violacoes![0]).toMatchObject({ valor: '10' });
    expectProblem(await put(body('0.00')), 400, 'cob.valor.original');
    expectProblem(await put({ ...body(), calendario: { expiracao: '3600' } }), 400, 'cob.calendario.expiracao');
    expectProblem(await put({ ...body(), calendario: { expiracao: 1.5 } }), 400, 'cob.calendario.expiracao');
    expectProblem(await put({ calendario: {}, valor: { original: '1.00' } }), 400, 'cob.chave');
    expectProblem(await put({ ...body(), chave: 'not a key' }), 400, 'cob.chave');
    expectProblem(await put({ valor: { original: '1.00' }, chave: KEY_A }), 400, 'cob.calendario');
    expectProblem(await put(body('1.00', { devedor: { cpf: '12345678909', cnpj: '11222333000181', nome: 'X' } })), 400, 'cob.devedor.cnpj');
    expectProblem(await put(body('1.00', { devedor: { cpf: '12345678909' } })), 400, 'cob.devedor.nome');
    expectProblem(await put(body('1.00', { devedor: { cpf: '12345678900', nome: 'X' } })), 400, 'cob.devedor.cpf');
    expectProblem(await put(body('1.00', { solicitacaoPagador: 'x'.repeat(141) })), 400, 'cob.solicitacaoPagador');
    expectProblem(await put('{not json'), 400, 'body');
    expectProblem(await a.api('PUT', '/cob/short', body()), 400, 'cob.txid');
  });

  it('PATCH revises (revisao + 1) and cancels with REMOVIDA_PELO_USUARIO_RECEBEDOR; a removed charge cannot change', async () => {
    const txid = newTxid();
    await a.api('PUT', `/cob/${txid}`, body('20.00'));
    const rev = await a.api('PATCH', `/cob/${txid}`, { valor: { original: '25.00' } });
    expect(rev.status).toBe(200);
    expect(cobGeradaSchema.parse(rev.json)).toMatchObject({ revisao: 1, valor: { original: '25.00' } });
    const cancel = await a.api('PATCH', `/cob/${txid}`, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' });
    expect(cancel.json).toMatchObject({ status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR', revisao: 2 });
    expectProblem(await a.api('PATCH', `/cob/${txid}`, { valor: { original: '1.00' } }), 400, 'cob.status');
    const other = newTxid();
    await a.api('PUT', `/cob/${other}`, body('20.00'));
    expectProblem(await a.api('PATCH', `/cob/${other}`, { status: 'CONCLUIDA' }), 400, 'cob.status');
    expectProblem(await a.api('PATCH', `/cob/${newTxid()}`, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' }), 404);
    expect(() => sb.state.pay(cancel.json.pixCopiaECola)).toThrow(/REMOVIDA_PELO_USUARIO_RECEBEDOR/);
  });

  it('GET /cob/{txid} is per client: another client gets 404', async () => {
    const txid = newTxid();
    await a.api('PUT', `/cob/${txid}`, body());
    expect((await a.api('GET', `/cob/${txid}`)).status).toBe(200);
    expectProblem(await b.api('GET', `/cob/${txid}`), 404);
  });

  it("GET /cob/{txid}/qrcode answers Itaú's {emv, imagem_base64 (PNG), pix_link}", async () => {
    const txid = newTxid();
    const cob = (await a.api('PUT', `/cob/${txid}`, body())).json;
    const r = await a.api('GET', `/cob/${txid}/qrcode`);
    const q = itauQrCodeSchema.parse(r.json);
    expect(q.emv).toBe(cob.pixCopiaECola);
    expect(Buffer.from(q.imagem_base64, 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(q.pix_link).toBe(`https://${cob.location}`);
  });

  it('the location serves the charge as a JWS (no mTLS), 404 for an unknown one', async () => {
    const txid = newTxid();
    const cob = (await a.api('PUT', `/cob/${txid}`, body('7.77'))).json;
    const r = await call(sb, 'GET', `https://${cob.location}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/jose');
    const payload = JSON.parse(Buffer.from(r.text.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ txid, status: 'ATIVA', valor: { original: '7.77' }, calendario: { expiracao: 3600 } });
    expect((await call(sb, 'GET', `${sb.stsUrl}/qr/v2/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('payer', () => {
  it('pays a dynamic code over POST /sandbox/pay → CONCLUIDA with pix[]; a second payment is refused', async () => {
    const txid = newTxid();
    const cob = (await a.api('PUT', `/cob/${txid}`, body('15.90'))).json;
    const paid = await call(sb, 'POST', `${sb.stsUrl}/sandbox/pay`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brcode: cob.pixCopiaECola, payerName: 'Maria Pagadora' }),
    });
    expect(paid.status).toBe(201);
    expect(paid.json).toMatchObject({ txid, valor: '15.90' });
    expect(paid.json.endToEndId).toMatch(/^E\d{8}\d{12}[a-zA-Z0-9]{11}$/);
    expect(paid.json.endToEndId.slice(9, 21)).toBe('202603101500');
    const got = cobCompletaSchema.parse((await a.api('GET', `/cob/${txid}`)).json);
    expect(got.status).toBe('CONCLUIDA');
    expect(got.pix).toHaveLength(1);
    expect(got.pix![0]).toMatchObject({ endToEndId: paid.json.endToEndId, txid, valor: '15.90' });
    const again = await call(sb, 'POST', `${sb.stsUrl}/sandbox/pay`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ brcode: cob.pixCopiaECola }) });
    expect(again.status).toBe(422);
    expect(again.json.mensagem).toMatch(/CONCLUIDA/);
  });

  it('refuses a wrong amount and an expired charge; accepts another amount when modalidadeAlteracao = 1', async () => {
    const fixed = (await a.api('PUT', `/cob/${newTxid()}`, body('30.00'))).json;
    expect(() => sb.state.pay(fixed.pixCopiaECola, { amount: '29.99' })).toThrow(/Valor diferente/);
    const editable = (await a.api('PUT', `/cob/${newTxid()}`, { ...body('30.00'), valor: { original: '30.00', modalidadeAlteracao: 1 } })).json;
    expect(sb.state.pay(editable.pixCopiaECola, { amount: '12,34' }).valor).toBe('12.34');
    const short = (await a.api('PUT', `/cob/${newTxid()}`, { ...body('5.00'), calendario: { expiracao: 60 } })).json;
    c.advance(61_000);
    expect(() => sb.state.pay(short.pixCopiaECola)).toThrow(/expirou/);
    await a.refresh();
  });

  it('pays a static code: the Pix goes to the clients charging on that key, else to everyone', async () => {
    const mine = encodeStatic({ key: KEY_A, name: 'Padaria', city: 'Sao Paulo', amount: '4.20', txid: 'PEDIDO123' });
    const r = sb.state.pay(mine);
    expect(r).toMatchObject({ txid: 'PEDIDO123', valor: '4.20', kind: 'static' });
    expect(pixSchema.parse((await a.api('GET', `/pix/${r.endToEndId}`)).json)).toMatchObject({ txid: 'PEDIDO123', chave: KEY_A });
    expect((await b.api('GET', `/pix/${r.endToEndId}`)).status).toBe(404);

    const nobodys = encodeStatic({ key: 'loja@example.com', name: 'Loja', city: 'Recife' });
    expect(() => sb.state.pay(nobodys)).toThrow(/--amount/);
    const open = sb.state.pay(nobodys, { amount: '1.00', payerName: 'Joao' });
    expect(open.txid).toBeNull();
    const seenByB = pixSchema.parse((await b.api('GET', `/pix/${open.endToEndId}`)).json);
    expect(seenByB.txid).toBeUndefined();
    expect((await a.api('GET', `/pix/${open.endToEndId}`)).status).toBe(200);
    expect(() => sb.state.pay(mine, { amount: '5.00' })).toThrow(/Valor diferente/);
  });

  it('refuses codes that are not Pix or not from this sandbox', async () => {
    expect(() => sb.state.pay('000201garbage')).toThrow();
    const foreign = (await a.api('PUT', `/cob/${newTxid()}`, body())).json.pixCopiaECola.replace(/[0-9a-f]{8}-/, 'ffffffff-');
    expect(() => sb.state.pay(foreign)).toThrow();
  });
});

describe('pix and devolução', () => {
  it('GET /pix lists a window with paging; rejects milliseconds (quirk); an empty window reports 100 pages', async () => {
    await at('2026-04-01T12:00:00Z');
    const txids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const cob = (await a.api('PUT', `/cob/${newTxid()}`, body(`${i + 1}.00`))).json;
      txids.push(cob.txid);
      sb.state.pay(cob.pixCopiaECola);
      c.advance(1000);
    }
    const q = (extra = '') => `/pix?inicio=2026-04-01T09:00:00-03:00&fim=2026-04-01T09:10:00-03:00${extra}`;
    const p0 = pixConsultadosSchema.parse((await a.api('GET', q('&paginacao.itensPorPagina=2'))).json);
    expect(p0.parametros.paginacao).toEqual({ paginaAtual: 0, itensPorPagina: 2, quantidadeDePaginas: 3, quantidadeTotalDeItens: 5 });
    expect(p0.pix.map((p) => p.txid)).toEqual(txids.slice(0, 2));
    const p2 = pixConsultadosSchema.parse((await a.api('GET', q('&paginacao.itensPorPagina=2&paginacao.paginaAtual=2'))).json);
    expect(p2.pix.map((p) => p.txid)).toEqual(txids.slice(4));
    expect((await b.api('GET', q())).json.pix).toHaveLength(0);
    expectProblem(await a.api('GET', '/pix?inicio=2026-04-01T09:00:00.000-03:00&fim=2026-04-01T09:10:00-03:00'), 400, 'pix.inicio');
    expectProblem(await a.api('GET', '/pix?inicio=ontem&fim=2026-04-01T09:10:00-03:00'), 400, 'pix.inicio');
    expectProblem(await a.api('GET', '/pix?fim=2026-04-01T09:10:00-03:00'), 400, 'pix.inicio');
    expectProblem(await a.api('GET', q('&paginacao.itensPorPagina=1001')), 400, 'pix.paginacao.itensPorPagina');
    const empty = pixConsultadosSchema.parse((await a.api('GET', '/pix?inicio=2020-01-01T00:00:00-03:00&fim=2020-01-02T00:00:00-03:00')).json);
    expect(empty.parametros.paginacao).toMatchObject({ quantidadeDePaginas: 100, quantidadeTotalDeItens: 0 });
    expect(empty.pix).toEqual([]);
  });

  it('GET /cob lists a window with status filter and paging', async () => {
    await at('2026-05-01T12:00:00Z');
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      created.push((await a.api('PUT', `/cob/${newTxid()}`, body('2.00'))).json.txid);
      c.advance(1000);
    }
    sb.state.pay((await a.api('GET', `/cob/${created[1]}`)).json.pixCopiaECola);
    const win = '/cob?inicio=2026-05-01T12:00:00Z&fim=2026-05-01T12:01:00Z';
    const all = cobsConsultadasSchema.parse((await a.api('GET', win)).json);
    expect(all.cobs.map((x) => x.txid)).toEqual(created);
    expect(all.cobs[1]!.pix).toHaveLength(1);
    const done = cobsConsultadasSchema.parse((await a.api('GET', `${win}&status=CONCLUIDA`)).json);
    expect(done.cobs.map((x) => x.txid)).toEqual([created[1]]);
    const page1 = cobsConsultadasSchema.parse((await a.api('GET', `${win}&paginacao.itensPorPagina=2&paginacao.paginaAtual=1`)).json);
    expect(page1.cobs.map((x) => x.txid)).toEqual([created[2]]);
    expect(page1.parametros.paginacao.quantidadeDePaginas).toBe(2);
  });

  it('devolução is asynchronous: EM_PROCESSAMENTO, then DEVOLVIDO after the delay; the total is capped', async () => {
    const cob = (await a.api('PUT', `/cob/${newTxid()}`, body('50.00'))).json;
    const { endToEndId } = sb.state.pay(cob.pixCopiaECola);
    const put = await a.api('PUT', `/pix/${endToEndId}/devolucao/D1`, { valor: '20.00', descricao: 'troca' });
    expect(put.status).toBe(201);
    const dev = devolucaoSchema.parse(put.json);
    expect(dev).toMatchObject({ id: 'D1', valor: '20.00', status: 'EM_PROCESSAMENTO' });
    expect(dev.rtrId).toMatch(/^D60701190\d{12}[a-zA-Z0-9]{11}$/);
    expect((await a.api('PUT', `/pix/${endToEndId}/devolucao/D1`, { valor: '20.00' })).status).toBe(201);
    expect((await a.api('GET', `/pix/${endToEndId}/devolucao/D1`)).json.status).toBe('EM_PROCESSAMENTO');
    const over = expectProblem(await a.api('PUT', `/pix/${endToEndId}/devolucao/D2`, { valor: '30.01' }), 400, 'devolucao.valor');
    expect(over.type).toMatch(/PixDevolucaoInvalida$/);
    expectProblem(await a.api('PUT', `/pix/${endToEndId}/devolucao/D3`, { valor: '1' }), 400, 'devolucao.valor');
    c.advance(5000);
    const settled = devolucaoSchema.parse((await a.api('GET', `/pix/${endToEndId}/devolucao/D1`)).json);
    expect(settled.status).toBe('DEVOLVIDO');
    expect(settled.horario.liquidacao).toBeDefined();
    const pix = pixSchema.parse((await a.api('GET', `/pix/${endToEndId}`)).json);
    expect(pix.devolucoes).toHaveLength(1);
    expect((await a.api('PUT', `/pix/${endToEndId}/devolucao/D2`, { valor: '30.00' })).status).toBe(201);
    expectProblem(await a.api('GET', `/pix/${'E'.padEnd(32, '0')}`), 404);
  });
});

describe('cobv and webhook', () => {
  it('PUT/GET /cobv/{txid} with devedor and recebedor; pays until the due date + validity', async () => {
    const txid = newTxid();
    const req = {
      calendario: { dataDeVencimento: '2026-06-10', validadeAposVencimento: 2 },
      devedor: { cnpj: '11222333000181', nome: 'Empresa Devedora SA' },
      valor: { original: '99.90', multa: { modalidade: 2, valorPerc: '2.00' } },
      chave: KEY_A,
    };
    const put = await a.api('PUT', `/cobv/${txid}`, req);
    expect(put.status).toBe(201);
    const cobv = cobVCompletaSchema.parse(put.json);
    expect(cobv.loc?.tipoCob).toBe('cobv');
    expect(cobv.location).toContain('/qr/v2/cobv/');
    expect(cobVCompletaSchema.parse((await a.api('GET', `/cobv/${txid}`)).json).txid).toBe(txid);
    expectProblem(await a.api('GET', `/cob/${txid}`), 404);
    expectProblem(await a.api('PUT', `/cobv/${newTxid()}`, { ...req, devedor: undefined }), 400, 'cobv.devedor');
    expectProblem(await a.api('PUT', `/cobv/${newTxid()}`, { ...req, calendario: { dataDeVencimento: '2026-02-30' } }), 400, 'cobv.calendario.dataDeVencimento');
    c.set(Date.parse('2026-06-13T12:00:00Z'));
    expect(() => sb.state.pay(cobv.pixCopiaECola)).toThrow(/não pode mais ser paga/);
    await at('2026-06-12T12:00:00Z');
    expect(sb.state.pay(cobv.pixCopiaECola).valor).toBe('99.90');
    expect((await a.api('GET', `/cobv/${txid}`)).json.status).toBe('CONCLUIDA');
  });

  it('PUT/GET/DELETE /webhook/{chave}', async () => {
    expect((await a.api('PUT', `/webhook/${KEY_A}`, { webhookUrl: 'https://pix.example.com/api/webhook/' })).status).toBe(200);
    const got = webhookCompletoSchema.parse((await a.api('GET', `/webhook/${KEY_A}`)).json);
    expect(got).toMatchObject({ chave: KEY_A, webhookUrl: 'https://pix.example.com/api/webhook/' });
    expectProblem(await a.api('PUT', `/webhook/${KEY_A}`, { webhookUrl: 'http://inseguro.example.com/' }), 400, 'webhook.webhookUrl');
    expectProblem(await b.api('GET', `/webhook/${KEY_A}`), 404);
    expect((await a.api('DELETE', `/webhook/${KEY_A}`)).status).toBe(204);
    expectProblem(await a.api('GET', `/webhook/${KEY_A}`), 404);
  });
});

describe('faults', () => {
  it('latency, status and times', async () => {
    sb.faults.set('GET /regulatorio-pix/v2/cob/*', { latencyMs: 300, times: 1 });
    const txid = newTxid();
    await a.api('PUT', `/cob/${txid}`, body());
    const t0 = Date.now();
    expect((await a.api('GET', `/cob/${txid}`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const t1 = Date.now();
    await a.api('GET', `/cob/${txid}`);
    expect(Date.now() - t1).toBeLessThan(250);

    sb.faults.set('/regulatorio-pix/v2/*', { status: 503, times: 2 });
    expectProblem(await a.api('GET', `/cob/${txid}`), 503);
    expectProblem(await a.api('GET', '/pix/x'), 503);
    expect((await a.api('GET', `/cob/${txid}`)).status).toBe(200);

    sb.faults.set('POST /api/oauth/token', { status: 500 });
    await expect(a.refresh()).rejects.toThrow(/500/);
    sb.faults.clear();
    await a.refresh();
  });

  it('reset drops the connection; expireTokens answers 401', async () => {
    sb.faults.set('/regulatorio-pix/v2/cob/*', { reset: true, times: 1 });
    await expect(a.api('GET', `/cob/${newTxid()}`)).rejects.toThrow(/socket hang up|ECONNRESET/);
    sb.faults.set('*', { expireTokens: true, times: 1 });
    const r = await a.api('GET', `/cob/${newTxid()}`);
    expect(r.status).toBe(401);
    expect(r.json.detail).toMatch(/expirado/);
    expect((await a.api('GET', `/cob/${newTxid()}`)).status).toBe(404);
  });

  it('POST /sandbox/faults sets faults for other processes; DELETE clears them', async () => {
    const set = await call(sb, 'POST', `${sb.stsUrl}/sandbox/faults`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'GET /regulatorio-pix/v2/webhook/*', status: 502 }),
    });
    expect(set.status).toBe(200);
    expectProblem(await a.api('GET', '/webhook/x'), 502);
    expect((await call(sb, 'POST', `${sb.stsUrl}/sandbox/faults`, { headers: { 'content-type': 'application/json' }, body: '{"route":1}' })).status).toBe(400);
    expect((await call(sb, 'DELETE', `${sb.stsUrl}/sandbox/faults`)).status).toBe(200);
    expectProblem(await a.api('GET', '/webhook/x'), 404);
  });
});

describe('quirks off', () => {
  it('RFC 3339 UTC times, milliseconds accepted, an empty window has 1 page', async () => {
    const p2 = tempDir();
    const plain = await startSandbox({ profileDir: p2, now: () => new Date(T0), quirks: false });
    try {
      const k = await enrolledClient(plain, KEY_A);
      const cob = cobGeradaSchema.parse((await k.api('PUT', `/cob/${newTxid()}`, body())).json);
      expect(cob.calendario.criacao).toBe(new Date(T0).toISOString());
      const list = await k.api('GET', '/pix?inicio=2020-01-01T00:00:00.000Z&fim=2020-01-02T00:00:00.000Z');
      expect(list.status).toBe(200);
      expect(pixConsultadosSchema.parse(list.json).parametros.paginacao).toMatchObject({ quantidadeDePaginas: 1, quantidadeTotalDeItens: 0 });
    } finally {
      await plain.close();
      fs.rmSync(p2, { recursive: true, force: true });
    }
  });
});
