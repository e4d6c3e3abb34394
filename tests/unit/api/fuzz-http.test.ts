import fc from 'fast-check';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRuntime } from '../../../main/core/api-server';
import { openCore, tempProfile } from '../accounts/support';
import { rawHttp } from '../audit/raw-http';
import { rmProfile } from '../charges/support';
import { call, startApi, type StartedApi } from './support';

/**
 * Hostile HTTP to the local API, bounded and seeded, over raw sockets against a real profile with a sandbox account:
 * garbage request lines, huge and duplicated headers, wrong and conflicting Content-Length, broken chunked encoding,
 * invalid, deep and random JSON for every route, wrong content types, and the Authorization header fuzzed (random
 * AppIDs, the valid one mutated). Every answer is `{"error": "<pt-BR>"}` with a 4xx status (or a 2xx for a request
 * that happened to be valid), never a 5xx, a stack, a path, the AppID or a secret of the profile; and after each
 * case a valid request still succeeds. Slow clients (slowloris) are closed by the timeouts, on HTTP and on the LAN's
 * HTTPS. `FUZZ_RUNS`/`FUZZ_SEED` as in the import fuzz.
 */
const TIMEOUTS = { idleMs: 1_500, headersMs: 1_200, requestMs: 2_000 };
let api: StartedApi;
let port: number;
let appId: string;
let secrets: string[];

const runs = (n: number) => (Number.isInteger(Number(process.env.FUZZ_RUNS)) && Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : n);
const seed = (n: number) => (Number.isInteger(Number(process.env.FUZZ_SEED)) ? Number(process.env.FUZZ_SEED) : n);
const timeout = (ms: number) => (process.env.FUZZ_RUNS ? 3_600_000 : ms);

beforeAll(async () => {
  api = await startApi({ serve: { timeouts: TIMEOUTS, webhooks: false } });
  port = Number(new URL(api.url).port);
  appId = api.app('ERP fuzz', undefined, { rateLimitPerMinute: 100_000 }).appId;
  const creds = api.core.accounts.credentials(api.account.id);
  secrets = [appId, appId.slice(0, 16), appId.slice(-16), creds.clientSecret, creds.keyPem.replace(/-----[^-]+-----|\s+/g, '').slice(40, 100)];
}, 30_000);
afterAll(async () => {
  await api.close();
});

const NOT_PT_BR = /\b(Bad Request|Not Found|Client Error|Internal Server Error|Unsupported|Expected|must be|is not|Cannot|undefined|statusCode)\b/;
const STACK = /\bat .+\.(ts|js|cjs):\d+|node:internal|node_modules|\/tmp\/|\/home\/|Error:/;

/** Split what the server wrote into responses (status, headers, body), following Content-Length. */
function responses(text: string, headFirst = false): { status: number; headers: string; body: string }[] {
  const out: { status: number; headers: string; body: string }[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const headers = rest.slice(0, end);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1] ?? 0);
    // The answer to HEAD has a Content-Length but no body.
    const len = headFirst && out.length === 0 ? ['', '0'] : /\r\ncontent-length: *(\d+)/i.exec(headers);
    let body: string;
    if (len) {
      body = rest.slice(end + 4, end + 4 + Number(len[1]));
      rest = rest.slice(end + 4 + Number(len[1]));
    } else {
      body = rest.slice(end + 4);
      rest = '';
    }
    if (/\r\ntransfer-encoding: *chunked/i.test(headers) && body.startsWith('0\r\n')) body = '';
    out.push({ status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
  }
  return out;
}

