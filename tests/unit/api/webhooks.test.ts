import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RETRIES } from '../../../main/core/api-server/webhooks';
import { createDispatcher } from '../../../main/core/contract/dispatch';
import { openCore } from '../accounts/support';
import { rmProfile } from '../charges/support';
import { call, startApi } from './support';

interface Received {
  raw: string;
  headers: http.IncomingHttpHeaders;
}

/** A loopback receiver: records every POST; `fail` decides per request whether to answer 500. */
async function receiver(fail: (n: number) => boolean = () => false) {
  const got: Received[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const i = n++;
      const failed = fail(i);
      if (!failed) got.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(failed ? 500 : 200).end(failed ? 'erro' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pix`;
  return { url, got, requests: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function register(url: string, appId: string, hookUrl: string, event: string) {
  const r = await call(url, '/api/v1/webhook', { appId, body: { webhook: { name: event, event, url: hookUrl, authorization: 'segredo-do-erp', isActive: true } } });
  expect(r.status).toBe(200);
  return r.json!.webhook as { id: string; hmacSecret: string };
}

describe('webhooks', () => {
  it('a receiver verifies x-webhook-signature (RSA-SHA256, public key served) and X-OpenPix-Signature (HMAC-SHA1)', async () => {
    const api = await startApi({ serve: { webhooks: false } });
    const rx = await receiver();
    cleanups.push(() => api.close(), () => rx.close());
    const { appId } = api.app('ERP');
    const hooks = await Promise.all(['OPENPIX:CHARGE_CREATED', 'OPENPIX:CHARGE_COMPLETED', 'OPENPIX:TRANSACTION_RECEIVED'].map((e) => register(api.url, appId, rx.url, e)));
    expect(hooks[0]!.hmacSecret).toMatch(/^whsec_/);
    const listed = await call(api.url, '/api/v1/webhook', { appId });
    expect(JSON.stringify(listed.json)).not.toContain(hooks[0]!.hmacSecret);
    expect((listed.json!.webhooks as unknown[]).length).toBe(3);
    expect((await call(api.url, '/api/v1/webhook', { appId, body: { webhook: { event: 'OPENPIX:CHARGE_CREATED', url: 'file:///etc/passwd' } } })).status).toBe(400);

    const keys = await call(api.url, '/api/v1/webhook/public-keys');
    expect(keys.status).toBe(200);
    const pk = (keys.json!.public_keys as { key_identifier: string; is_current: boolean; key: string }[])[0]!;
    expect(pk.is_current).toBe(true);
    const pem = Buffer.from(pk.key, 'base64').toString('utf8');
    expect(crypto.createPublicKey(pem).asymmetricKeyDetails?.modulusLength).toBe(2048);

    const made = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'pedido-77', value: 990 } });
    const charge = made.json!.charge as { globalID: string; brCode: string };
    await api.core.sandbox.pay({ brcode: charge.brCode, payerName: 'Ana' });
    await api.core.charges.charges.poll(charge.globalID);
    await api.core.webhooks.tick();
    expect(rx.got.map((g) => (JSON.parse(g.raw) as { event: string }).event).sort()).toEqual(['OPENPIX:CHARGE_COMPLETED', 'OPENPIX:CHARGE_CREATED', 'OPENPIX:TRANSACTION_RECEIVED']);
    const secretOf = new Map(hooks.map((h, i) => [['OPENPIX:CHARGE_CREATED', 'OPENPIX:CHARGE_COMPLETED', 'OPENPIX:TRANSACTION_RECEIVED'][i]!, h.hmacSecret]));
    for (const g of rx.got) {
      const body = JSON.parse(g.raw) as { event: string; charge: { correlationID: string; status: string }; pix?: { endToEndId: string } };
      // The receiver of docs/api.md, in a few lines:
      const rsaOk = crypto.verify('sha256', Buffer.from(g.raw), pem, Buffer.from(String(g.headers['x-webhook-signature']), 'base64'));
      const hmac = crypto.createHmac('sha1', secretOf.get(body.event)!).update(g.raw).digest('base64');
      const hmacOk = crypto.timingSafeEqual(Buffer.from(hmac), Buffer.from(String(g.headers['x-openpix-signature'])));
      expect(rsaOk && hmacOk).toBe(true);
      // …and a tampered body fails both.
      const tampered = g.raw.replace('pedido-77', 'pedido-78');
      expect(crypto.verify('sha256', Buffer.from(tampered), pem, Buffer.from(String(g.headers['x-webhook-signature']), 'base64'))).toBe(false);
      expect(crypto.createHmac('sha1', secretOf.get(body.event)!).update(tampered).digest('base64')).not.toBe(hmac);
      expect(g.headers.authorization).toBe('segredo-do-erp');
      expect(body.charge.correlationID).toBe('pedido-77');
      if (body.event !== 'OPENPIX:CHARGE_CREATED') {
        expect(body.charge.status).toBe('COMPLETED');
        expect(body.pix?.endToEndId).toMatch(/^E/);
      }
    }
    // Seen again (another poll), the payment makes no second delivery.
    api.core.events.publish('charge:paid', { charge: api.core.charges.charges.view(charge.globalID) });
    await api.core.webhooks.tick();
    expect(rx.got).toHaveLength(3);
    const del = await call(api.url, `/api/v1/webhook/${hooks[0]!.id}`, { appId, method: 'DELETE' });
    expect(del.json).toMatchObject({ status: 'OK' });
  });

  it('a restart in the middle of retries loses no delivery and sends none twice; two senders never share a row', async () => {
    let t = Date.now();
    const now = () => new Date(t);
    // Every request fails until the receiver is "fixed".
    let fixed = false;
    const rx = await receiver(() => !fixed);
    cleanups.push(() => rx.close());
    const api = await startApi({ core: { now }, serve: { webhooks: false } });
    const { appId } = api.app('ERP');
    await register(api.url, appId, rx.url, 'OPENPIX:CHARGE_CREATED');
    for (let i = 0; i < 3; i++) expect((await call(api.url, '/api/v1/charge', { appId, body: { correlationID: `p-${i}`, value: 100 + i } })).status).toBe(200);

    await api.core.webhooks.tick();
    expect(rx.requests()).toBe(3);
    const next1 = api.core.db.prepare('SELECT DISTINCT next_at - ? AS d FROM webhook_deliveries').all(t);
    expect(next1).toEqual([{ d: 10_000 }]);
    t += 10_000;
    await api.core.webhooks.tick();
    expect(rx.requests()).toBe(6);
    expect(api.core.db.prepare("SELECT DISTINCT next_at - ? AS d, attempts FROM webhook_deliveries WHERE status = 'pending'").all(t)).toEqual([{ d: 20_000, attempts: 2 }]);

    // Restart: the profile is closed and opened again by two processes' worth of Cores at once.
    const profileDir = api.profileDir;
    await api.close(true);
    const a = openCore(profileDir, { now });
    const b = openCore(profileDir, { now });
    cleanups.push(async () => {
      await a.close();
      await b.close();
      rmProfile(profileDir);
    });
    t += 19_000;
    await Promise.all([a.webhooks.tick(), b.webhooks.tick()]);
    expect(rx.requests()).toBe(6); // not due yet
    fixed = true;
    t += 1_000;
    await Promise.all([a.webhooks.tick(), b.webhooks.tick(), a.webhooks.tick(), b.webhooks.tick()]);
    t += 3_600_000;
    await Promise.all([a.webhooks.tick(), b.webhooks.tick()]);
    expect(rx.requests()).toBe(9);
    const ids = rx.got.map((g) => String(g.headers['x-pixdesk-delivery']));
    expect(new Set(ids).size).toBe(3);
    expect(rx.got.map((g) => g.headers['x-pixdesk-attempt'])).toEqual(['3', '3', '3']);
    expect(a.db.prepare("SELECT status, attempts FROM webhook_deliveries").all()).toEqual([
      { status: 'delivered', attempts: 3 }, { status: 'delivered', attempts: 3 }, { status: 'delivered', attempts: 3 },
    ]);
    expect((a.db.prepare('SELECT count(*) AS n FROM webhook_attempts').get() as { n: number }).n).toBe(9);
  });

  it('one payment queues all its deliveries (both events, every webhook) together or none of them', async () => {
    const api = await startApi({ serve: { webhooks: false } });
    cleanups.push(() => api.close());
    const { appId } = api.app('ERP');
    for (const [event, port] of [['OPENPIX:CHARGE_COMPLETED', 9], ['OPENPIX:CHARGE_COMPLETED', 10], ['OPENPIX:TRANSACTION_RECEIVED', 9]] as const) {
      await register(api.url, appId, `http://127.0.0.1:${port}/pix`, event);
    }
    const made = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'junto-1', value: 500 } });
    const charge = made.json!.charge as { globalID: string; brCode: string };
    await api.core.sandbox.pay({ brcode: charge.brCode, payerName: 'Ana' });
    // The process stops being able to write after two of the three rows (as a kill between them would).
    api.core.db.exec("CREATE TEMP TRIGGER cut BEFORE INSERT ON webhook_deliveries WHEN (SELECT count(*) FROM webhook_deliveries) >= 2 BEGIN SELECT RAISE(ABORT, 'cut'); END");
    expect((await api.core.charges.charges.poll(charge.globalID)).view.status).toBe('paid'); // the engine is not broken by it
    const rows = () => api.core.db.prepare('SELECT event FROM webhook_deliveries ORDER BY event').all();
    expect(rows()).toEqual([]); // not two of three
    api.core.db.exec('DROP TRIGGER temp.cut');
    api.core.events.publish('charge:paid', { charge: api.core.charges.charges.view(charge.globalID) });
    expect(rows()).toEqual([{ event: 'OPENPIX:CHARGE_COMPLETED' }, { event: 'OPENPIX:CHARGE_COMPLETED' }, { event: 'OPENPIX:TRANSACTION_RECEIVED' }]);
  });

  it('a payment whose event was lost (a kill after the engine committed, before it published) is queued when the sender starts', async () => {
    const api = await startApi({ serve: { webhooks: false } });
    cleanups.push(() => api.close());
    const { appId } = api.app('ERP');
    const hooks = [];
    for (const event of ['OPENPIX:CHARGE_CREATED', 'OPENPIX:CHARGE_COMPLETED', 'OPENPIX:TRANSACTION_RECEIVED']) hooks.push(await register(api.url, appId, 'http://127.0.0.1:9/pix', event));
    const made = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'perdido-1', value: 700 } });
    const charge = made.json!.charge as { globalID: string; brCode: string };
    const other = (await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'em-aberto-1', value: 800 } })).json!.charge as { globalID: string };
    const rows = () => api.core.db.prepare('SELECT event, dedupe_key FROM webhook_deliveries ORDER BY event, dedupe_key').all() as { event: string; dedupe_key: string }[];
    expect(rows().map((r) => r.event)).toEqual(['OPENPIX:CHARGE_CREATED', 'OPENPIX:CHARGE_CREATED']);
    // The engine records the payment, but no event reaches the webhook service (as when the process dies in between).
    api.core.webhooks.close();
    await api.core.sandbox.pay({ brcode: charge.brCode, payerName: 'Ana' });
    expect((await api.core.charges.charges.poll(charge.globalID)).view.status).toBe('paid');
    expect(rows()).toHaveLength(2);
    // A webhook registered after the payment must not receive it.
    const late = await register(api.url, appId, 'http://127.0.0.1:10/pix', 'OPENPIX:CHARGE_COMPLETED');
    expect(api.core.webhooks.catchUp()).toBe(1);
    const v = api.core.charges.charges.view(charge.globalID);
    expect(rows()).toEqual([
      { event: 'OPENPIX:CHARGE_COMPLETED', dedupe_key: `OPENPIX:CHARGE_COMPLETED:${charge.globalID}` },
      { event: 'OPENPIX:CHARGE_CREATED', dedupe_key: `OPENPIX:CHARGE_CREATED:${[charge.globalID, other.globalID].sort()[0]}` },
      { event: 'OPENPIX:CHARGE_CREATED', dedupe_key: `OPENPIX:CHARGE_CREATED:${[charge.globalID, other.globalID].sort()[1]}` },
      { event: 'OPENPIX:TRANSACTION_RECEIVED', dedupe_key: `OPENPIX:TRANSACTION_RECEIVED:${v.e2eid}` },
    ]);
    const ids = api.core.db.prepare('SELECT webhook_id FROM webhook_deliveries').all() as { webhook_id: string }[];
    expect(ids.map((r) => r.webhook_id)).not.toContain(late.id);
    // The body is what the live event would have queued: the paid charge and its Pix.
    const body = JSON.parse((api.core.db.prepare("SELECT body FROM webhook_deliveries WHERE event = 'OPENPIX:CHARGE_COMPLETED'").get() as { body: string }).body) as { charge: { status: string; correlationID: string }; pix: { endToEndId: string } };
    expect(body).toMatchObject({ charge: { status: 'COMPLETED', correlationID: 'perdido-1' }, pix: { endToEndId: v.e2eid } });
    // Again (another start): nothing more, nothing twice.
    expect(api.core.webhooks.catchUp()).toBe(0);
    expect(rows()).toHaveLength(4);
    expect(hooks).toHaveLength(3);
  });

  it(`retries at 10·2^n s, ${MAX_RETRIES} times, then gives up (logged, can be resent)`, async () => {
    let t = Date.now();
    const rx = await receiver(() => true);
    cleanups.push(() => rx.close());
    const api = await startApi({ core: { now: () => new Date(t) }, serve: { webhooks: false } });
    cleanups.push(() => api.close());
    const { app, appId } = api.app('ERP');
    await register(api.url, appId, rx.url, 'OPENPIX:CHARGE_CREATED');
    await call(api.url, '/api/v1/charge', { appId, body: { correlationID: 'r-1', value: 100 } });
    const delays: number[] = [];
    await api.core.webhooks.tick();
    for (;;) {
      const d = api.core.db.prepare('SELECT status, next_at FROM webhook_deliveries').get() as { status: string; next_at: number };
      if (d.status !== 'pending') break;
      delays.push((d.next_at - t) / 1000);
      t = d.next_at;
      await api.core.webhooks.tick();
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 1280]);
    expect(rx.requests()).toBe(MAX_RETRIES + 1);
    const log = api.core.webhooks.deliveries(app.id);
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 9, last_status: 500 });
    expect(log[0]!.attemptsLog).toHaveLength(9);
    // The screen's view of the log, and its resend, through the contract.
    const dispatch = createDispatcher(api.core.handlers());
    const shown = await dispatch('apps:deliveries', { id: app.id });
    expect(shown).toMatchObject({ ok: true, value: [{ id: log[0]!.id, event: 'OPENPIX:CHARGE_CREATED', status: 'failed', attempts: 9, lastStatus: 500, url: rx.url }] });
    expect(JSON.stringify(shown)).not.toMatch(/whsec_/);
    expect(await dispatch('apps:resendDelivery', { id: log[0]!.id })).toMatchObject({ ok: true, value: { status: 'pending', attempts: 0 } });
    expect(await dispatch('apps:resendDelivery', { id: log[0]!.id })).toMatchObject({ ok: false, error: { code: 'DELIVERY_IN_PROGRESS' } });
    await api.core.webhooks.tick();
    expect(rx.requests()).toBe(MAX_RETRIES + 2);
  });
});

