import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/errors';
import {
  importCredentialFile,
  importCredentialPaste,
  MAX_IMPORT_BYTES,
  MAX_WORKBOOK_BYTES,
  tokenSha256,
  type ImportedCredential,
} from '../../../main/core/onboarding/credential-import';
import {
  buildEml,
  buildWorkbook,
  CLIENT_ID,
  makeCredentialFixtures,
  makeJwt,
  makeToken,
  OTHER_CLIENT_ID,
  type CredentialFixtures,
} from '../../fixtures/make-credential-fixtures';
import { zipBuild } from '../../fixtures/zip-writer';

const NOW = new Date('2026-11-05T12:00:00Z');
let fx: CredentialFixtures;

beforeAll(() => {
  fx = makeCredentialFixtures(undefined, NOW);
});
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

function imp(name: string): ImportedCredential {
  return importCredentialFile(fx.bytes[name]!, name, NOW);
}

/** Run and return the AppError, failing the test if anything else happens. */
function errOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError, got a result');
}

function expectNoSecret(e: AppError | ImportedCredential, ...secrets: string[]) {
  const text = JSON.stringify(e instanceof AppError ? { m: e.message, d: e.details } : { w: e.warnings, s: e.source });
  for (const s of secrets) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(s.split('.')[1]!);
  }
}

describe('layouts', () => {
  it("reads Itaú's current sheet (title row, header row, JWT exp)", () => {
    const c = imp('itau-current.xlsx');
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(fx.token);
    expect(c.tokenSha256).toBe(tokenSha256(fx.token));
    expect(c.tokenSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.tokenExpiresAt).toBe(fx.tokenExp.toISOString());
    expect(c.expirySource).toBe('jwt');
    expect(c.warnings).toEqual([]);
    expect(c.source).toEqual({ kind: 'xlsx', fileName: 'itau-current.xlsx', sheet: 'Credencial e Token', cells: { clientId: 'A4', token: 'B4', validity: 'C4' } });
  });

  it.each([
    ['itau-sheet-validity.xlsx', { clientId: 'A2', token: 'B2', validity: 'C2' }],
    ['older-credencial.xlsx', { clientId: 'A2', token: 'B2', validity: 'C2' }],
    ['openpix-names.xlsx', { clientId: 'A2', token: 'B2', validity: 'C2' }],
    ['client-id-underscore.xlsx', { clientId: 'A2', token: 'B2', validity: 'C2' }],
    ['label-value.xlsx', { clientId: 'B3', token: 'B6', validity: 'B7' }],
    ['numbers-as-text.xlsx', { clientId: 'A2', token: 'B2', validity: 'C2' }],
    ['stray-spaces.xlsx', { clientId: 'A2', token: 'B2', validity: 'C2' }],
    ['itau.ods', { clientId: 'A2', token: 'B2', validity: 'C2' }],
  ])('%s: values and the sheet validity (Brasília time → UTC)', (name, cells) => {
    const c = imp(name);
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(fx.tokenNoExp);
    expect(c.expirySource).toBe('sheet');
    expect(c.tokenExpiresAt).toBe(fx.sheetValidity.toISOString());
    expect(c.source.cells).toEqual(cells);
    expect(c.warnings).toEqual([]);
  });

  it('finds the header below title rows on a later sheet, among extra sheets', () => {
    const c = imp('title-extra-sheets.xlsx');
    expect(c.source.sheet).toBe('Credencial');
    expect(c.source.cells).toEqual({ clientId: 'B6', token: 'C6', validity: 'D6' });
    expect(c.expirySource).toBe('jwt');
  });

  it('reads a BIFF8 .xls', () => {
    const c = imp('itau.xls');
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(fx.token);
  });

  it('falls back to a lone UUID and a lone JWT anywhere', () => {
    const c = imp('lone-values.xlsx');
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(fx.token);
    expect(c.source.cells).toEqual({ clientId: 'C3', token: 'E7' });
  });

  it('names cells on other sheets with the sheet name', () => {
    const bytes = buildWorkbook([
      { name: 'Plan1', rows: [['CLIENT ID', CLIENT_ID]] },
      { name: 'Token temporário', rows: [['TOKEN', fx.token]] },
    ]);
    const c = importCredentialFile(bytes, 'x.xlsx', NOW);
    expect(c.source.cells).toEqual({ clientId: 'B1', token: "'Token temporário'!B1" });
  });

  it('ignores a title that merely mentions "Credencial" next to unrelated text', () => {
    const bytes = buildWorkbook([{ name: 'P', rows: [['Credencial', 'Itaú Unibanco'], [], ['CLIENT ID', 'TOKEN'], [CLIENT_ID, fx.token]] }]);
    expect(importCredentialFile(bytes, 'x.xlsx', NOW).source.cells).toEqual({ clientId: 'A4', token: 'B4' });
  });
});

