import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRuntime, loadOrCreateLanCa } from '../../../main/core/api-server';
import { openCore, tempProfile } from '../accounts/support';
import { rmProfile } from '../charges/support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function get(url: string, opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https') ? https : http;
    const r = mod.request(url, { ...opts, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** LAN mode: HTTPS only, certificate from the profile's local CA (key sealed in the vault), CA exportable. */
describe('API on the LAN', () => {
  it('serves HTTPS with a certificate of the local CA; refuses plain HTTP and untrusted clients; the CA is stable and exportable', async () => {
    const dir = tempProfile();
    const core = openCore(dir);
    cleanups.push(async () => rmProfile(dir));
    const { appId } = core.apps.create({ name: 'PDV do caixa 2', type: 'POS', scopes: ['CHARGE_GET'] });
    const rt = await ApiRuntime.start(core, { host: '127.0.0.1', port: 0, lan: true, webhooks: false });
    try {
      expect(rt.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = rt.caPem!;
      const trusted = await get(`${rt.url}/api/v1/charge`, { ca, headers: { authorization: appId } });
      expect(trusted.status).toBe(200);
      expect(JSON.parse(trusted.body)).toMatchObject({ charges: [], pageInfo: { totalCount: 0 } });
      await expect(get(`${rt.url}/api/v1/charge`, { headers: { authorization: appId } })).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) });
      await expect(get(rt.url.replace('https:', 'http:') + '/api/v1/charge', { headers: { authorization: appId } })).rejects.toThrow();
      // The listener's certificate: issued by the CA, for the address served.
      const leaf = await new Promise<crypto.X509Certificate>((resolve, reject) => {
        const r = https.request(`${rt.url}/api/v1/webhook/public-keys`, { ca }, (res) => {
          const c = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate()!;
          res.resume();
          resolve(c);
        });
        r.on('error', reject);
        r.end();
      });
      expect(leaf.checkIssued(new crypto.X509Certificate(ca))).toBe(true);
      expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
      // The CA key is sealed: no PEM private key anywhere in the database.
      const rows = core.db.prepare('SELECT name, sealed FROM api_keys').all() as { name: string; sealed: Buffer }[];
      expect(rows.map((r) => r.name).sort()).toEqual(['appid-hmac', 'lan-ca-cert', 'lan-ca-key']);
      expect(rows.some((r) => r.sealed.toString('latin1').includes('PRIVATE KEY'))).toBe(false);
    } finally {
      await rt.stop();
    }
    // Beyond loopback without LAN mode: refused before anything is bound.
    await expect(ApiRuntime.start(core, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'API_LAN_NEEDS_HTTPS' });
    const caBefore = rt.caPem;
    await core.close();
    // Opened again (a restart), the profile has the same CA: partners trust it once.
    const again = openCore(dir);
    expect(loadOrCreateLanCa(again.db, again.vault).certPem).toBe(caBefore);
    await again.close();
    expect(new crypto.X509Certificate(caBefore!).ca).toBe(true);
  });
});
