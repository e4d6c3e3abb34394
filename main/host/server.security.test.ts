import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../core/contract/dispatch';
import { OPS, type Handlers } from '../core/contract';
import { isAllowedHost, isAllowedOrigin, readCookie, tokenMatches } from './guards';
import { startHost, type RunningHost } from './server';

/** Hostile requests against the real browser host; the handlers record whether they were ever reached. */
let host: RunningHost;
let staticDir: string;
const touched: string[] = [];
const settings = { tillName: 'x', renewalWindowDays: 30, merchantName: '', merchantCity: '', lastPixKey: '' };
const unused = (): never => {
  throw new Error('not reached by these tests');
};
const handlers: Handlers = {
  ...(Object.fromEntries(OPS.map((op) => [op, unused])) as unknown as Handlers),
  'app:info': () => {
    touched.push('app:info');
    return { name: 'PixDesk', version: 't', shell: 'browser', environment: 'sandbox', profileDir: '/x', keyBackend: 'k' };
  },
  'settings:get': () => settings,
  'settings:set': (p) => {
    touched.push('settings:set');
    return { ...settings, tillName: p.tillName ?? 'x' };
  },
};

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, setHost: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

beforeAll(async () => {
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<html>ok</html>');
  fs.writeFileSync(path.join(os.tmpdir(), 'pixdesk-outside.txt'), 'segredo');
  host = await startHost({ dispatch: createDispatcher(handlers), staticDir, token: 'T'.repeat(32) });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

const good = () => ({
  Host: `127.0.0.1:${host.port}`,
  Origin: `http://127.0.0.1:${host.port}`,
  Cookie: `pixdesk_session=${'T'.repeat(32)}`,
  'Content-Type': 'application/json',
});

describe('browser host security', () => {
  it('serves the contract to our own page', async () => {
    const r = await request({ method: 'POST', path: '/rpc/app:info', headers: good(), body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'PixDesk' } });
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('refuses a rebinding Host header before any handler runs', async () => {
    touched.length = 0;
    const r = await request({ method: 'POST', path: '/rpc/settings:set', headers: { ...good(), Host: `evil.example:${host.port}` }, body: '{"tillName":"x"}' });
    expect(r.status).toBe(421);
    expect(touched).toEqual([]);
  });

  it('refuses a cross-site Origin and a missing Origin on POST', async () => {
    touched.length = 0;
    const cross = await request({ method: 'POST', path: '/rpc/settings:set', headers: { ...good(), Origin: 'http://evil.example' }, body: '{"tillName":"x"}' });
    expect(cross.status).toBe(403);
    const h = good() as Record<string, string>;
    delete h.Origin;
    const none = await request({ method: 'POST', path: '/rpc/settings:set', headers: h, body: '{"tillName":"x"}' });
    expect(none.status).toBe(403);
    expect(touched).toEqual([]);
  });

  it('requires the run token (cookie or header)', async () => {
    touched.length = 0;
    const r = await request({ method: 'POST', path: '/rpc/app:info', headers: { ...good(), Cookie: 'pixdesk_session=wrong' }, body: '{}' });
    expect(r.status).toBe(401);
    const page = await request({ path: '/', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(page.status).toBe(401);
    expect(touched).toEqual([]);
  });

  it('exchanges the launch token for an HttpOnly SameSite=Strict cookie', async () => {
    const r = await request({ path: `/?token=${'T'.repeat(32)}`, headers: { Host: `127.0.0.1:${host.port}` } });
    expect(r.status).toBe(303);
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('answers malformed JSON, wrong content types and unknown operations with pt-BR errors', async () => {
    const bad = await request({ method: 'POST', path: '/rpc/app:info', headers: good(), body: '{nope' });
    expect(JSON.parse(bad.body).error.message).toBe('JSON inválido.');
    const type = await request({ method: 'POST', path: '/rpc/app:info', headers: { ...good(), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(type.status).toBe(415);
    const unknown = await request({ method: 'POST', path: '/rpc/__proto__', headers: good(), body: '{}' });
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } });
  });

  it('validates input before the handler sees it', async () => {
    touched.length = 0;
    const r = await request({ method: 'POST', path: '/rpc/settings:set', headers: good(), body: '{"tillName":{"$gt":""},"__proto__":{"polluted":1}}' });
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(touched).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await request({ path: '/..%2f..%2fpixdesk-outside.txt', headers: good() });
    expect(r.body).not.toContain('segredo');
  });
});

describe('guards (pure)', () => {
  it('accept only exact loopback hosts and origins', () => {
    expect(isAllowedHost('127.0.0.1:80', 80)).toBe(true);
    expect(isAllowedHost('localhost:80', 80)).toBe(true);
    for (const h of ['127.0.0.1:81', 'evil.com:80', '127.0.0.1.evil.com:80', '', undefined, ['127.0.0.1:80']]) {
      expect(isAllowedHost(h, 80)).toBe(false);
    }
    expect(isAllowedOrigin('http://127.0.0.1:80', 80, 'POST')).toBe(true);
    expect(isAllowedOrigin('null', 80, 'POST')).toBe(false);
    expect(isAllowedOrigin(undefined, 80, 'GET')).toBe(true);
  });
  it('compare tokens safely whatever the input type', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches(['abc'], 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(readCookie('a=1; pixdesk_session=xyz', 'pixdesk_session')).toBe('xyz');
    expect(readCookie(42, 'x')).toBeUndefined();
  });
});
