import fc from 'fast-check';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/errors';
import { importCredentialFile } from '../../../main/core/onboarding/credential-import';
import { SHEETJS_READ_OPTIONS } from '../../../main/core/onboarding/sheet-scan';
import { buildEml, buildWorkbook, CLIENT_ID, makeToken, pollutionOds, pollutionXlsx, XLSX_TYPE } from '../../fixtures/make-credential-fixtures';
import { zipBuild, zipRead } from '../../fixtures/zip-writer';

const NOW = new Date('2026-11-05T12:00:00Z');

/** Every own property (names and descriptors) of the prototypes a pollution would touch. */
function protoSnapshot(): string {
  const protos = [Object.prototype, Array.prototype, String.prototype, Function.prototype, Number.prototype];
  return JSON.stringify(
    protos.map((p) =>
      Reflect.ownKeys(p)
        .map(String)
        .sort()
        .map((k) => {
          const d = Object.getOwnPropertyDescriptor(p, k);
          return `${k}:${typeof d?.value}:${typeof d?.get}`;
        }),
    ),
  );
}

function expectUnpolluted(before: string) {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.c).toBeUndefined();
  expect(probe.l).toBeUndefined();
  expect(probe.v).toBeUndefined();
  expect(probe.t).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.prototype.constructor).toBe(Object);
  expect(protoSnapshot()).toBe(before);
}

describe('SheetJS read options', () => {
  it('turn off everything the import does not need and bound the rows', () => {
    expect(SHEETJS_READ_OPTIONS).toMatchObject({
      type: 'buffer',
      dense: true,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      cellNF: false,
      cellText: false,
      bookVBA: false,
      bookFiles: false,
      bookDeps: false,
    });
    expect(SHEETJS_READ_OPTIONS.sheetRows).toBeGreaterThan(0);
    expect(SHEETJS_READ_OPTIONS.sheetRows).toBeLessThanOrEqual(1000);
    expect(Object.isFrozen(SHEETJS_READ_OPTIONS)).toBe(true);
  });

  it('uses the patched SheetJS (>= 0.20.2: CVE-2023-30533 and CVE-2024-22363 fixed)', () => {
    const [maj, min, patch] = XLSX.version.split('.').map(Number) as [number, number, number];
    expect(maj * 10_000 + min * 100 + patch).toBeGreaterThanOrEqual(2002);
  });
});

