import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../../main/core/brcode';
import { startSandbox, type RunningSandbox } from '../../../main/core/sandbox';
import {
  cobGeradaSchema,
  cobsVConsultadasSchema,
  cobVCompletaSchema,
  devolucaoSchema,
  locsConsultadasSchema,
  payloadLocationCompletaSchema,
  pixConsultadosSchema,
  problemaSchema,
} from '../../../main/core/sandbox/response-schemas';
import { call, clock, control, enrolledClient, newTxid, opensslKey, tempDir, type EnrolledClient } from './helpers';

/*
 * What the charges engine relies on from the sandbox, over real HTTPS/mTLS: keys per Client ID, /loc reuse, cobv
 * revision and listing, refunds that fail on demand, the dropped-answer fault, GET /pix as Itaú serves it, token
 * request counts and bulk seeding.
 */

const T0 = Date.parse('2026-03-10T15:00:00.000Z');
const c = clock(T0);
let sb: RunningSandbox;
let profile: string;
let work: string;
let a: EnrolledClient;
let b: EnrolledClient;
const KEY_A = crypto.randomUUID();
const KEY_B = 'loja-b@example.com';
const cob = (valor = '10.00', extra: Record<string, unknown> = {}) => ({ calendario: { expiracao: 3600 }, valor: { original: valor }, chave: KEY_A, ...extra });
const cobv = (valor = '99.90') => ({
  calendario: { dataDeVencimento: '2026-03-20', validadeAposVencimento: 5 },
  devedor: { cpf: '12345678909', nome: 'Fulano de Tal' },
  valor: { original: valor },
  chave: KEY_A,
});

