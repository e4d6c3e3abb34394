import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/errors';
import { createMemoryLogger, isSecretKey, logUnexpected, openProfileLog, RotatingFile } from '../../../main/core/log';
import { createDispatcher } from '../../../main/core/contract/dispatch';
import type { Handlers } from '../../../main/core/contract';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-log-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

// Secrets as they look in PixDesk: each must vanish from the log, whatever its shape and position.
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3OC1hYmNkIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';
const SECRET = 'b8c6d2f0-3c1e-4a8e-9d5b-7f2a1c0e9b44';
const ACCESS = 'AT-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const PASSWORD = 'hunter2-correct-horse';
const APPID = 'Q2xpZW50X0lkXzEyMzQ6Q2xpZW50X1NlY3JldF81Njc4';
const DATAKEY = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
const PEM = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\nMIIBCgKCAQEAq2Nfake\n-----END PRIVATE KEY-----\n`;
const RSA_PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY.slice(0, 40)}RSA\n-----END RSA PRIVATE KEY-----`;
const ALL = [JWT, SECRET, ACCESS, PASSWORD, APPID, PEM_BODY, `${PEM_BODY.slice(0, 40)}RSA`, DATAKEY.toString('hex'), DATAKEY.toString('base64')];

function expectClean(text: string): void {
  for (const s of ALL) expect(text, `leaked ${s.slice(0, 12)}…`).not.toContain(s);
}