describe('webhook queue across processes', () => {
  it('two PixDesk processes sending from one profile at once deliver each row exactly once', async () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const childJs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-sender-')), 'sender-child.cjs');
    buildSync({ entryPoints: [path.join(__dirname, 'sender-child.ts')], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: childJs, absWorkingDir: root, logLevel: 'error' });
    const rx = await receiver();
    cleanups.push(() => rx.close(), async () => fs.rmSync(path.dirname(childJs), { recursive: true, force: true }));
    const api = await startApi({ serve: { webhooks: false } });
    const { appId } = api.app('ERP');
    await register(api.url, appId, rx.url, 'OPENPIX:CHARGE_CREATED');
    await register(api.url, appId, rx.url, 'OPENPIX:CHARGE_CREATED');
    for (let i = 0; i < 15; i++) expect((await call(api.url, '/api/v1/charge', { appId, body: { correlationID: `multi-${i}`, value: 100 + i } })).status).toBe(200);
    const profileDir = api.profileDir;
    await api.close(true);
    cleanups.push(async () => rmProfile(profileDir));
    const run = () =>
      new Promise<string>((resolve) => {
        const c = spawn(process.execPath, [childJs, profileDir], { cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (out += d.toString()));
        c.on('exit', () => resolve(out));
      });
    const outs = await Promise.all([run(), run()]);
    for (const o of outs) expect(o).toContain('done');
    const ids = rx.got.map((g) => String(g.headers['x-pixdesk-delivery']));
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(rx.requests()).toBe(30);
  }, 60_000);
});