beforeAll(async () => {
  profile = tempDir();
  work = tempDir('pixdesk-charges-support-');
  sb = await startSandbox({ profileDir: profile, now: c.now, refundDelayMs: 5000 });
  const keyFile = await opensslKey(work, 'client');
  a = await enrolledClient(sb, work, keyFile, KEY_A);
  b = await enrolledClient(sb, work, keyFile);
});
afterAll(async () => {
  await sb.close();
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function expectProblem(r: { status: number; json: unknown }, status: number, propriedade?: string) {
  expect(r.status).toBe(status);
  const p = problemaSchema.parse(r.json);
  if (propriedade) expect(p.violacoes?.map((v) => v.propriedade)).toContain(propriedade);
  return p;
}

describe('Pix keys per Client ID', () => {
  it('a cob or cobv on a key not registered for the caller is refused (400, cob.chave); registering it over /sandbox/keys lets it through', async () => {
    const p = expectProblem(await b.api('PUT', `/cob/${newTxid()}`, { ...cob(), chave: KEY_B }), 400, 'cob.chave');
    expect(p.type).toMatch(/CobOperacaoInvalida$/);
    expect(p.violacoes![0]!.razao).toMatch(/não pertence a este recebedor/);
    // Another client's key is refused too, a DICT key belongs to one account.
    expectProblem(await b.api('PUT', `/cob/${newTxid()}`, cob()), 400, 'cob.chave');
    expectProblem(await b.api('PUT', `/cobv/${newTxid()}`, cobv()), 400, 'cobv.chave');
    expectProblem(await b.api('POST', '/cob', cob()), 400, 'cob.chave');

    const reg = await control(sb, 'POST', '/sandbox/keys', { clientId: b.clientId, key: KEY_B });
    expect(reg.status).toBe(201);
    expect(reg.json.keys).toEqual([KEY_B]);
    expect((await control(sb, 'POST', '/sandbox/keys', { clientId: b.clientId, key: KEY_B })).status).toBe(201); // idempotent
    expect((await b.api('PUT', `/cob/${newTxid()}`, { ...cob(), chave: KEY_B })).status).toBe(201);
    const taken = await control(sb, 'POST', '/sandbox/keys', { clientId: b.clientId, key: KEY_A });
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({ codigo: 'SANDBOX_PIX_KEY_TAKEN' });
    expect((await control(sb, 'POST', '/sandbox/keys', { clientId: b.clientId, key: 'not a key' })).json.codigo).toBe('SANDBOX_PIX_KEY_INVALID');
    expect((await control(sb, 'GET', `/sandbox/keys?clientId=${b.clientId}`)).json.keys).toEqual([KEY_B]);
  });

  it('PATCH to a key the caller does not own is refused', async () => {
    const txid = newTxid();
    await a.api('PUT', `/cob/${txid}`, cob());
    expectProblem(await a.api('PATCH', `/cob/${txid}`, { chave: KEY_B }), 400, 'cob.chave');
    expect((await a.api('GET', `/cob/${txid}`)).json).toMatchObject({ chave: KEY_A, revisao: 0 });
  });
});

describe('/loc', () => {
  it('create, bind with loc.id, refuse a bound one, unlink, rebind: the same QR then pays the new charge', async () => {
    const created = await a.api('POST', '/loc', { tipoCob: 'cob' });
    expect(created.status).toBe(201);
    const loc = payloadLocationCompletaSchema.parse(created.json);
    expect(loc.txid).toBeUndefined();
    expect(created.headers.location).toBe(loc.location);
    expectProblem(await a.api('POST', '/loc', { tipoCob: 'boleto' }), 400, 'loc.tipoCob');
    expectProblem(await b.api('GET', `/loc/${loc.id}`), 404);

    const t1 = newTxid();
    const first = cobGeradaSchema.parse((await a.api('PUT', `/cob/${t1}`, cob('5.00', { loc: { id: loc.id } }))).json);
    expect(first.loc).toMatchObject({ id: loc.id, location: loc.location });
    expect(decode(first.pixCopiaECola).url).toBe(loc.location);
    expect(payloadLocationCompletaSchema.parse((await a.api('GET', `/loc/${loc.id}`)).json).txid).toBe(t1);
    expectProblem(await a.api('PUT', `/cob/${newTxid()}`, cob('6.00', { loc: { id: loc.id } })), 400, 'cob.loc.id');
    expectProblem(await a.api('PUT', `/cobv/${newTxid()}`, { ...cobv(), loc: { id: loc.id } }), 400, 'cobv.loc.id');
    expectProblem(await b.api('PUT', `/cob/${newTxid()}`, { ...cob(), chave: KEY_B, loc: { id: loc.id } }), 400, 'cob.loc.id');

    const unlinked = await a.api('DELETE', `/loc/${loc.id}/txid`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.json.txid).toBeUndefined();
    expect((await a.api('DELETE', `/loc/${loc.id}/txid`)).status).toBe(200); // idempotent
    const orphan = (await a.api('GET', `/cob/${t1}`)).json;
    expect(orphan).toMatchObject({ txid: t1, status: 'ATIVA' });
    expect(orphan.loc).toBeUndefined();
    expect(orphan.location).toBeUndefined();
    expect(() => sb.state.pay(first.pixCopiaECola)).toThrow(/não tem cobrança vinculada/);
    expect((await control(sb, 'GET', `/sandbox/qr/${loc.id}`)).json).toMatchObject({ found: true, cob: null });

    const t2 = newTxid();
    const second = cobGeradaSchema.parse((await a.api('PUT', `/cob/${t2}`, cob('7.00', { loc: { id: loc.id } }))).json);
    expect(second.pixCopiaECola).toBe(first.pixCopiaECola);
    expect((await control(sb, 'GET', `/sandbox/qr/${loc.id}`)).json.cob).toMatchObject({ txid: t2, valor: '7.00', status: 'ATIVA' });
    const jws = await call(sb, 'GET', `https://${loc.location}`);
    expect(JSON.parse(Buffer.from(jws.text.split('.')[1]!, 'base64url').toString())).toMatchObject({ txid: t2 });
    expect(sb.state.pay(first.pixCopiaECola)).toMatchObject({ txid: t2, valor: '7.00', kind: 'dynamic' });
    expect((await a.api('GET', `/cob/${t1}`)).json.status).toBe('ATIVA');
  });

  it('GET /loc lists a window, filtered by txIdPresente and tipoCob', async () => {
    c.set(Date.parse('2026-03-11T12:00:00Z'));
    await a.refresh();
    const free = (await a.api('POST', '/loc', { tipoCob: 'cobv' })).json;
    c.advance(1000);
    const bound = (await a.api('PUT', `/cob/${newTxid()}`, cob())).json;
    const win = '/loc?inicio=2026-03-11T09:00:00-03:00&fim=2026-03-11T09:05:00-03:00';
    const all = locsConsultadasSchema.parse((await a.api('GET', win)).json);
    expect(all.loc.map((l) => l.id)).toEqual([free.id, bound.loc.id]);
    expect(all.loc[1]!.txid).toBe(bound.txid);
    expect(locsConsultadasSchema.parse((await a.api('GET', `${win}&txIdPresente=false`)).json).loc.map((l) => l.id)).toEqual([free.id]);
    expect(locsConsultadasSchema.parse((await a.api('GET', `${win}&tipoCob=cob`)).json).loc.map((l) => l.id)).toEqual([bound.loc.id]);
    const page = locsConsultadasSchema.parse((await a.api('GET', `${win}&paginacao.itensPorPagina=1&paginacao.paginaAtual=1`)).json);
    expect(page.loc).toHaveLength(1);
    expect(page.parametros.paginacao).toMatchObject({ quantidadeDePaginas: 2, quantidadeTotalDeItens: 2 });
    expectProblem(await a.api('GET', `${win}&txIdPresente=talvez`), 400, 'loc.txIdPresente');
  });
});

describe('cobv', () => {
  it('PATCH revises and cancels; GET /cobv lists with paging and filters', async () => {
    c.set(Date.parse('2026-03-12T12:00:00Z'));
    await a.refresh();
    const txids: string[] = [];
    for (let i = 0; i < 3; i++) {
      txids.push((await a.api('PUT', `/cobv/${newTxid()}`, cobv(`${i + 1}0.00`))).json.txid);
      c.advance(1000);
    }
    const rev = await a.api('PATCH', `/cobv/${txids[0]}`, { calendario: { dataDeVencimento: '2026-03-25' }, valor: { original: '12.34' } });
    expect(rev.status).toBe(200);
    expect(cobVCompletaSchema.parse(rev.json)).toMatchObject({ revisao: 1, valor: { original: '12.34' }, calendario: { dataDeVencimento: '2026-03-25', validadeAposVencimento: 5 } });
    expectProblem(await a.api('PATCH', `/cobv/${txids[0]}`, { chave: KEY_B }), 400, 'cobv.chave');
    expectProblem(await a.api('PATCH', `/cobv/${txids[0]}`, { calendario: { dataDeVencimento: '2026-13-01' } }), 400, 'cobv.calendario.dataDeVencimento');
    const cancel = await a.api('PATCH', `/cobv/${txids[1]}`, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' });
    expect(cancel.json).toMatchObject({ status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR', revisao: 1 });
    expectProblem(await a.api('PATCH', `/cobv/${txids[1]}`, { valor: { original: '1.00' } }), 400, 'cobv.status');
    expectProblem(await a.api('PATCH', `/cob/${txids[2]}`, { valor: { original: '1.00' } }), 404);

    const win = '/cobv?inicio=2026-03-12T09:00:00-03:00&fim=2026-03-12T09:01:00-03:00';
    const all = cobsVConsultadasSchema.parse((await a.api('GET', win)).json);
    expect(all.cobs.map((x) => x.txid)).toEqual(txids);
    const p1 = cobsVConsultadasSchema.parse((await a.api('GET', `${win}&paginacao.itensPorPagina=2&paginacao.paginaAtual=1`)).json);
    expect(p1.cobs.map((x) => x.txid)).toEqual([txids[2]]);
    expect(p1.parametros.paginacao).toEqual({ paginaAtual: 1, itensPorPagina: 2, quantidadeDePaginas: 2, quantidadeTotalDeItens: 3 });
    expect(cobsVConsultadasSchema.parse((await a.api('GET', `${win}&status=REMOVIDA_PELO_USUARIO_RECEBEDOR`)).json).cobs.map((x) => x.txid)).toEqual([txids[1]]);
    expect(cobsVConsultadasSchema.parse((await a.api('GET', `${win}&cpf=12345678909`)).json).cobs).toHaveLength(3);
    expect(cobsVConsultadasSchema.parse((await a.api('GET', `${win}&cpf=11144477735`)).json).cobs).toHaveLength(0);
    expect((await a.api('GET', '/cob?inicio=2026-03-12T09:00:00-03:00&fim=2026-03-12T09:01:00-03:00')).json.cobs).toHaveLength(0);
  });
});

describe('devolução', () => {
  it('NAO_REALIZADO on demand (with motivo) frees the amount again; partial then total; never above what is left', async () => {
    const charge = (await a.api('PUT', `/cob/${newTxid()}`, cob('50.00'))).json;
    const { endToEndId } = sb.state.pay(charge.pixCopiaECola);
    sb.faults.set('PUT /regulatorio-pix/v2/pix/*/devolucao/*', { refund: 'NAO_REALIZADO', motivo: 'Conta do pagador encerrada', times: 1 });
    const failed = await a.api('PUT', `/pix/${endToEndId}/devolucao/F1`, { valor: '50.00' });
    expect(devolucaoSchema.parse(failed.json).status).toBe('EM_PROCESSAMENTO');
    expectProblem(await a.api('PUT', `/pix/${endToEndId}/devolucao/X1`, { valor: '0.01' }), 400, 'devolucao.valor'); // still reserved
    c.advance(5000);
    await a.refresh();
    const settled = devolucaoSchema.parse((await a.api('GET', `/pix/${endToEndId}/devolucao/F1`)).json);
    expect(settled).toMatchObject({ status: 'NAO_REALIZADO', motivo: 'Conta do pagador encerrada' });
    expect(settled.horario.liquidacao).toBeDefined();

    expect((await a.api('PUT', `/pix/${endToEndId}/devolucao/P1`, { valor: '20.00' })).json.status).toBe('EM_PROCESSAMENTO');
    const over = expectProblem(await a.api('PUT', `/pix/${endToEndId}/devolucao/P2`, { valor: '30.01' }), 400, 'devolucao.valor');
    expect(over.violacoes![0]!.razao).toMatch(/disponível: 30.00/);
    expect((await a.api('PUT', `/pix/${endToEndId}/devolucao/P2`, { valor: '30.00' })).status).toBe(201);
    expectProblem(await a.api('PUT', `/pix/${endToEndId}/devolucao/P3`, { valor: '0.01' }), 400, 'devolucao.valor');
    c.advance(5000);
    await a.refresh();
    const pix = (await a.api('GET', `/pix/${endToEndId}`)).json;
    expect(pix.devolucoes.map((d: { id: string; status: string }) => `${d.id}:${d.status}`)).toEqual(['F1:NAO_REALIZADO', 'P1:DEVOLVIDO', 'P2:DEVOLVIDO']);
  });
});

describe('dropped answer', () => {
  it('dropResponse commits the PUT and loses the answer; the retry with the same txid gets the same charge, one at the bank', async () => {
    const before = sb.state.stats().charges[a.clientId] ?? 0;
    sb.faults.set('PUT /regulatorio-pix/v2/cob/*', { dropResponse: true, times: 1 });
    const txid = newTxid();
    await expect(a.api('PUT', `/cob/${txid}`, cob('8.88'))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sb.state.charges.getCharge(a.clientId, txid)?.status).toBe('ATIVA');
    const retry = await a.api('PUT', `/cob/${txid}`, cob('8.88'));
    expect(retry.status).toBe(201);
    expect(retry.json.txid).toBe(txid);
    expect(sb.state.stats().charges[a.clientId]).toBe(before + 1);
    // Over the control route too, for a PATCH: the cancellation is committed though the answer is lost.
    await control(sb, 'POST', '/sandbox/faults', { route: 'PATCH /regulatorio-pix/v2/cob/*', dropResponse: true, times: 1 });
    await expect(a.api('PATCH', `/cob/${txid}`, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await a.api('GET', `/cob/${txid}`)).json.status).toBe('REMOVIDA_PELO_USUARIO_RECEBEDOR');
  });
});

describe('GET /pix as Itaú serves it', () => {
  it('direct transfers and payments carry pagador {nome, cpf|cnpj} and infoPagador; Brasília time with a wrong Z', async () => {
    c.set(Date.parse('2026-03-13T18:00:00Z'));
    await a.refresh();
    await b.refresh();
    const direct = sb.state.payKey(KEY_A, { amount: '3.21', payerName: 'Empresa Pagadora', payerCnpj: '11222333000181', infoPagador: 'sem cobrança' });
    expect(direct).toMatchObject({ txid: null, kind: 'static' });
    c.advance(1000);
    const charge = (await a.api('PUT', `/cob/${newTxid()}`, cob('4.00'))).json;
    sb.state.pay(charge.pixCopiaECola, { payerName: 'Ana', payerCpf: '12345678909' });
    const list = pixConsultadosSchema.parse((await a.api('GET', '/pix?inicio=2026-03-13T15:00:00-03:00&fim=2026-03-13T15:00:05-03:00')).json);
    expect(list.pix).toHaveLength(2);
    expect(list.pix[0]).toMatchObject({ endToEndId: direct.endToEndId, valor: '3.21', infoPagador: 'sem cobrança', pagador: { nome: 'Empresa Pagadora', cnpj: '11222333000181' } });
    expect(list.pix[0]!.txid).toBeUndefined();
    expect(list.pix[0]!.horario).toBe('2026-03-13T15:00:00.000Z'); // 18:00 UTC written as Brasília wall time + Z
    expect(list.pix[1]).toMatchObject({ txid: charge.txid, pagador: { nome: 'Ana', cpf: '12345678909' } });
    expect((await b.api('GET', `/pix/${direct.endToEndId}`)).status).toBe(404); // the key is A's
    expectProblem(await a.api('GET', '/pix?inicio=2026-03-13T15:00:00.123-03:00&fim=2026-03-13T15:00:05-03:00'), 400, 'pix.inicio');
    expectProblem(await a.api('GET', '/pix?inicio=2026-03-13T15:00:00-03:00&fim=2026-03-13T15:00:05.5Z'), 400, 'pix.fim');
    expect(() => sb.state.payKey(KEY_A, { amount: '0' })).toThrow(/maior que zero/);
  });

  it('bulk seeding: 10,000 Pix in one request, paged by 1000 until the total; an empty window reports pages but 0 items', async () => {
    const r = await control(sb, 'POST', '/sandbox/pix/bulk', { clientId: a.clientId, count: 10_000, inicio: '2026-03-14T08:00:00-03:00', fim: '2026-03-14T17:59:59-03:00', txidEvery: 10 });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ count: 10_000, key: KEY_A });
    c.set(Date.parse('2026-03-14T22:00:00Z'));
    await a.refresh();
    await b.refresh();
    const seen = new Set<string>();
    let withTxid = 0;
    for (let page = 0; ; page++) {
      const q = `/pix?inicio=2026-03-14T08:00:00-03:00&fim=2026-03-14T18:00:00-03:00&paginacao.itensPorPagina=1000&paginacao.paginaAtual=${page}`;
      const p = pixConsultadosSchema.parse((await a.api('GET', q)).json);
      expect(p.parametros.paginacao).toMatchObject({ paginaAtual: page, itensPorPagina: 1000, quantidadeDePaginas: 10, quantidadeTotalDeItens: 10_000 });
      for (const x of p.pix) {
        seen.add(x.endToEndId);
        if (x.txid) withTxid++;
      }
      if (seen.size >= p.parametros.paginacao.quantidadeTotalDeItens) break;
    }
    expect(seen.size).toBe(10_000);
    expect(withTxid).toBe(1000);
    expect((await b.api('GET', '/pix?inicio=2026-03-14T08:00:00-03:00&fim=2026-03-14T18:00:00-03:00')).json.pix).toHaveLength(0);
    const empty = pixConsultadosSchema.parse((await a.api('GET', '/pix?inicio=2026-03-15T08:00:00-03:00&fim=2026-03-15T09:00:00-03:00')).json);
    expect(empty.parametros.paginacao).toMatchObject({ quantidadeDePaginas: 100, quantidadeTotalDeItens: 0 });
    expect((await control(sb, 'POST', '/sandbox/pix/bulk', { key: KEY_A, count: 0 })).status).toBe(400);
  });
});

describe('statistics', () => {
  it('counts /api/oauth/token requests per Client ID (faulted ones too) and resets', async () => {
    await control(sb, 'POST', '/sandbox/stats/reset');
    await a.refresh();
    await a.refresh();
    await b.refresh();
    sb.faults.set('POST /api/oauth/token', { status: 503, times: 1 });
    await expect(b.refresh()).rejects.toThrow(/503/);
    const st = (await control(sb, 'GET', '/sandbox/stats')).json;
    expect(st.tokenRequests).toEqual({ [a.clientId]: 2, [b.clientId]: 2 });
    expect(st.charges[a.clientId]).toBeGreaterThan(5);
    const noCert = await call(sb, 'POST', `${sb.stsUrl}/api/oauth/token`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(noCert.status).toBe(403);
    expect(sb.state.stats().tokenRequests.desconhecido).toBe(1);
  });
});