describe('prototype pollution attempts', () => {
  it('a crafted xlsx (`__proto__` cells, comments, hyperlinks, names, custom props) leaves prototypes untouched', () => {
    const before = protoSnapshot();
    const token = makeToken(NOW);
    const wb = pollutionXlsx(token);
    // Straight through SheetJS with our options …
    const parsed = XLSX.read(wb, { ...SHEETJS_READ_OPTIONS });
    expect(parsed.SheetNames).toContain('Plan1');
    expectUnpolluted(before);
    // … and through the importer, which still finds the credential among the hostile data.
    const c = importCredentialFile(wb, 'pollution.xlsx', NOW);
    expect(c.clientId).toBe(CLIENT_ID);
    expect(c.token).toBe(token);
    expectUnpolluted(before);
  });

  it('a sheet named `__proto__` is data, not a prototype', () => {
    const before = protoSnapshot();
    const token = makeToken(NOW);
    const bytes = buildWorkbook([
      { name: '__proto__', rows: [['polluted', 'yes']] },
      { name: 'constructor', rows: [['CLIENT ID', 'TOKEN'], [CLIENT_ID, token]] },
    ]);
    const c = importCredentialFile(bytes, 'x.xlsx', NOW);
    expect(c.source.sheet).toBe('constructor');
    expectUnpolluted(before);
  });

  it('a crafted ODS (`__proto__` table, named range, user-defined property) leaves prototypes untouched', () => {
    const before = protoSnapshot();
    const token = makeToken(NOW);
    let result: unknown;
    try {
      result = importCredentialFile(pollutionOds(token), 'pollution.ods', NOW);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
    }
    if (result) expect((result as { clientId: string }).clientId).toBe(CLIENT_ID);
    expectUnpolluted(before);
  });

  it('the test detects pollution when it happens (self-check)', () => {
    const before = protoSnapshot();
    (Object.prototype as Record<string, unknown>).polluted = 'yes';
    try {
      expect(() => expectUnpolluted(before)).toThrow();
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
    expectUnpolluted(before);
  });
});

describe('bounded work', () => {
  it('a large, noisy workbook is read quickly (rows capped, credential found)', () => {
    const token = makeToken(NOW);
    const rows: unknown[][] = [['CLIENT ID', 'TOKEN'], [CLIENT_ID, token]];
    for (let r = 0; r < 2000; r++) rows.push(Array.from({ length: 30 }, (_, c) => `ruído ${r}-${c} ${'x'.repeat(c)}`));
    const bytes = buildWorkbook([{ name: 'Plan1', rows }, { name: 'Plan2', rows: rows.slice(2) }]);
    const t = Date.now();
    expect(importCredentialFile(bytes, 'big.xlsx', NOW).clientId).toBe(CLIENT_ID);
    expect(Date.now() - t).toBeLessThan(5_000);
  });
});

describe('bounded work: sheets sharing one part (found by fuzz-sheets)', () => {
  /** The real sheet, with `extraCols` more cells in its first row and `extraSheets` more sheets naming the same part. */
  function sharedPart(extraSheets: number, extraCols: number): Buffer {
    const base = buildWorkbook([{ name: 'Plan1', rows: [['CLIENT ID', 'TOKEN'], [CLIENT_ID, makeToken(NOW)]] }]);
    return zipBuild(
      zipRead(base).map((e) => {
        let s = e.data.toString('utf8');
        if (e.name === 'xl/workbook.xml') s = s.replace('</sheets>', `${Array.from({ length: extraSheets }, (_, i) => `<sheet name="P${i}" sheetId="${i + 100}" r:id="rId1"/>`).join('')}</sheets>`);
        if (e.name === 'xl/worksheets/sheet1.xml') s = s.replace('</row>', `${Array.from({ length: extraCols }, (_, i) => `<c r="${XLSX.utils.encode_col(i + 2)}1"><v>${i}</v></c>`).join('')}</row>`);
        return { ...e, data: Buffer.from(s, 'utf8') };
      }),
    );
  }

  it('a small file whose many sheets all name one wide part is refused at once, not parsed for minutes', () => {
    const bytes = sharedPart(1_000, 16_000);
    expect(bytes.length).toBeLessThan(200_000);
    const t = Date.now();
    expect(() => importCredentialFile(bytes, 'wide.xlsx', NOW)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it('only the first 32 sheets are parsed, and a narrow shared part still imports', () => {
    const t = Date.now();
    expect(importCredentialFile(sharedPart(3_000, 0), 'many.xlsx', NOW).clientId).toBe(CLIENT_ID);
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(SHEETJS_READ_OPTIONS.sheets).toHaveLength(32);
  });
});

/** Anything thrown must be an AppError, and never the importer's own internal-failure fallback. */
function onlyAppErrors(bytes: Uint8Array, name: string) {
  try {
    importCredentialFile(Buffer.from(bytes), name, NOW);
  } catch (e) {
    if (!(e instanceof AppError)) throw new Error(`non-AppError thrown: ${String(e)}`);
    if (e.code === 'IMPORT_INTERNAL') throw new Error(`internal failure surfaced: ${e.message}`);
  }
}

describe('fuzzing: random bytes only ever produce AppError', () => {
  const magic = [
    [],
    [0x50, 0x4b, 0x03, 0x04],
    [0x50, 0x4b, 0x05, 0x06],
    [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    [...Buffer.from('%PDF-1.4\n')],
    [...Buffer.from('MIME-Version: 1.0\r\nFrom: a@b\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n')],
    [0xff, 0xfe],
    [0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03],
  ];

  it('random bytes behind every magic number', () => {
    fc.assert(
      fc.property(fc.constantFrom(...magic), fc.uint8Array({ maxLength: 2048 }), fc.constantFrom('a.xlsx', 'a.eml', 'a.p7m', 'a'), (m, tail, name) => {
        onlyAppErrors(Uint8Array.from([...m, ...tail]), name);
      }),
      { numRuns: 400 },
    );
  });

  it('random text (CSV-like, e-mail-like)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.constantFrom('', 'From: a\r\nTo: b\r\nSubject: c\r\n\r\n'), (s, prefix) => {
        onlyAppErrors(Buffer.from(prefix + s, 'utf8'), 'a.csv');
      }),
      { numRuns: 300 },
    );
  });

  const token = makeToken(NOW);
  const valid = buildWorkbook([{ name: 'Plan1', rows: [['CLIENT ID', 'TOKEN', 'VALIDADE'], [CLIENT_ID, token, '10/11/2026 14:30']] }]);
  const xls = buildWorkbook([{ name: 'Plan1', rows: [['CLIENT ID', 'TOKEN'], [CLIENT_ID, token]] }], 'biff8');
  const eml = buildEml([{ data: valid, contentType: XLSX_TYPE, disposition: 'attachment; filename="Credencial e Token.xlsx"' }]);

  it.each([
    ['xlsx', valid],
    ['xls', xls],
    ['eml', eml],
  ])('mutated valid %s (flipped, cut and inserted bytes)', (_kind, base) => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(base.length), { nil: undefined }),
        (flips, cut) => {
          const b = Buffer.from(base);
          for (const [i, v] of flips) b[i] = v;
          onlyAppErrors(cut === undefined ? b : b.subarray(0, cut), 'm.xlsx');
        },
      ),
      { numRuns: 150 },
    );
  });
});
