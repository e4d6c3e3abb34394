import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeJwt,
  jwtExpiry,
  jwtLooksTruncated,
  jwtSubject,
  looksLikeDerEnvelopedData,
  looksLikeJwt,
  looksLikeOldEncryptedBlob,
  normalizeClientId,
  normalizeToken,
  textHasOldEncryptedBlob,
} from '../../../main/core/onboarding/jwt-claims';
import { CLIENT_ID, makeJwt } from '../../fixtures/make-credential-fixtures';

describe('Client ID', () => {
  it('normalises case, spaces, NBSP, zero-width, quotes and braces', () => {
    expect(normalizeClientId(CLIENT_ID.toUpperCase())).toBe(CLIENT_ID);
    expect(normalizeClientId(`\u00a0 "${CLIENT_ID}"\u200b `)).toBe(CLIENT_ID);
    expect(normalizeClientId(`{${CLIENT_ID}}`)).toBe(CLIENT_ID);
  });

  it('rejects anything that is not a UUID', () => {
    for (const v of ['', 'abc', CLIENT_ID.slice(1), CLIENT_ID.replace(/-/g, ''), `${CLIENT_ID}0`, CLIENT_ID.replace('3', 'g')]) {
      expect(normalizeClientId(v)).toBeUndefined();
    }
  });
});

describe('JWT', () => {
  const token = makeJwt({ sub: CLIENT_ID, exp: 1_794_484_800 });

  it('decodes header and payload', () => {
    const c = decodeJwt(token)!;
    expect(c.header.alg).toBe('RS256');
    expect(jwtSubject(c)).toBe(CLIENT_ID);
    expect(jwtExpiry(c)?.toISOString()).toBe('2026-11-12T12:00:00.000Z');
    expect(looksLikeJwt(token)).toBe(true);
  });

  it('tolerates exp in milliseconds or as a numeric string, ignores junk', () => {
    expect(jwtExpiry(decodeJwt(makeJwt({ exp: 1_794_484_800_000 }))!)?.toISOString()).toBe('2026-11-12T12:00:00.000Z');
    expect(jwtExpiry(decodeJwt(makeJwt({ exp: '1794484800' }))!)?.toISOString()).toBe('2026-11-12T12:00:00.000Z');
    expect(jwtExpiry(decodeJwt(makeJwt({ exp: 'amanhã' }))!)).toBeUndefined();
    expect(jwtExpiry(decodeJwt(makeJwt({}))!)).toBeUndefined();
  });

  it('rejects non-JWTs', () => {
    const b = (s: string) => Buffer.from(s).toString('base64url');
    for (const v of ['', 'a.b.c', 'opaque', `${b('{}')}.${b('{}')}`, `${b('[1]')}.${b('{}')}.x`, `${b('{"alg":"RS256"}')}.${b('nope')}.x`, `${token}.extra`, `${b('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.${b('{}')}.x`]) {
      expect(decodeJwt(v)).toBeUndefined();
    }
  });

  it('keeps a `__proto__` claim as data', () => {
    const b = (s: string) => Buffer.from(s).toString('base64url');
    const raw = `${b('{"alg":"RS256"}')}.${b(`{"__proto__":{"polluted":1},"sub":"${CLIENT_ID}"}`)}.${b('x'.repeat(256))}`;
    const c = decodeJwt(raw)!;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(c.payload)).toBeNull();
    expect(Object.keys(c.payload)).toContain('__proto__');
    expect(jwtSubject(c)).toBe(CLIENT_ID);
  });

  it('detects a signature cut short (255-character cells)', () => {
    expect(jwtLooksTruncated(token, decodeJwt(token)!)).toBe(false);
    const cut = token.slice(0, 255);
    expect(jwtLooksTruncated(cut, decodeJwt(cut)!)).toBe(true);
    const unknownAlg = makeJwt({}, { alg: 'XYZ' });
    expect(jwtLooksTruncated(unknownAlg.slice(0, 120), decodeJwt(unknownAlg.slice(0, 120))!)).toBe(false);
  });

  it('strips Bearer, whitespace and line breaks from a pasted token', () => {
    expect(normalizeToken(` Bearer ${token.slice(0, 50)}\n ${token.slice(50)}\u00a0`)).toBe(token);
    expect(normalizeToken(`Authorization: Bearer ${token}`)).toBe(token);
  });
});

describe('old encrypted delivery', () => {
  it('recognises long base64/hex blobs and armoured messages, not JWTs', () => {
    expect(looksLikeOldEncryptedBlob(randomBytes(256).toString('base64'))).toBe(true);
    expect(looksLikeOldEncryptedBlob(randomBytes(256).toString('hex'))).toBe(true);
    expect(looksLikeOldEncryptedBlob('-----BEGIN PKCS7-----\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggE\n-----END PKCS7-----')).toBe(true);
    expect(looksLikeOldEncryptedBlob(makeJwt({ sub: CLIENT_ID }))).toBe(false);
    expect(looksLikeOldEncryptedBlob(CLIENT_ID)).toBe(false);
    expect(looksLikeOldEncryptedBlob('short')).toBe(false);
  });

  it('finds a wrapped blob in a text file, but not in a CSV with a JWT', () => {
    const wrapped = `ClientID:\n${(randomBytes(256).toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n`;
    expect(textHasOldEncryptedBlob(wrapped)).toBe(true);
    expect(textHasOldEncryptedBlob(`CLIENT ID;TOKEN\n${CLIENT_ID};${makeJwt({ sub: CLIENT_ID })}`)).toBe(false);
    expect(textHasOldEncryptedBlob('nome;valor\na;b')).toBe(false);
  });

  it('a JWT next to a blob still means "not the old delivery", and the same check is linear on long base64url runs (found by fuzz-sheets)', () => {
    const blob = (randomBytes(256).toString('base64').match(/.{1,64}/g) ?? []).join('\n');
    const jwt = makeJwt({ sub: CLIENT_ID });
    expect(textHasOldEncryptedBlob(`${blob}\n${jwt}`)).toBe(false);
    expect(textHasOldEncryptedBlob(`${blob}\n${jwt.slice(0, jwt.indexOf('.'))}==.x`)).toBe(false);
    expect(textHasOldEncryptedBlob(`${blob}\neyJab.`)).toBe(true);
    expect(textHasOldEncryptedBlob(`${blob}\neyJa.b`)).toBe(true);
    // Runs of "eyJ" with no dot: the old regular expression backtracked over the whole run from each of them
    // (seconds for these 150 KB, minutes per megabyte); the import of such a text file must answer at once.
    const started = Date.now();
    expect(textHasOldEncryptedBlob('eyJ'.repeat(50_000))).toBe(false);
    expect(textHasOldEncryptedBlob(`${'eyJhbGciOiJSUzI1NiJ9'.repeat(8_000)} fim`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('recognises a DER CMS envelopedData', () => {
    const der = Buffer.from([0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03, 0xa0, 0x82, 0, 0, 0, 0]);
    expect(looksLikeDerEnvelopedData(der)).toBe(true);
    expect(looksLikeDerEnvelopedData(randomBytes(40))).toBe(false);
  });
});