describe('log redaction', () => {
  it('replaces every secret-named field, top level and deep, in any spelling', () => {
    const m = createMemoryLogger();
    m.log.info(
      {
        accountId: 'acc-1',
        privateKey: PEM, keyPem: RSA_PEM, clientSecret: SECRET, client_secret: SECRET, token: JWT, temporaryToken: JWT,
        accessToken: ACCESS, access_token: ACCESS, password: PASSWORD, dataKey: DATAKEY, appId: APPID,
        AccessTokenTemp: JWT, 'Client-Secret': SECRET,
        req: { headers: { Authorization: `Bearer ${ACCESS}`, authorization: `Basic ${APPID}`, cookie: `pixdesk_session=${SECRET}`, 'x-pixdesk-token': SECRET } },
        deep: { a: { b: { c: { d: { clientSecret: SECRET, list: [{ token: JWT }, { nested: [{ password: PASSWORD }] }] } } } } },
      },
      'account credentials loaded',
    );
    const text = m.lines.join('');
    expectClean(text);
    const e = m.entries()[0]!;
    expect(e).toMatchObject({ accountId: 'acc-1', clientSecret: '[redacted]', dataKey: '[redacted]', msg: 'account credentials loaded', level: 30 });
    expect((e.req as { headers: Record<string, string> }).headers).toEqual({
      Authorization: '[redacted]', authorization: '[redacted]', cookie: '[redacted]', 'x-pixdesk-token': '[redacted]',
    });
    expect(JSON.stringify(e.deep)).toBe('{"a":{"b":{"c":{"d":{"clientSecret":"[redacted]","list":[{"token":"[redacted]"},{"nested":[{"password":"[redacted]"}]}]}}}}}');
  });

  it('finds secrets by shape in free text: messages, interpolation, bodies, the STS answer', () => {
    const m = createMemoryLogger();
    m.log.warn({ body: `grant_type=client_credentials&client_id=abc&client_secret=${SECRET}` }, 'token request');
    m.log.warn({ response: `Secret: ${SECRET}\n${PEM}-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----` }, 'sts answer');
    m.log.info('header was %s and jwt %s', `Bearer ${ACCESS}`, JWT);
    m.log.info({ note: `{"access_token":"${ACCESS}","expires_in":300}` }, `pasted "Secret: ${SECRET}" and ${RSA_PEM}`);
    m.log.info({ unterminated: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}` }, 'cut key');
    expectClean(m.lines.join(''));
    const entries = m.entries(); // every line is still valid JSON
    expect(entries).toHaveLength(5);
    expect(entries[1]!.response).toContain('-----BEGIN CERTIFICATE-----'); // certificates are not secret
    expect(entries[0]!.body).toBe('grant_type=client_credentials&client_id=abc&client_secret=[redacted]');
  });

  it('logs errors with code, stack and cause chain, secrets removed from each level', () => {
    const m = createMemoryLogger();
    const root = new Error(`socket hang up while sending Bearer ${ACCESS}`);
    const mid = new AppError('STS_RESPONSE', `resposta ilegível: ${JWT}`, { clientSecret: SECRET, status: 502, body: `Secret: ${SECRET}` });
    (mid as Error).cause = root;
    const top = new Error('renewal failed', { cause: mid });
    Object.assign(top, { accessToken: ACCESS });
    m.log.error({ accountId: 'acc-9', err: top }, 'renewal failed');
    m.log.error(new AggregateError([new Error(`first ${JWT}`), mid], `several: password=${PASSWORD}`, { cause: { password: PASSWORD } }));
    m.log.error(new Error(`only an error, token=${JWT}`));
    expectClean(m.lines.join(''));
    const [a, b, c] = m.entries() as Record<string, unknown>[];
    const err = a!.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'Error', message: 'renewal failed', accessToken: '[redacted]' });
    expect(String(err.stack)).toMatch(/logger\.test\.ts/);
    const cause = err.cause as Record<string, unknown>;
    expect(cause).toMatchObject({ type: 'AppError', code: 'STS_RESPONSE', details: { clientSecret: '[redacted]', status: 502 } });
    expect((cause.cause as Record<string, unknown>).message).toBe('socket hang up while sending Bearer [redacted]');
    expect(b!.msg).toBe('several: password=[redacted]');
    expect((b!.err as { cause: unknown }).cause).toEqual({ password: '[redacted]' });
    expect((b!.err as { errors: unknown[] }).errors).toHaveLength(2);
    expect(c!.msg).toBe('only an error, token=[redacted]');
  });

  it('keeps ordinary fields that only resemble secret names', () => {
    for (const k of ['tokenExpiresAt', 'tokenSha256', 'tokenFingerprint', 'tokenSecondsLeft', 'clientId', 'certPem', 'key', 'pixKey', 'keyType']) {
      expect(isSecretKey(k), k).toBe(false);
    }
    for (const k of ['token', 'temporaryToken', 'access_token', 'x-pixdesk-token', 'clientSecret', 'CLIENT_SECRET', 'ClientSecretTemp', 'privateKey', 'keyPem', 'privateKeyPem', 'password', 'dataKey', 'appId', 'authorization', 'Proxy-Authorization', 'set-cookie']) {
      expect(isSecretKey(k), k).toBe(true);
    }
  });

  it('redacts child-logger bindings too', () => {
    const m = createMemoryLogger();
    m.log.child({ accountId: 'acc-2', clientSecret: SECRET }).info('child line');
    expectClean(m.lines.join(''));
    expect(m.entries()[0]).toMatchObject({ accountId: 'acc-2', clientSecret: '[redacted]' });
  });
});

describe('unexpected errors of the dispatcher', () => {
  it('are logged with the operation, stack and cause; the caller gets only the generic pt-BR message', async () => {
    const m = createMemoryLogger();
    const handlers = {
      'app:info': () => {
        throw new TypeError(`cannot read properties of undefined (token ${JWT})`, { cause: new Error('disk I/O error: database is locked') });
      },
    } as unknown as Handlers;
    const res = await createDispatcher(handlers, logUnexpected(m.log))('app:info', {});
    expect(res).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/erro interno inesperado/) } });
    const [e] = m.entries();
    expect(e).toMatchObject({ level: 50, op: 'app:info', msg: 'unexpected error in a contract operation' });
    expect(e!.err).toMatchObject({ type: 'TypeError', cause: { message: 'disk I/O error: database is locked' } });
    expectClean(m.lines.join(''));
  });
});

describe('profile log file', () => {
  it('lives at <profile>/logs/pixdesk.log, mode 0600 in a 0700 folder, tightening an older file', () => {
    const profile = tempDir();
    fs.mkdirSync(path.join(profile, 'logs'));
    fs.writeFileSync(path.join(profile, 'logs', 'pixdesk.log'), '', { mode: 0o644 });
    const p = openProfileLog(profile);
    p.log.info({ clientSecret: SECRET }, 'hello');
    p.close();
    expect(p.file).toBe(path.join(profile, 'logs', 'pixdesk.log'));
    if (process.platform !== 'win32') {
      expect(fs.statSync(p.file).mode & 0o777).toBe(0o600);
      const fresh = tempDir();
      const q = openProfileLog(fresh);
      q.close();
      expect(fs.statSync(path.join(fresh, 'logs')).mode & 0o777).toBe(0o700);
      expect(fs.statSync(q.file).mode & 0o777).toBe(0o600);
    }
    const text = fs.readFileSync(p.file, 'utf8');
    expect(JSON.parse(text.trim())).toMatchObject({ msg: 'hello', clientSecret: '[redacted]' });
    expectClean(text);
  });

  it('rotates by size and keeps the configured number of files, newest lines in the live file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'logs', 'pixdesk.log');
    const r = new RotatingFile({ file, maxBytes: 2048, maxFiles: 3 });
    const line = (i: number) => `${JSON.stringify({ i, pad: 'x'.repeat(80) })}\n`; // ~100 bytes
    for (let i = 0; i < 200; i++) r.write(line(i));
    r.close();
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['pixdesk.log', 'pixdesk.log.1', 'pixdesk.log.2']);
    const read = (f: string) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { i: number }).i);
    const live = read(file);
    const one = read(`${file}.1`);
    const two = read(`${file}.2`);
    expect(live.at(-1)).toBe(199);
    // Consecutive generations, no line lost or repeated between them.
    expect([...two, ...one, ...live]).toEqual(Array.from({ length: two.length + one.length + live.length }, (_, k) => two[0]! + k));
    for (const f of [file, `${file}.1`, `${file}.2`]) {
      expect(fs.statSync(f).size).toBeLessThanOrEqual(2048);
      if (process.platform !== 'win32') expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    }
  });

  it('continues in the new live file when another process rotated it first', () => {
    const dir = tempDir();
    const file = path.join(dir, 'pixdesk.log');
    const r = new RotatingFile({ file, maxBytes: 1024, maxFiles: 3 });
    for (let i = 0; i < 10; i++) r.write(`${'a'.repeat(99)}\n`);
    fs.renameSync(file, `${file}.1`); // the other process rotated, and writes into a fresh file
    fs.writeFileSync(file, `${'b'.repeat(99)}\n`, { mode: 0o600 });
    r.write(`${'c'.repeat(99)}\n`);
    r.write(`${'c'.repeat(99)}\n`);
    r.close();
    expect(fs.readFileSync(`${file}.1`, 'utf8')).not.toContain('c');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^b{99}\n(c{99}\n){2}$/);
    expect(fs.existsSync(`${file}.2`)).toBe(false);
  });
});