/** The property of one answer: OpenPix-shaped pt-BR errors, no 5xx, no stack, no secret. */
function checkAnswer(text: string, what: string, sentAuth: string | undefined, head = false): number[] {
  for (const s of secrets) expect(text.includes(s), `${what}: a secret in the answer`).toBe(false);
  if (sentAuth && sentAuth.length >= 12 && sentAuth !== appId) expect(text.includes(sentAuth), `${what}: the Authorization sent is echoed`).toBe(false);
  expect(text, what).not.toMatch(STACK);
  const rs = responses(text, head);
  if (text.length > 0) expect(rs.length, `${what}: not HTTP: ${text.slice(0, 200)}`).toBeGreaterThan(0);
  for (const r of rs) {
    expect(r.status, `${what}: ${r.headers.split('\r\n')[0]} ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
    expect(r.status, `${what}: ${r.headers.split('\r\n')[0]} ${r.body.slice(0, 200)}`).toBeLessThan(500);
    if (r.status >= 400 && r.body !== '') {
      expect(r.headers, what).toMatch(/\r\ncontent-type: application\/json/i);
      const json = JSON.parse(r.body) as Record<string, unknown>;
      expect(Object.keys(json), `${what}: ${r.body.slice(0, 200)}`).toEqual(['error']);
      expect(typeof json.error, what).toBe('string');
      expect((json.error as string).length, what).toBeGreaterThan(10);
      expect(json.error as string, `${what}: ${r.body.slice(0, 200)}`).not.toMatch(NOT_PT_BR);
    }
  }
  return rs.map((r) => r.status);
}

/** A valid request with the app's AppID must still work. */
async function stillServes(what: string): Promise<void> {
  const r = await call(api.url, '/api/v1/charge?limit=1', { appId });
  expect(r.status, `${what}: the API no longer serves (${r.text.slice(0, 200)})`).toBe(200);
}

const uuid = '0a1b2c3d-1234-4678-9abc-0123456789ab';
const target = fc.oneof(
  fc.constantFrom(
    '/api/v1/charge', '/api/v1/charge?limit=1000', '/api/v1/charge?start=ontem&end=%', '/api/v1/charge?skip=-1', '/api/v1/charge/x', `/api/v1/charge/${'x'.repeat(120)}`,
    '/api/v1/charge/x/refund', '/api/v1/charge/%00/refund', '/api/v1/qrcode-static', '/api/v1/qrcode-static/x', '/api/v1/webhook', '/api/v1/webhook?id=',
    '/api/v1/webhook/x', '/api/v1/webhook/public-keys', `/pay/${uuid}`, `/pay/${uuid}/status`, `/openpix/charge/brcode/image/${uuid}.png?size=99999`,
    '*', '//', '/%', '/%zz', '/../../etc/passwd', '/api/v1/charge?return_existing=talvez', `/${'a'.repeat(9_000)}`, '/api/v1/charge?__proto__[x]=1', 'http://exemplo.invalid/api/v1/charge',
  ),
  fc.stringMatching(/^[A-Za-z0-9:%./?=&#_-]{0,40}$/).map((t) => `/api/v1/${t}`),
);
// Mostly well-formed HTTP, so most cases reach the routes (auth, schemas, handlers), with the broken kinds mixed in.
const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'POST', 'DELETE') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'G ET', '', 'POST\u0000', 'get', 'PRI') });
const version = fc.oneof({ weight: 8, arbitrary: fc.constant('HTTP/1.1') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.x', '', 'HTTP/1.1 extra', 'HTTP/0.9') });

/** The valid AppID mutated, or a random one. */
const authorization = fc.oneof(
  fc.constant(undefined),
  { weight: 4, arbitrary: fc.constant('valid') },
  fc.tuple(fc.nat(200), fc.constantFrom('flip', 'cut', 'append', 'lower', 'bearer', 'space', 'base64', 'tab')).map(([i, how]) => `mut:${how}:${i}`),
  fc.stringMatching(/^[A-Za-z0-9+/=:_-]{0,120}$/),
  fc.string({ maxLength: 60 }),
);
function authValue(a: string): string {
  if (a === 'valid') return appId;
  const m = /^mut:(\w+):(\d+)$/.exec(a);
  if (!m) return a;
  const i = Number(m[2]) % appId.length;
  switch (m[1]) {
    case 'flip':
      return appId.slice(0, i) + (appId[i] === 'A' ? 'B' : 'A') + appId.slice(i + 1);
    case 'cut':
      return appId.slice(0, i);
    case 'append':
      return `${appId}x`;
    case 'lower':
      return appId.toLowerCase();
    case 'bearer':
      return `Bearer ${appId}`;
    case 'space':
      return ` ${appId} `;
    case 'base64':
      return Buffer.from(appId).toString('base64');
    default:
      return `${appId.slice(0, i)}\t${appId.slice(i)}`;
  }
}

const body = fc.oneof(
  fc.constant(''),
  fc.constant(JSON.stringify({ correlationID: 'fuzz-ok', value: 100 })),
  fc.record({ correlationID: fc.oneof(fc.string({ maxLength: 120 }), fc.integer(), fc.constant(null)), value: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.constant(Number.POSITIVE_INFINITY)), comment: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }) }).map((o) => JSON.stringify(o)),
  fc.record({ webhook: fc.record({ event: fc.constantFrom('OPENPIX:CHARGE_CREATED', 'x'), url: fc.constantFrom('http://127.0.0.1:1/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'https://exemplo.invalid/'), name: fc.string({ maxLength: 20 }) }) }).map((o) => JSON.stringify(o)),
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 1, max: 7_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.constantFrom('{"correlationID": "a", value: 1', '{"__proto__":{"admin":true},"correlationID":"p","value":1}', '{"constructor":{"prototype":{"x":1}}}', 'null', '"texto"', '1e999', '\ufeff{}', '{"value":1,"value":2,"correlationID":"d"}'),
  fc.integer({ min: 16_000, max: 40_000 }).map((n) => JSON.stringify({ correlationID: 'grande', value: 1, comment: 'x'.repeat(n) })),
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a).toString('latin1')),
);
const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '', 'application/json, text/plain', 'application/jsonx', 'application/*');
const framing = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ k: 'length' as const }) },
  fc.record({ k: fc.constant('badLength' as const), v: fc.constantFrom('-1', 'abc', '1e3', '99999999999999999999', ' 5', '0x10', '', '5, 6'), extra: fc.boolean() }),
  fc.record({ k: fc.constant('offLength' as const), delta: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ k: fc.constant('chunked' as const), broken: fc.constantFrom('none', 'size', 'noCrlf', 'short', 'noEnd', 'ext', 'negative', 'huge', 'trailer'), withLength: fc.boolean() }),
  fc.record({ k: fc.constant('te' as const), v: fc.constantFrom('gzip', 'chunked, gzip', 'identity', 'chunked\u0000', 'xchunked', 'chunked;q=1') }),
  fc.constant({ k: 'none' as const }),
);
const extraHeaders = fc.oneof({ weight: 3, arbitrary: fc.constant([] as [string, string][]) }, fc.array(
  fc.oneof(
    fc.tuple(fc.constantFrom('Host', 'Connection', 'Expect', 'X-Forwarded-For', 'Accept', 'Authorization', 'Content-Type', 'X'), fc.oneof(fc.stringMatching(/^[ -~]{0,40}$/), fc.constantFrom('100-continue', 'keep-alive', 'close', 'upgrade', '10.0.0.1'))),
    fc.integer({ min: 1, max: 3 }).map((n) => ['X-Grande', 'a'.repeat(n * 9_000)] as [string, string]),
    fc.constant(['Header Com Espaço', 'x'] as [string, string]),
    fc.constant(['X-Nulo', 'a\u0000b'] as [string, string]),
  ),
  { maxLength: 4 },
));

type Req = { method: string; target: string; version: string; auth: string | undefined; contentType: string | undefined; body: string; framing: typeof framing extends fc.Arbitrary<infer T> ? T : never; headers: [string, string][]; pipelined: boolean };

function encode(r: Req): { bytes: Buffer; auth: string | undefined } {
  const auth = r.auth === undefined ? undefined : authValue(r.auth);
  const payload = Buffer.from(r.body, r.body.startsWith('\u0000') ? 'latin1' : 'utf8');
  const h: string[] = [`Host: 127.0.0.1:${port}`];
  if (auth !== undefined) h.push(`Authorization: ${auth}`);
  if (r.contentType !== undefined) h.push(`Content-Type: ${r.contentType}`);
  for (const [k, v] of r.headers) h.push(`${k}: ${v}`);
  let tail: Buffer = payload;
  const f = r.framing;
  if (f.k === 'length') h.push(`Content-Length: ${payload.length}`);
  else if (f.k === 'badLength') {
    h.push(`Content-Length: ${f.v}`);
    if (f.extra) h.push(`Content-Length: ${payload.length}`);
  } else if (f.k === 'offLength') h.push(`Content-Length: ${Math.max(0, payload.length + f.delta)}`);
  else if (f.k === 'te') h.push(`Transfer-Encoding: ${f.v}`);
  else if (f.k === 'chunked') {
    h.push('Transfer-Encoding: chunked');
    if (f.withLength) h.push(`Content-Length: ${payload.length}`);
    const size = (n: number) => (f.broken === 'size' ? 'zz' : f.broken === 'negative' ? '-1' : f.broken === 'huge' ? 'ffffffffffffffff' : f.broken === 'ext' ? `${n.toString(16)};a=b` : n.toString(16));
    const parts: Buffer[] = [];
    for (let i = 0; i < payload.length; i += 97) {
      const c = payload.subarray(i, i + 97);
      parts.push(Buffer.from(`${size(c.length)}${f.broken === 'noCrlf' ? '' : '\r\n'}`), f.broken === 'short' ? c.subarray(1) : c, Buffer.from('\r\n'));
    }
    if (f.broken !== 'noEnd') parts.push(Buffer.from(f.broken === 'trailer' ? '0\r\nX-Trailer: 1\r\n\r\n' : '0\r\n\r\n'));
    tail = Buffer.concat(parts);
  }
  const head = Buffer.from(`${r.method} ${r.target} ${r.version}\r\n${h.join('\r\n')}\r\n\r\n`, 'utf8');
  const one = Buffer.concat([head, tail]);
  return { bytes: r.pipelined ? Buffer.concat([one, Buffer.from(`GET /api/v1/charge HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth ?? ''}\r\n\r\n`)]) : one, auth };
}

const request = fc.record({ method, target, version, auth: authorization, contentType: fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, contentType), body, framing, headers: extraHeaders, pipelined: fc.boolean() });
const described = (r: Req) => JSON.stringify({ ...r, body: r.body.length > 80 ? `${r.body.slice(0, 40)}…(${r.body.length})` : r.body, headers: r.headers.map(([k, v]) => [k, v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v]) });

describe('malformed HTTP to the local API', () => {
  it('random requests for every route: OpenPix-shaped pt-BR errors, no 5xx, no stack or secret, and it keeps serving', async () => {
    const seen = new Map<number | string, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        sent++;
        const { bytes, auth } = encode(r);
        const a = await rawHttp(port, bytes, { waitMs: 3_000 });
        const what = described(r);
        const statuses = checkAnswer(a.text, what, auth, r.method === 'HEAD');
        for (const s of statuses.length ? statuses : ['closed']) seen.set(s, (seen.get(s) ?? 0) + 1);
        // An answer or a close, never a socket left hanging past the request deadline.
        expect(a.closedByServer || statuses.length > 0, `${what}: no answer and still open`).toBe(true);
        await stillServes(what);
      }),
      { numRuns: runs(300), seed: seed(1407), endOnFailure: true },
    );
    console.log(`API fuzz: ${sent} raw requests — ${[...seen].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    expect(api.core.db.prepare("SELECT count(*) AS n FROM charges WHERE status = 'creating'").get()).toEqual({ n: 0 });
  }, timeout(60_000));

  it('plain random bytes, and garbage request lines', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)), fc.string({ maxLength: 200 }).map((s) => Buffer.from(`${s}\r\n\r\n`, 'utf8'))), async (bytes) => {
        sent++;
        const a = await rawHttp(port, bytes, { waitMs: 3_000 });
        checkAnswer(a.text, JSON.stringify(bytes.toString('latin1').slice(0, 100)), undefined);
        await stillServes('bytes');
      }),
      { numRuns: runs(100), seed: seed(1408), endOnFailure: true },
    );
    console.log(`API fuzz: ${sent} random byte strings`);
  }, timeout(60_000));

  it('a malformed request line is answered 400 in pt-BR; oversized headers 431; broken chunking 400', async () => {
    const bad = await rawHttp(port, Buffer.from('G ET / HTTP/1.1\r\n\r\n'));
    expect(responses(bad.text)[0]).toMatchObject({ status: 400, body: expect.stringContaining('Requisição HTTP malformada') });
    const big = await rawHttp(port, Buffer.from(`GET /api/v1/charge HTTP/1.1\r\nHost: x\r\nX-Grande: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(responses(big.text)[0]).toMatchObject({ status: 431, body: expect.stringContaining('Cabeçalhos da requisição grandes demais') });
    const chunk = await rawHttp(port, Buffer.from(`POST /api/v1/charge HTTP/1.1\r\nHost: x\r\nAuthorization: ${appId}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`));
    expect(responses(chunk.text)[0]?.status).toBe(400);
    expect(JSON.parse(responses(chunk.text)[0]!.body)).toEqual({ error: expect.stringMatching(/malformada/) });
    const both = await rawHttp(port, Buffer.from(`POST /api/v1/charge HTTP/1.1\r\nHost: x\r\nAuthorization: ${appId}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`));
    expect(responses(both.text)[0]?.status).toBe(400);
  });
});

/** Open a socket, write `head`, then one byte of `drip` every `everyMs` until the server closes it; how long it took. */
function slowloris(connect: () => net.Socket, head: string, drip: string, everyMs: number, giveUpMs: number): Promise<{ ms: number; closed: boolean; text: string }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = connect();
    let text = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      sock.destroy();
      resolve({ ms: Date.now() - t0, closed, text });
    };
    const giveUp = setTimeout(() => done(false), giveUpMs);
    sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
    sock.on('error', () => undefined);
    sock.on('close', () => done(true));
    const start = () => {
      sock.write(head);
      timer = setInterval(() => {
        if (!sock.destroyed && sock.writable) sock.write(drip[i++ % drip.length]!);
      }, everyMs);
    };
    if (sock instanceof tls.TLSSocket) sock.once('secureConnect', start);
    else sock.once('connect', start);
  });
}

describe('slow clients are cut off by the timeouts', () => {
  it('headers sent a byte at a time, a body that never ends, an idle socket, and 40 of them at once: closed, and the API keeps serving', async () => {
    const connect = () => net.connect(port, '127.0.0.1');
    const [headers, bodyDrip, idle] = await Promise.all([
      slowloris(connect, 'POST /api/v1/charge HTTP/1.1\r\nHost: x\r\n', 'X-Lento: aaaaaaaaaaaaaaaaaaaaaaaa\r\n', 100, 8_000),
      slowloris(connect, `POST /api/v1/charge HTTP/1.1\r\nHost: x\r\nAuthorization: ${appId}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"a":"`, 'b', 100, 8_000),
      slowloris(connect, '', '', 60_000, 8_000),
      ...Array.from({ length: 40 }, () => slowloris(connect, 'GET /api/v1/charge HTTP/1.1\r\n', 'X: y\r\n', 200, 8_000)),
      (async () => {
        await new Promise((r) => setTimeout(r, 500));
        await stillServes('during slowloris');
      })(),
    ]);
    for (const [what, r] of [['headers', headers], ['body', bodyDrip], ['idle', idle]] as const) {
      expect(r!.closed, `${what} still open after ${r!.ms} ms`).toBe(true);
      expect(r!.ms, what).toBeLessThan(TIMEOUTS.requestMs + 2_500);
      expect(r!.text, what).not.toMatch(STACK);
    }
    await stillServes('after slowloris');
  }, 20_000);

  it('on the LAN (HTTPS) too: fastify did not apply its timeouts to the HTTPS server it was given', async () => {
    const dir = tempProfile();
    const core = openCore(dir);
    const rt = await ApiRuntime.start(core, { host: '127.0.0.1', port: 0, lan: true, webhooks: false, timeouts: TIMEOUTS });
    try {
      const lanPort = Number(new URL(rt.url).port);
      const connect = () => tls.connect({ port: lanPort, host: '127.0.0.1', ca: rt.caPem!, servername: '127.0.0.1' });
      const [headers, idle] = await Promise.all([
        slowloris(connect, 'GET /api/v1/charge HTTP/1.1\r\nHost: x\r\n', 'X-Lento: aaaaaaaaaaaaaaaa\r\n', 100, 8_000),
        slowloris(connect, '', '', 60_000, 8_000),
      ]);
      expect(headers.closed, `headers: still open after ${headers.ms} ms`).toBe(true);
      expect(headers.ms).toBeLessThan(TIMEOUTS.requestMs + 2_500);
      expect(idle.closed, `idle: still open after ${idle.ms} ms`).toBe(true);
      expect(idle.ms).toBeLessThan(TIMEOUTS.idleMs + 2_500);
    } finally {
      await rt.stop();
      await core.close();
      rmProfile(dir);
    }
  }, 20_000);
});
