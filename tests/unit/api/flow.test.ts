import { createClient } from '@woovi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type StartedApi } from './support';

/**
 * The whole OpenPix-style flow over real HTTP against the profile's HTTPS/mTLS sandbox, with OpenPix's own Node SDK
 * as the client: only its base URL points at PixDesk.
 */
let api: StartedApi;
let appId: string;
let sdk: ReturnType<typeof createClient>;

beforeAll(async () => {
  api = await startApi();
  appId = api.app('ERP da loja').appId;
  sdk = createClient({ appId, baseUrl: api.url });
});
afterAll(async () => {
  await api.close();
});

type Charge = Record<string, unknown> & { correlationID: string; globalID: string; status: string; brCode: string; paymentLinkUrl: string; qrCodeImage: string; value: number };

describe('OpenPix-compatible charges through @woovi/node-sdk', () => {
  it('create → get → duplicate refused / return_existing → pay → COMPLETED → list → refund (idempotent) → refund list', async () => {
    const created = await sdk.charge.create({ correlationID: 'pedido-1001', value: 1050, comment: 'Pedido 1001', expiresIn: 900, customer: { name: 'Maria da Silva', taxID: '529.982.247-25', email: 'maria@example.com' }, additionalInfo: [{ key: 'Pedido', value: '1001' }] });
    const c = created.charge as unknown as Charge;
    expect(c).toMatchObject({ correlationID: 'pedido-1001', value: 1050, status: 'ACTIVE', comment: 'Pedido 1001', type: 'DYNAMIC', expiresIn: 900 });
    expect(c.brCode).toMatch(/^000201/);
    expect(c.paymentLinkUrl).toBe(`${api.url}/pay/${c.paymentLinkID as string}`);
    expect(c.qrCodeImage).toMatch(new RegExp(`^${api.url}/openpix/charge/brcode/image/[0-9a-f-]{36}\\.png$`));
    expect(c.customer).toEqual({ name: 'Maria da Silva', email: 'maria@example.com', taxID: { taxID: '52998224725', type: 'BR:CPF' } });
    expect(c.additionalInfo).toEqual([{ key: 'Pedido', value: '1001' }]);
    expect(Date.parse(c.expiresDate as string) - Date.parse(c.createdAt as string)).toBe(900_000);

    // The engine holds exactly this charge, made on the bank (sandbox) with the account's key.
    const engineView = api.core.charges.charges.view(c.globalID);
    expect(engineView).toMatchObject({ status: 'active', amountCents: 1050, kind: 'dynamic' });

    const byCorrelation = (await sdk.charge.get({ id: 'pedido-1001' })).charge as unknown as Charge;
    const byId = (await sdk.charge.get({ id: c.globalID })).charge as unknown as Charge;
    expect(byCorrelation.globalID).toBe(c.globalID);
    expect(byId.correlationID).toBe('pedido-1001');

    // Same correlationID without return_existing: refused with a pt-BR message; with it: the same charge, no second one.
    await expect(sdk.charge.create({ correlationID: 'pedido-1001', value: 1050 })).rejects.toMatchObject({ error: expect.stringContaining('correlationID') });
    const again = (await sdk.charge.create({ correlationID: 'pedido-1001', value: 1050 }, { return_existing: 'true' })).charge as unknown as Charge;
    expect(again.globalID).toBe(c.globalID);
    expect(api.core.db.prepare("SELECT count(*) AS n FROM charges WHERE description = 'Pedido 1001'").get()).toEqual({ n: 1 });

    // The customer pays at the sandbox; the engine confirms it; the partner reads COMPLETED with the payer.
    await api.core.sandbox.pay({ brcode: c.brCode, payerName: 'Maria da Silva' });
    await api.core.charges.charges.poll(c.globalID);
    const paid = (await sdk.charge.get({ id: 'pedido-1001' })).charge as unknown as Charge;
    expect(paid).toMatchObject({ status: 'COMPLETED', value: 1050, payer: { name: 'Maria da Silva' } });
    expect(paid.paidAt).toBeTruthy();
    expect(paid.endToEndId).toMatch(/^E[0-9A-Za-z]{31}$/);

    // A second charge, then the list with OpenPix's paging.
    await sdk.charge.create({ correlationID: 'pedido-1002', value: 2000 });
    const page = (await sdk.charge.list({ skip: 0, limit: 1 })) as unknown as { charges: Charge[]; pageInfo: Record<string, unknown> };
    expect(page.charges).toHaveLength(1);
    expect(page.charges[0]!.correlationID).toBe('pedido-1002');
    expect(page.pageInfo).toEqual({ skip: 0, limit: 1, totalCount: 2, hasPreviousPage: false, hasNextPage: true });
    const completed = await call(api.url, '/api/v1/charge?status=COMPLETED', { appId });
    expect((completed.json!.charges as Charge[]).map((x) => x.correlationID)).toEqual(['pedido-1001']);

    // Refund R$ 5,00 with its own correlationID; the same correlationID again is the same refund.
    const r1 = (await sdk.chargeRefund.create({ chargeId: 'pedido-1001', correlationID: 'devolucao-1', value: 500, comment: 'Troca' })).refund as unknown as Record<string, unknown>;
    expect(r1).toMatchObject({ value: 500, correlationID: 'devolucao-1', comment: 'Troca' });
    expect(['IN_PROCESSING', 'CONFIRMED']).toContain(r1.status);
    expect(r1.endToEndId).toBe(paid.endToEndId);
    const r2 = (await sdk.chargeRefund.create({ chargeId: 'pedido-1001', correlationID: 'devolucao-1', value: 500 })).refund as unknown as Record<string, unknown>;
    expect(r2.refundId).toBe(r1.refundId);
    expect(api.core.charges.store.refundsOfCharge(c.globalID)).toHaveLength(1);
    const refunds = (await sdk.chargeRefund.list({ chargeId: 'pedido-1001' })) as unknown as { refunds: Record<string, unknown>[]; pageInfo: { totalCount: number } };
    expect(refunds.refunds.map((r) => r.correlationID)).toEqual(['devolucao-1']);
    expect(refunds.pageInfo.totalCount).toBe(1);
    // More than what is left: a pt-BR 400.
    await expect(sdk.chargeRefund.create({ chargeId: 'pedido-1001', correlationID: 'devolucao-2', value: 9000 })).rejects.toMatchObject({ error: expect.stringMatching(/devolvid/) });
  });

  it('DELETE cancels at the bank; the charge then reads EXPIRED (pixdeskStatus cancelled)', async () => {
    const c = (await sdk.charge.create({ correlationID: 'pedido-cancel', value: 300 })).charge as unknown as Charge;
    const del = await sdk.charge.delete({ id: 'pedido-cancel' });
    expect(del).toMatchObject({ status: 'OK', id: 'pedido-cancel' });
    const after = (await sdk.charge.get({ id: c.globalID })).charge as unknown as Charge;
    expect(after).toMatchObject({ status: 'EXPIRED', pixdeskStatus: 'cancelled' });
  });

  it('serves the QR image as PNG and the payment page with a strict CSP; unknown links are 404', async () => {
    const c = (await sdk.charge.create({ correlationID: 'pedido-qr', value: 1234, comment: 'Café' })).charge as unknown as Charge;
    const img = await fetch(c.qrCodeImage);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const page = await fetch(c.paymentLinkUrl);
    const html = await page.text();
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(html).toContain('R$ 12,34');
    expect(html).toContain(c.brCode);
    expect(html).toContain('<svg');
    const status = await call(api.url, `/pay/${c.paymentLinkID as string}/status`);
    expect(status.json).toEqual({ status: 'ACTIVE' });
    await api.core.sandbox.pay({ brcode: c.brCode, payerName: 'João' });
    await api.core.charges.charges.poll(c.globalID);
    expect((await call(api.url, `/pay/${c.paymentLinkID as string}/status`)).json).toEqual({ status: 'COMPLETED' });
    expect((await call(api.url, '/pay/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('a bank timeout leaves the charge pending under its correlationID: 503, then the same charge, never a second', async () => {
    await api.core.sandbox.setFault('PUT /regulatorio-pix/v2/cob/*', { reset: true, times: 20 });
    const r = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'pedido-timeout', value: 4321, comment: 'Timeout' } });
    expect(r.status).toBe(503);
    expect(r.json!.error).toMatch(/sem duplicar/);
    const during = (await sdk.charge.get({ id: 'pedido-timeout' })).charge as unknown as Charge;
    expect(during).toMatchObject({ status: 'ACTIVE', pixdeskStatus: 'creating', value: 4321, brCode: null });
    await api.rt.charges.settle(); // the GET's background bank check (still failing) ends first
    await api.core.sandbox.clearFaults();
    await api.core.charges.charges.recoverPending();
    const after = (await sdk.charge.create({ correlationID: 'pedido-timeout', value: 4321 }, { return_existing: 'true' })).charge as unknown as Charge;
    expect(after).toMatchObject({ globalID: during.globalID, status: 'ACTIVE', pixdeskStatus: 'active' });
    expect(after.brCode).toMatch(/^000201/);
    expect(api.core.db.prepare('SELECT count(*) AS n FROM charges WHERE amount_cents = 4321').get()).toEqual({ n: 1 });
  });

  it('a charge the engine refuses frees its correlationID (nothing was charged)', async () => {
    const bad = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'pedido-longo', value: 100, expiresIn: 2_147_483_647, comment: 'ok' } });
    expect(bad.status).toBe(200);
    const other = api.app('Sem conta', ['CHARGE_POST']);
    api.core.accounts.setActive(api.account.id, false);
    const refused = await call(api.url, '/api/v1/charge', { appId: other.appId, body: { correlationID: 'pedido-x', value: 100 } });
    api.core.accounts.setActive(api.account.id, true);
    expect(refused.status).toBe(400);
    expect(refused.json!.error).toMatch(/desativada|conta/i);
    const retry = await call(api.url, '/api/v1/charge', { appId: other.appId, body: { correlationID: 'pedido-x', value: 100 } });
    expect(retry.status).toBe(200);
  });

  it('static QR codes: create, get by correlationID, list', async () => {
    const q = (await sdk.pixQrCode.create({ name: 'Balcão', correlationID: 'balcao-1', value: 500, comment: 'Balcao' })).pixQrCode as unknown as Record<string, unknown>;
    expect(q).toMatchObject({ name: 'Balcão', correlationID: 'balcao-1', value: 500 });
    expect(q.brCode).toMatch(/^000201.*5404[0-9.]+/);
    const got = (await sdk.pixQrCode.get({ id: 'balcao-1' })).pixQrCode as unknown as Record<string, unknown>;
    expect(got.brCode).toBe(q.brCode);
    const list = (await sdk.pixQrCode.list()) as unknown as { pixQrCodes: unknown[]; pageInfo: { totalCount: number } };
    expect(list.pageInfo.totalCount).toBe(1);
  });
});