describe('expiry', () => {
  it('assumes 72 hours, with a pt-BR warning, when neither the JWT nor the sheet says', () => {
    const c = imp('no-validity.xlsx');
    expect(c.expirySource).toBe('assumed-72h');
    expect(c.tokenExpiresAt).toBe(new Date(NOW.getTime() + 72 * 3600_000).toISOString());
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/assumimos 72 horas/);
    expect(c.warnings[0]).toContain('08/11/2026 às 09:00 (horário de Brasília)');
  });

  it('warns about an unreadable validity cell and assumes 72 hours', () => {
    const c = imp('bad-validity.xlsx');
    expect(c.expirySource).toBe('assumed-72h');
    expect(c.warnings.join(' ')).toMatch(/Não entendi a validade "7 dias" \(célula C2\)/);
  });

  it('prefers the JWT exp and warns when the sheet disagrees', () => {
    const exp = new Date(NOW.getTime() + 7 * 86400_000);
    const bytes = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN', 'VALIDADE'], [CLIENT_ID, makeToken(NOW, { exp }), '06/11/2026 10:00']] }]);
    const c = importCredentialFile(bytes, 'x.xlsx', NOW);
    expect(c.expirySource).toBe('jwt');
    expect(c.tokenExpiresAt).toBe(new Date(Math.floor(exp.getTime() / 1000) * 1000).toISOString());
    expect(c.warnings.join(' ')).toMatch(/difere/);
  });

  it('rejects an expired token with TOKEN_EXPIRED saying when and what to do', () => {
    const e = errOf(() => imp('expired.xlsx'));
    expect(e.code).toBe('TOKEN_EXPIRED');
    expect(e.message).toContain('05/11/2026 às 08:00 (horário de Brasília)');
    expect(e.message).toMatch(/gerente/);
  });

  it('rejects a sheet validity already past', () => {
    const bytes = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN', 'VALIDADE'], [CLIENT_ID, fx.tokenNoExp, '01/11/2026 23:59']] }]);
    const e = errOf(() => importCredentialFile(bytes, 'x.xlsx', NOW));
    expect(e.code).toBe('TOKEN_EXPIRED');
    expect(e.message).toContain('01/11/2026 às 23:59');
  });

  it('warns when less than 24 hours are left', () => {
    const bytes = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN'], [CLIENT_ID, makeToken(NOW, { exp: new Date(NOW.getTime() + 3600_000) })]] }]);
    expect(importCredentialFile(bytes, 'x.xlsx', NOW).warnings.join(' ')).toMatch(/menos de 24 horas/);
  });
});

