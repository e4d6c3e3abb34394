import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, looksLikeEml, parseEml, parseParams } from '../../../main/core/onboarding/eml';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

describe('RFC 2047 / 2231', () => {
  it.each([
    ['=?UTF-8?Q?Credencial_e_Token.xlsx?=', 'Credencial e Token.xlsx'],
    ['=?utf-8?B?Q3JlZGVuY2lhbCBlIFRva2VuLnhsc3g=?=', 'Credencial e Token.xlsx'],
    ['=?ISO-8859-1?Q?Manual_Ita=FA.pdf?=', 'Manual Itaú.pdf'],
    ['=?UTF-8?Q?Credencial_e?= =?UTF-8?Q?_Token.xlsx?=', 'Credencial e Token.xlsx'],
    ['plain.xlsx', 'plain.xlsx'],
    ['=?x-unknown?Q?abc?=', 'abc'],
  ])('%s', (raw, expected) => {
    expect(decodeEncodedWords(raw)).toBe(expected);
  });

  it('joins RFC 2231 continuations and decodes the charset', () => {
    const p = parseParams(`attachment; filename*0*=UTF-8''Credencial%20e%20; filename*1*=Token%C3%A7.xlsx; size=10`);
    expect(p.main).toBe('attachment');
    expect(p.params.get('filename')).toBe('Credencial e Tokenç.xlsx');
    expect(p.params.get('size')).toBe('10');
  });

  it('handles quoted values with ; and escapes, and prefers filename* over filename', () => {
    const p = parseParams(`attachment; filename="a;b \\"c\\".xlsx"; filename*=ISO-8859-1''Plan%E7o.xlsx`);
    expect(p.params.get('filename')).toBe('Planço.xlsx');
    expect(parseParams('attachment; filename="a;b \\"c\\".xlsx"').params.get('filename')).toBe('a;b "c".xlsx');
  });

  it('keeps parameter names like __proto__ as data', () => {
    const p = parseParams('text/plain; __proto__=x; constructor=y');
    expect(p.params.get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('parseEml', () => {
  it('decodes base64 and quoted-printable parts inside nested multiparts', () => {
    const eml = crlf([
      'From: a@b',
      'To: c@d',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Ol=C3=A1, segue a planilha com uma linha muito longa que foi quebrada pelo=',
      ' servidor.',
      '--inner--',
      '--outer',
      'Content-Type: application/octet-stream;',
      ' name="=?UTF-8?Q?Credencial_e_Token.xlsx?="',
      'Content-Transfer-Encoding: base64',
      '',
      'UEsDBAoAAAAA',
      'AAAA',
      '--outer--',
      '',
    ]);
    const leaves = parseEml(eml);
    expect(leaves).toHaveLength(2);
    expect(leaves[0]!.body.toString('utf8')).toBe('Olá, segue a planilha com uma linha muito longa que foi quebrada pelo servidor.');
    expect(leaves[1]!.fileName).toBe('Credencial e Token.xlsx');
    expect([...leaves[1]!.body.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('reads forwarded messages (message/rfc822) and LF-only files', () => {
    const inner = ['From: x@y', 'Subject: s', 'Content-Type: text/plain; name="nota.txt"', '', 'oi'].join('\n');
    const eml = Buffer.from(['From: a@b', 'Subject: Fwd', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: message/rfc822', '', inner, '--b--', ''].join('\n'));
    const leaves = parseEml(eml);
    expect(leaves.map((l) => l.fileName)).toEqual(['nota.txt']);
    expect(leaves[0]!.body.toString()).toBe('oi');
  });

  it('survives hostile nesting and missing boundaries', () => {
    let msg = 'x';
    for (let i = 0; i < 50; i++) msg = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${msg}\r\n--b${i}--`;
    expect(() => parseEml(Buffer.from(`From: a\r\nTo: b\r\n${msg}`))).not.toThrow();
    expect(parseEml(Buffer.from('Content-Type: multipart/mixed\r\n\r\n--x\r\n'))).toEqual([]);
  });
});

describe('looksLikeEml', () => {
  it('accepts mail headers (with an mbox From line) and rejects CSV or labelled text', () => {
    expect(looksLikeEml('Delivered-To: a@b\r\nReceived: from x\r\n\tby y\r\nSubject: s\r\n\r\nbody')).toBe(true);
    expect(looksLikeEml('From a@b Thu Nov  5 09:00:00 2026\nFrom: a@b\nTo: c@d\n\nx')).toBe(true);
    expect(looksLikeEml('CLIENT ID;TOKEN\nabc;def')).toBe(false);
    expect(looksLikeEml('Client_ID: abc\nToken: def\n')).toBe(false);
  });
});
