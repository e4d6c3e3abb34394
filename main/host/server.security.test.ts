import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../core/contract/dispatch';
import { OPS, type Handlers } from '../core/contract';
import { isAllowedHost, isAllowedOrigin, readCookie, tokenMatches } from './guards';
import { startHost, type RunningHost } from './server';
import { SessionStore } from './sessions';

/** Hostile requests against the real browser host; the handlers record whether they were ever reached. */
let host: RunningHost;
let staticDir: string;
const touched: string[] = [];
const settings = { tillName: 'x', renewalWindowDays: 30, merchantName: '', merchantCity: '', lastPixKey: '', idleLockMinutes: 10 };
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

let tmp: string;
let session: string;
beforeAll(async () => {
  // The renderer folder sits inside a temp folder that also holds a file the host must never serve.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-static-'));
  staticDir = path.join(tmp, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<html><head><title>PixDesk</title></head><body>ok</body></html>');
  fs.writeFileSync(path.join(tmp, 'segredo.txt'), 'segredo');
  host = await startHost({ dispatch: createDispatcher(handlers), staticDir, token: 'T'.repeat(32), sessions: new SessionStore({ maxSessions: 4 }) });
  session = await launch();
});
afterAll(async () => {
  await host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Open the launch URL as a browser would and take the session secret out of the page. */
async function launch(query = `token=${'T'.repeat(32)}`): Promise<string> {
  const r = await request({ path: `/?${query}`, headers: { Host: `127.0.0.1:${host.port}` } });
  expect(r.status).toBe(200);
  const m = /<meta name="pixdesk-session" content="([A-Za-z0-9_-]+)">/.exec(r.body);
  expect(m).toBeTruthy();
  return m![1]!;
}

const good = () => ({
  Host: `127.0.0.1:${host.port}`,
  Origin: `http://127.0.0.1:${host.port}`,
  'X-PixDesk-Session': session,
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

  it('needs a page session: the run token itself (as a cookie or a header) is no credential', async () => {
    touched.length = 0;
    const h = good() as Record<string, string>;
    delete h['X-PixDesk-Session'];
    for (const extra of <Record<string, string>[]>[{}, { Cookie: `pixdesk_session=${'T'.repeat(32)}` }, { 'X-PixDesk-Token': 'T'.repeat(32) }, { 'X-PixDesk-Session': 'T'.repeat(32) }, { 'X-PixDesk-Session': 'A'.repeat(43) }]) {
      const r = await request({ method: 'POST', path: '/rpc/app:info', headers: { ...h, ...extra }, body: '{}' });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'SESSION' } });
    }
    const bad = await request({ path: `/?token=${'X'.repeat(32)}`, headers: { Host: `127.0.0.1:${host.port}` } });
    expect(bad.status).toBe(401);
    expect(touched).toEqual([]);
  });

  it('hands the page a fresh session secret and sets no cookie that carries anything', async () => {
    const r = await request({ path: `/?token=${'T'.repeat(32)}`, headers: { Host: `127.0.0.1:${host.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const secret = /content="([^"]+)"/.exec(r.body)![1]!;
    expect(secret).not.toContain('T'.repeat(8));
    // The only cookie is the one clearing what older versions stored (the run token); it carries nothing.
    for (const c of [r.headers['set-cookie'] ?? []].flat()) expect(c).toMatch(/^pixdesk_session=; Max-Age=0/);
    // Each opening is its own session; the page at "/" (a reload) carries none.
    expect(await launch()).not.toBe(secret);
    const plain = await request({ path: '/', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(plain.status).toBe(200);
    expect(plain.body).not.toContain('pixdesk-session');
    const ok = await request({ method: 'POST', path: '/rpc/app:info', headers: { ...good(), 'X-PixDesk-Session': secret }, body: '{}' });
    expect(ok.status).toBe(200);
  });

  it('opens a second tab through a one-time handoff code', async () => {
    const h = await request({ method: 'POST', path: '/session/handoff', headers: good(), body: '{}' });
    const { url } = JSON.parse(h.body).value as { url: string };
    expect(url).toMatch(/^\/\?handoff=[A-Za-z0-9_-]{43}$/);
    const second = await launch(url.slice(2));
    expect(second).not.toBe(session);
    const again = await request({ path: url, headers: { Host: `127.0.0.1:${host.port}` } });
    expect(again.status).toBe(401);
    // Without a session no handoff is given.
    const anon = await request({ method: 'POST', path: '/session/handoff', headers: { ...good(), 'X-PixDesk-Session': 'nope' }, body: '{}' });
    expect(anon.status).toBe(401);
  });

  it('keeps at most the configured number of sessions (least recently used dropped)', async () => {
    const mine = await launch();
    for (let i = 0; i < 4; i++) await launch();
    const r = await request({ method: 'POST', path: '/rpc/app:info', headers: { ...good(), 'X-PixDesk-Session': mine }, body: '{}' });
    expect(r.status).toBe(401);
    session = await launch();
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
    for (const p of ['/..%2fsegredo.txt', '/../segredo.txt', '/%2e%2e/segredo.txt', '/..%5csegredo.txt']) {
      const r = await request({ path: p, headers: good() });
      expect(r.body).not.toContain('segredo');
    }
  });

  it('answers a broken percent-encoding in the operation name with 400, not 500', async () => {
    const r = await request({ method: 'POST', path: '/rpc/%E0%A4%A', headers: good(), body: '{}' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OP', message: expect.stringMatching(/operação inválido/) } });
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