describe('bad content', () => {
  it.each([
    ['manual.pdf', 'FILE_IS_PDF', /PDF/],
    ['credencial.csv', 'FILE_IS_TEXT', /texto \(CSV\)/],
    ['encrypted.xlsx', 'WORKBOOK_ENCRYPTED', /protegida por senha/],
    ['mensagem.msg', 'FILE_IS_OUTLOOK_MSG', /Outlook/],
    ['empty.xlsx', 'WORKBOOK_EMPTY', /vazia/],
    ['not-workbook.zip', 'FILE_NOT_WORKBOOK', /sem planilha/],
    ['zipped-workbook.zip', 'FILE_NOT_WORKBOOK', /Extraia/],
    ['screenshot.png', 'FILE_IS_IMAGE', /imagem/],
    ['two-client-ids.xlsx', 'CLIENT_ID_AMBIGUOUS', new RegExp(`${CLIENT_ID}.*${OTHER_CLIENT_ID}`)],
    ['missing-token.xlsx', 'TOKEN_MISSING', /TOKEN/],
    ['missing-client.xlsx', 'CLIENT_ID_MISSING', /CLIENT ID/],
    ['old-encrypted.xlsx', 'OLD_ENCRYPTED_DELIVERY', /formato antigo, criptografado com a sua chave pública.*Credencial e Token/],
    ['old-encrypted.txt', 'OLD_ENCRYPTED_DELIVERY', /formato antigo/],
    ['not-jwt.xlsx', 'TOKEN_NOT_JWT', /B2.*JWT/],
    ['truncated-255.xls', 'TOKEN_TRUNCATED', /B2 está incompleto/],
  ])('%s → %s', (name, code, msg) => {
    const e = errOf(() => imp(name));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(msg);
    expect(e.message).toMatch(/[ãáàâçéêíóôõú]/); // pt-BR
    expectNoSecret(e, fx.token);
  });

  it('names both Client IDs when the token belongs to another one, never the token', () => {
    const e = errOf(() => imp('mismatched-sub.xlsx'));
    expect(e.code).toBe('TOKEN_CLIENT_MISMATCH');
    expect(e.message).toContain(CLIENT_ID);
    expect(e.message).toContain(OTHER_CLIENT_ID);
    expect(e.message).toMatch(/pertence a outro Client ID/);
    expect(e.message).not.toMatch(/eyJ/);
  });

  it('rejects an empty file and files over the limits', () => {
    expect(errOf(() => importCredentialFile(Buffer.alloc(0), 'x.xlsx', NOW)).code).toBe('FILE_EMPTY');
    const big = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x41);
    expect(errOf(() => importCredentialFile(big, 'x.eml', NOW)).code).toBe('FILE_TOO_LARGE');
    const bigZip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(MAX_WORKBOOK_BYTES)]);
    const e = errOf(() => importCredentialFile(bigZip, 'x.xlsx', NOW));
    expect(e.code).toBe('FILE_TOO_LARGE');
    expect(e.message).toContain('5 MB');
  });

  it('rejects a zip bomb before SheetJS inflates it', () => {
    const bomb = zipBuild([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(40 * 1024 * 1024, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(MAX_WORKBOOK_BYTES);
    const t = Date.now();
    expect(errOf(() => importCredentialFile(bomb, 'bomb.xlsx', NOW)).code).toBe('FILE_TOO_LARGE');
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it('rejects a zip whose declared sizes lie', () => {
    const ok = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN'], [CLIENT_ID, fx.token]] }]);
    const lying = Buffer.from(ok);
    lying.writeUInt32LE(0x7fffffff, 22); // first local header: uncompressed size
    expect(errOf(() => importCredentialFile(lying, 'x.xlsx', NOW)).code).toMatch(/FILE_TOO_LARGE|WORKBOOK_UNREADABLE/);
  });

  it('reports a truncated workbook as unreadable', () => {
    const ok = fx.bytes['itau-current.xlsx']!;
    expect(errOf(() => importCredentialFile(ok.subarray(0, ok.length - 30), 'x.xlsx', NOW)).code).toBe('WORKBOOK_UNREADABLE');
  });

  it('sniffs content, not the name', () => {
    expect(importCredentialFile(fx.bytes['itau-current.xlsx']!, 'planilha.pdf', NOW).clientId).toBe(CLIENT_ID);
    expect(errOf(() => importCredentialFile(fx.bytes['manual.pdf']!, 'Credencial e Token.xlsx', NOW)).code).toBe('FILE_IS_PDF');
  });

  it('rejects an HTML table saved as .xls with a save-as hint', () => {
    const html = Buffer.from(`<html><body><table><tr><td>CLIENT ID</td><td>${CLIENT_ID}</td></tr></table></body></html>`);
    const e = errOf(() => importCredentialFile(html, 'x.xls', NOW));
    expect(e.code).toBe('FILE_NOT_WORKBOOK');
    expect(e.message).toMatch(/salve como/);
  });

  it('rejects two different tokens for the same Client ID', () => {
    const bytes = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN'], [CLIENT_ID, fx.token], [CLIENT_ID, makeToken(NOW)]] }]);
    expect(errOf(() => importCredentialFile(bytes, 'x.xlsx', NOW)).code).toBe('TOKEN_AMBIGUOUS');
  });

  it('rejects an invalid Client ID, showing it', () => {
    const bytes = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN'], ['12345-abc', fx.token]] }]);
    const e = errOf(() => importCredentialFile(bytes, 'x.xlsx', NOW));
    expect(e.code).toBe('CLIENT_ID_INVALID');
    expect(e.message).toContain('12345-abc');
  });

  it('never quotes a token found in the CLIENT ID or VALIDADE column, even in part (found by fuzz-sheets)', () => {
    // The CLIENT ID cell holds the token (columns swapped, no UUID anywhere): the message used to quote its first
    // 60 characters, the JWT header and the start of its payload.
    const swapped = buildWorkbook([{ name: 'P', rows: [['VALIDADE', 'CLIENT ID'], ['x', fx.token]] }]);
    const e = errOf(() => importCredentialFile(swapped, 'x.xlsx', NOW));
    expect(e.code).toBe('CLIENT_ID_INVALID');
    expect(e.message).toMatch(/célula B2.*parece ser o token.*8-4-4-4-12/);
    expect(e.message).not.toContain(fx.token.slice(0, 12));
    const long = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN'], [`a${'b'.repeat(80)}`, fx.token]] }]);
    expect(errOf(() => importCredentialFile(long, 'x.xlsx', NOW)).message).not.toContain('bbbbbbbbbb');
    // A validity cell holding a piece of a token: the warning names the cell, not its text.
    const shifted = buildWorkbook([{ name: 'P', rows: [['CLIENT ID', 'TOKEN', 'VALIDADE'], [CLIENT_ID, fx.tokenNoExp, fx.token.slice(0, 60)]] }]);
    const c = importCredentialFile(shifted, 'x.xlsx', NOW);
    expect(c.warnings.join(' ')).toMatch(/Não entendi a validade \(célula C2\)/);
    expect(c.warnings.join(' ')).not.toContain('eyJ');
  });

  it('rejects a workbook with neither value', () => {
    const bytes = buildWorkbook([{ name: 'P', rows: [['Nome', 'Valor'], ['a', 'b']] }]);
    expect(errOf(() => importCredentialFile(bytes, 'x.xlsx', NOW)).code).toBe('CREDENTIALS_NOT_FOUND');
  });
});

describe('.eml', () => {
  it.each(['itau.eml', 'itau-rfc2231-qp.eml', 'forwarded.eml'])('%s: finds and imports the attachment', (name) => {
    const c = imp(name);
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(fx.token);
    expect(c.source.kind).toBe('eml');
    expect(c.source.fileName).toBe(name);
    expect(c.source.cells).toEqual({ clientId: 'A4', token: 'B4', validity: 'C4' });
  });

  it('decodes RFC 2047 and RFC 2231 attachment names', () => {
    expect(imp('itau.eml').source.attachmentName).toBe('Credencial e Token.xlsx');
    expect(imp('itau-rfc2231-qp.eml').source.attachmentName).toBe('Credencial e Tokenç.xlsx');
    expect(imp('forwarded.eml').source.attachmentName).toBe('Credencial e Token.xlsx');
  });

  it('says clearly when the e-mail has no workbook, listing what it has', () => {
    const e = errOf(() => imp('no-attachment.eml'));
    expect(e.code).toBe('EML_NO_ATTACHMENT');
    expect(e.message).toContain('Manual PIX.pdf');
  });

  it('recognises an old encrypted blob even when the attachment is named .xlsx', () => {
    const blob = Buffer.from((randomBytes(256).toString('base64').match(/.{1,64}/g) ?? []).join('\r\n'));
    const eml = buildEml([{ data: blob, disposition: 'attachment; filename="Credencial e Token.xlsx"' }]);
    expect(errOf(() => importCredentialFile(eml, 'x.eml', NOW)).code).toBe('OLD_ENCRYPTED_DELIVERY');
  });

  it('recognises an old encrypted delivery attached as .p7m', () => {
    expect(errOf(() => imp('old-encrypted.eml')).code).toBe('OLD_ENCRYPTED_DELIVERY');
  });

  it("propagates the attachment's own error (e.g. expired token)", () => {
    const raw = fx.bytes['itau.eml']!.toString('latin1');
    const later = new Date(fx.tokenExp.getTime() + 1000);
    const e = errOf(() => importCredentialFile(Buffer.from(raw, 'latin1'), 'itau.eml', later));
    expect(e.code).toBe('TOKEN_EXPIRED');
  });
});

describe('paste', () => {
  it('accepts spaces, NBSP, quotes, a Bearer prefix and line breaks', () => {
    const tok = fx.token;
    const c = importCredentialPaste(`  "${CLIENT_ID.toUpperCase()}"\u00a0`, `Bearer ${tok.slice(0, 30)}\r\n${tok.slice(30)} `, NOW);
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(tok);
    expect(c.source).toEqual({ kind: 'paste' });
    expect(c.expirySource).toBe('jwt');
  });

  it('fixes swapped fields with a warning', () => {
    const c = importCredentialPaste(fx.token, CLIENT_ID, NOW);
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(fx.token);
    expect(c.warnings.join(' ')).toMatch(/trocados/);
  });

  it('applies the same checks as the file import', () => {
    expect(errOf(() => importCredentialPaste('', fx.token, NOW)).code).toBe('CLIENT_ID_MISSING');
    expect(errOf(() => importCredentialPaste('abc', fx.token, NOW)).code).toBe('CLIENT_ID_INVALID');
    expect(errOf(() => importCredentialPaste(CLIENT_ID, '', NOW)).code).toBe('TOKEN_MISSING');
    expect(errOf(() => importCredentialPaste(CLIENT_ID, 'opaque-token-123', NOW)).code).toBe('TOKEN_NOT_JWT');
    expect(errOf(() => importCredentialPaste(OTHER_CLIENT_ID, fx.token, NOW)).code).toBe('TOKEN_CLIENT_MISMATCH');
    const blob = randomBytes(256).toString('base64');
    expect(errOf(() => importCredentialPaste(CLIENT_ID, blob, NOW)).code).toBe('OLD_ENCRYPTED_DELIVERY');
    const expired = makeToken(NOW, { exp: new Date(NOW.getTime() - 1000) });
    const e = errOf(() => importCredentialPaste(CLIENT_ID, expired, NOW));
    expect(e.code).toBe('TOKEN_EXPIRED');
    expectNoSecret(e, expired);
  });

  it('accepts a token without sub, and rejects a JWE or non-JSON parts', () => {
    const noSub = makeToken(NOW, { sub: null });
    expect(importCredentialPaste(CLIENT_ID, noSub, NOW).clientId).toBe(CLIENT_ID);
    const jwe = makeJwt({ sub: CLIENT_ID }, { alg: 'RSA-OAEP', enc: 'A256GCM' });
    expect(errOf(() => importCredentialPaste(CLIENT_ID, jwe, NOW)).code).toBe('TOKEN_NOT_JWT');
    const notJson = `${Buffer.from('hello').toString('base64url')}.${Buffer.from('world').toString('base64url')}.sig`;
    expect(errOf(() => importCredentialPaste(CLIENT_ID, notJson, NOW)).code).toBe('TOKEN_NOT_JWT');
  });

  it('never puts the token in warnings', () => {
    const c = importCredentialPaste(fx.token, CLIENT_ID, NOW);
    expectNoSecret(c, fx.token);
  });
});
