import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type StartedApi } from './support';

/** AppIDs, scopes, IP allow-list, rate limit and hostile bodies, over real HTTP. Every error is `{error}` in pt-BR. */
let api: StartedApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

function noStack(r: { text: string }) {
  expect(r.text).not.toMatch(/\bat .*\.(ts|js|cjs):\d+|node_modules|Error:/);
}

const CHARGE = { correlationID: 'x-1', value: 100 };

describe('AppID', () => {
  it('missing, malformed, wrong, regenerated-away and revoked AppIDs answer 401 {error}', async () => {
    const { app, appId } = api.app('ERP');
    const ok = await call(api.url, '/api/v1/charge', { appId });
    expect(ok.status).toBe(200);
    const missing = await call(api.url, '/api/v1/charge');
    expect(missing.status).toBe(401);
    expect(missing.json!.error).toMatch(/AppID/);
    noStack(missing);
    for (const bad of ['x', `Bearer ${appId}`, Buffer.from('Client_Id_x:y').toString('base64'), appId.slice(0, -4) + 'AAAA']) {
      const r = await call(api.url, '/api/v1/charge', { appId: bad });
      expect(r.status, bad).toBe(401);
    }
    const fresh = api.core.apps.regenerate(app.id);
    expect((await call(api.url, '/api/v1/charge', { appId })).status).toBe(401);
    expect((await call(api.url, '/api/v1/charge', { appId: fresh.appId })).status).toBe(200);
    api.core.apps.revoke(app.id);
    const revoked = await call(api.url, '/api/v1/charge', { appId: fresh.appId });
    expect(revoked.status).toBe(401);
    expect(revoked.json).toEqual({ error: expect.stringContaining('revogado') });
  });

  it('a missing scope is 403 naming it; nothing is created', async () => {
    const { appId } = api.app('Leitor', ['CHARGE_GET']);
    const r = await call(api.url, '/api/v1/charge', { appId, body: CHARGE });
    expect(r.status).toBe(403);
    expect(r.json!.error).toContain('CHARGE_POST');
    expect((await call(api.url, '/api/v1/webhook', { appId })).json!.error).toContain('WEBHOOK');
    expect((await call(api.url, '/api/v1/charge/x/refund', { appId, body: { correlationID: 'r' } })).json!.error).toContain('REFUND');
    expect(api.core.db.prepare('SELECT count(*) AS n FROM api_charges').get()).toEqual({ n: 0 });
  });

  it('the IP allow-list refuses other addresses with 403 naming the IP, and lets listed ones (or their subnet) in', async () => {
    const far = api.app('Outra rede', ['CHARGE_GET'], { allowedIps: ['10.1.2.3', '192.168.0.0/16'] });
    const r = await call(api.url, '/api/v1/charge', { appId: far.appId });
    expect(r.status).toBe(403);
    expect(r.json!.error).toContain('127.0.0.1');
    const near = api.app('Loopback', ['CHARGE_GET'], { allowedIps: ['127.0.0.0/8'] });
    expect((await call(api.url, '/api/v1/charge', { appId: near.appId })).status).toBe(200);
  });

  it("over the app's rate limit answers 429 {error}; another app is not affected", async () => {
    const slow = api.app('Lento', ['CHARGE_GET'], { rateLimitPerMinute: 3 });
    const other = api.app('Outro', ['CHARGE_GET']);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await call(api.url, '/api/v1/charge', { appId: slow.appId })).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const limited = await call(api.url, '/api/v1/charge', { appId: slow.appId });
    expect(limited.json!.error).toMatch(/Limite de requisições/);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect((await call(api.url, '/api/v1/charge', { appId: other.appId })).status).toBe(200);
    // Requests are counted for the app (written by the flush).
    api.core.apps.flushUsage();
    expect(api.core.apps.get(slow.app.id)).toMatchObject({ requestCount: 6, lastUsedIp: '127.0.0.1' });
  });
});

describe('bodies', () => {
  it('malformed JSON, wrong types and missing fields are 400 naming the field; too large is 413', async () => {
    const { appId } = api.app('POS', ['CHARGE_POST', 'CHARGE_GET']);
    const cases: [unknown, RegExp][] = [
      [{ correlationID: 'a' }, /"value" é obrigatório.*centavos/],
      [{ value: 100 }, /"correlationID" é obrigatório/],
      [{ correlationID: 'a', value: '100' }, /"value" deve ser um número inteiro/],
      [{ correlationID: 'a', value: 10.5 }, /"value" deve ser um número inteiro/],
      [{ correlationID: 'a', value: 0 }, /"value" deve ser no mínimo 1/],
      [{ correlationID: 'a', value: 100, comment: 'x'.repeat(141) }, /"comment" deve ter no máximo 140/],
      [{ correlationID: 'a', value: 100, customer: { email: 'sem-arroba' } }, /"customer.email" está em formato inválido/],
      [{ correlationID: 'a', value: 100, additionalInfo: [{ key: 'k' }] }, /"additionalInfo\[0\].value" é obrigatório/],
      [[1, 2], /corpo da requisição deve ser um objeto JSON/],
    ];
    for (const [body, msg] of cases) {
      const r = await call(api.url, '/api/v1/charge', { appId, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json!.error, JSON.stringify(body)).toMatch(msg);
      noStack(r);
    }
    const broken = await call(api.url, '/api/v1/charge', { appId, raw: '{"correlationID": "a", value: 1' });
    expect(broken.status).toBe(400);
    expect(broken.json!.error).toMatch(/JSON inválido/);
    const huge = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'a', value: 1, comment: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect(huge.json!.error).toMatch(/grande demais/);
    const form = await call(api.url, '/api/v1/charge', { appId, raw: 'value=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const q = await call(api.url, '/api/v1/charge?limit=1000', { appId });
    expect(q.status).toBe(400);
    expect(q.json!.error).toContain('"limit"');
    expect(api.core.db.prepare('SELECT count(*) AS n FROM charges').get()).toEqual({ n: 0 });
  });

  it('an unknown charge is 404 and another app cannot read a charge it did not make', async () => {
    const a = api.app('A', ['CHARGE_POST', 'CHARGE_GET']);
    const b = api.app('B', ['CHARGE_GET']);
    const made = await call(api.url, '/api/v1/charge', { appId: a.appId, body: { correlationID: 'so-do-a', value: 100 } });
    expect(made.status).toBe(200);
    const id = (made.json!.charge as { globalID: string }).globalID;
    expect((await call(api.url, `/api/v1/charge/${id}`, { appId: a.appId })).status).toBe(200);
    const other = await call(api.url, `/api/v1/charge/${id}`, { appId: b.appId });
    expect(other.status).toBe(404);
    expect(other.json!.error).toMatch(/Cobrança não encontrada/);
    expect((await call(api.url, '/api/v1/charge/so-do-a', { appId: b.appId })).status).toBe(404);
    const route = await call(api.url, '/api/v1/nada', { appId: a.appId });
    expect(route.status).toBe(404);
    expect(route.json!.error).toMatch(/Rota não encontrada/);
  });

  it('two racing creates with one correlationID make one charge', async () => {
    const { appId } = api.app('Corrida', ['CHARGE_POST', 'CHARGE_GET']);
    const rs = await Promise.all([0, 1, 2, 3].map(() => call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'corrida-1', value: 777 } })));
    expect(rs.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of rs.filter((x) => x.status !== 200)) expect([400, 409]).toContain(r.status);
    expect(api.core.db.prepare('SELECT count(*) AS n FROM charges WHERE amount_cents = 777').get()).toEqual({ n: 1 });
  });
});
