import fc from 'fast-check';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCfb, CLIENT_ID, makeCredentialFixtures, makeJwt, makeToken, OTHER_CLIENT_ID, strCell, type CredentialFixtures } from '../../fixtures/make-credential-fixtures';
import { zipBuild, zipLayout, zipRead, type ZipReadEntry } from '../../fixtures/zip-writer';
import { checkImport, fuzzRuns, fuzzSeed, fuzzTimeout, ImportWorker, Tally, tokenWindows, type FuzzAnswer } from './fuzz-import-support';

/**
 * Hostile spreadsheets, bounded and seeded: the generated "Credencial e Token" fixtures (xlsx, xls, ods, the CSV,
 * the encrypted and Outlook containers) taken apart and mutated — bytes flipped, cut, zip headers and compressed
 * data corrupted, sheet XML rewritten (huge cells, wrong cell types, formulas, shared strings out of range, dates
 * as text and numbers, many rows and sheets, entities, junk), decompression bombs within the limits, disguises —
 * and whole workbooks generated with SheetJS from random cells in every format it writes. Each case runs in a
 * worker with a deadline and a heap limit (fuzz-import-support.ts): a credential that was really in the input, or
 * a typed pt-BR error that never carries the token; never an internal failure, a hang or a crash.
 *
 * `FUZZ_RUNS=<n>` raises the iterations per property, `FUZZ_SEED=<n>` changes the seed (fast-check prints the seed
 * and the shrunk case of a failure).
 */
const NOW = new Date();
let fx: CredentialFixtures;
let worker: ImportWorker;
let windows: string[];
const tally = new Tally();

beforeAll(() => {
  fx = makeCredentialFixtures(undefined, NOW);
  windows = [...tokenWindows(fx.token), ...tokenWindows(fx.tokenNoExp)];
  worker = new ImportWorker();
});
afterAll(async () => {
  await worker.close();
  fs.rmSync(fx.dir, { recursive: true, force: true });
  console.log(`spreadsheet fuzz: ${tally.total()} cases, slowest ${Math.round(worker.maxMs)} ms — ${tally.toString()}`);
});

async function importCase(bytes: Buffer, what: string, name = 'Credencial e Token.xlsx', extra: { tokens?: Set<string>; clientIds?: Set<string>; windows?: string[] } = {}): Promise<FuzzAnswer> {
  const a = await worker.run({ op: 'import', bytes, name, nowMs: NOW.getTime() });
  tally.outcome(a);
  checkImport(a, { what, nowMs: NOW.getTime(), windows: extra.windows ?? windows, tokens: extra.tokens ?? new Set([fx.token, fx.tokenNoExp]), clientIds: extra.clientIds ?? new Set([CLIENT_ID, OTHER_CLIENT_ID]) });
  return a;
}

/** The good workbooks (and some bad ones) the mutations start from. */
const BASES = ['itau-current.xlsx', 'itau-sheet-validity.xlsx', 'older-credencial.xlsx', 'label-value.xlsx', 'title-extra-sheets.xlsx', 'lone-values.xlsx', 'stray-spaces.xlsx', 'itau.xls', 'itau.ods', 'pollution.xlsx', 'pollution.ods', 'encrypted.xlsx', 'mensagem.msg'] as const;
const ZIP_BASES = ['itau-current.xlsx', 'itau-sheet-validity.xlsx', 'title-extra-sheets.xlsx', 'label-value.xlsx', 'pollution.xlsx', 'itau.ods'] as const;

// ---------------------------------------------------------------- byte level

const byteMutation = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), at: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 24 }) }),
  fc.record({ k: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ k: fc.constant('splice' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat(4096), fill: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
);

type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

function applyByteMutation(base: Buffer, m: ByteMutation): Buffer {
  if (m.k === 'cut') return base.subarray(0, Math.floor(m.at * base.length));
  if (m.k === 'flip') {
    const b = Buffer.from(base);
    for (const [f, x] of m.at) b[Math.floor(f * b.length)]! ^= x;
    return b;
  }
  const at = Math.floor(m.at * base.length);
  const ins = Buffer.alloc(m.len);
  for (let i = 0; i < m.len; i++) ins[i] = m.fill[i % m.fill.length]!;
  return Buffer.concat([base.subarray(0, at), ins, base.subarray(at)]);
}

// ---------------------------------------------------------------- zip level

const ZIP_FIELDS = [
  ['central', 8, 2], ['central', 10, 2], ['central', 20, 4], ['central', 24, 4], ['central', 28, 2], ['central', 30, 2], ['central', 32, 2], ['central', 42, 4],
  ['local', 6, 2], ['local', 8, 2], ['local', 18, 4], ['local', 22, 4], ['local', 26, 2], ['local', 28, 2], ['local', 0, 4],
  ['eocd', 8, 2], ['eocd', 10, 2], ['eocd', 12, 4], ['eocd', 16, 4], ['eocd', 20, 2],
] as const;
const fieldValue = fc.oneof(fc.constantFrom(0, 1, 0x41, 0x800, 0xffff, 0xffffffff, 0x7fffffff, 99), fc.nat(), fc.nat(70_000));
const zipMutation = fc.oneof(
  fc.record({ k: fc.constant('field' as const), entry: fc.nat(40), field: fc.nat(ZIP_FIELDS.length - 1), value: fieldValue, delta: fc.boolean() }),
  fc.record({ k: fc.constant('data' as const), entry: fc.nat(40), flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }) }),
);
type ZipMutation = typeof zipMutation extends fc.Arbitrary<infer T> ? T : never;

function applyZipMutation(base: Buffer, m: ZipMutation): Buffer {
  const b = Buffer.from(base);
  const { eocd, central } = zipLayout(b);
  const e = central[m.entry % central.length]!;
  if (m.k === 'data') {
    const start = e.local + 30 + b.readUInt16LE(e.local + 26) + b.readUInt16LE(e.local + 28);
    const size = b.readUInt32LE(e.at + 20);
    for (const [f, x] of m.flips) if (size > 0) b[start + Math.floor(f * size)]! ^= x;
    return b;
  }
  const [where, off, width] = ZIP_FIELDS[m.field]!;
  const at = (where === 'central' ? e.at : where === 'local' ? e.local : eocd) + off;
  const old = width === 2 ? b.readUInt16LE(at) : b.readUInt32LE(at);
  const v = m.delta ? old + (m.value % 7) - 3 : m.value;
  if (width === 2) b.writeUInt16LE(((v % 0x10000) + 0x10000) % 0x10000, at);
  else b.writeUInt32LE(((v % 0x100000000) + 0x100000000) % 0x100000000, at);
  return b;
}

// ---------------------------------------------------------------- sheet XML level

const hugeText = fc.oneof(fc.constantFrom(1_000, 20_001, 300_000, 2_000_000), fc.nat(50_000)).chain((n) => fc.constantFrom('A', 'eyJ', '&amp;', 'ç', '9', ' ').map((u) => u.repeat(Math.ceil(n / u.length))));
const cellType = fc.constantFrom('s', 'n', 'b', 'e', 'd', 'str', 'inlineStr', 'z', '', '__proto__');
const cellValue = fc.oneof(
  fc.constantFrom('99999999', '-1', '1e308', 'NaN', 'abc', '', '0x10', '46336.6', '2026-11-10T14:30:00', '10/11/2026 14:30', '#REF!', 'TRUE', '1.7976931348623157e309'),
  fc.double().map(String),
  fc.string({ maxLength: 30 }),
);
const xmlMutation = fc.oneof(
  fc.record({ k: fc.constant('huge' as const), text: hugeText, nth: fc.nat(8) }),
  fc.record({ k: fc.constant('type' as const), t: cellType, nth: fc.nat(8) }),
  fc.record({ k: fc.constant('value' as const), v: cellValue, nth: fc.nat(8) }),
  fc.record({ k: fc.constant('sstIndex' as const), v: fc.constantFrom('99999', '-1', '4294967296', '1.5', 'x', '') }),
  fc.record({ k: fc.constant('formula' as const), f: fc.constantFrom('HYPERLINK("http://exemplo.invalid","x")', 'WEBSERVICE("http://exemplo.invalid")', 'cmd|\' /C calc\'!A0', '1+1', 'A1&B2', 'INDIRECT("Z"&ROW())', '=' + 'A'.repeat(9000)), nth: fc.nat(8), keepValue: fc.boolean() }),
  fc.record({ k: fc.constant('date' as const), nth: fc.nat(8), as: fc.oneof(fc.constantFrom('t="d"><v>2026-11-10T14:30:00Z</v>', 't="d"><v>nunca</v>', 't="n"><v>-46336</v>', 't="n"><v>2958466</v>', 't="n"><v>46336.99999999</v>', 't="str"><v>31/02/2026 25:61</v>', 't="str"><v>46336,6</v>'), fc.integer({ min: -1e6, max: 3e6 }).map((n) => `t="n"><v>${n / 7}</v>`)) }),
  fc.record({ k: fc.constant('rows' as const), n: fc.oneof(fc.constantFrom(501, 5_000, 30_000), fc.nat(2_000)), r: fc.constantFrom('seq', 'same', 'huge', 'none') }),
  fc.record({ k: fc.constant('cols' as const), n: fc.oneof(fc.constantFrom(65, 16_384), fc.nat(500)) }),
  fc.record({ k: fc.constant('sheets' as const), n: fc.oneof(fc.constantFrom(33, 300, 1_000), fc.nat(60)), name: fc.constantFrom('Plan', '__proto__', 'constructor', "a'b", 'Credencial e Token', '') }),
  fc.record({ k: fc.constant('ref' as const), ref: fc.constantFrom('XFD1048576', 'ZZZZ1', 'A0', 'A-1', '__proto__', '', 'A99999999999', '1A') , nth: fc.nat(8) }),
  fc.record({ k: fc.constant('dimension' as const), ref: fc.constantFrom('A1:XFD1048576', 'A1:A1', 'garbage', 'B2:A1') }),
  fc.record({ k: fc.constant('entities' as const), depth: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ k: fc.constant('junk' as const), part: fc.nat(20), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('<', '</sheetData>', '<c r="A1">', ']]>', '<![CDATA[', '&#0;', '&#xD800;', '\u0000', '<?xml version="1.0" encoding="UTF-16"?>')) }),
  fc.record({ k: fc.constant('dropPart' as const), part: fc.nat(20) }),
  fc.record({ k: fc.constant('encoding' as const), enc: fc.constantFrom('UTF-16', 'ISO-8859-1', 'EBCDIC', 'x') }),
);
type XmlMutation = typeof xmlMutation extends fc.Arbitrary<infer T> ? T : never;

/** Replace the nth match of `re` in `s` (wrapping around), or leave `s` as is when there is none. */
function replaceNth(s: string, re: RegExp, nth: number, fn: (m: string) => string): string {
  const all = [...s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'))];
  if (all.length === 0) return s;
  const m = all[nth % all.length]!;
  return s.slice(0, m.index) + fn(m[0]) + s.slice(m.index + m[0].length);
}

const SHEET_PART = /^(xl\/worksheets\/sheet\d+\.xml|content\.xml)$/;

function applyXmlMutation(entries: ZipReadEntry[], m: XmlMutation): ZipReadEntry[] {
  const out = entries.map((e) => ({ ...e }));
  const sheet = out.find((e) => SHEET_PART.test(e.name)) ?? out[0]!;
  const sst = out.find((e) => e.name === 'xl/sharedStrings.xml');
  const edit = (e: ZipReadEntry, fn: (s: string) => string) => (e.data = Buffer.from(fn(e.data.toString('utf8')), 'utf8'));
  const ods = sheet.name === 'content.xml';
  switch (m.k) {
    case 'huge':
      edit(sst && m.nth % 2 === 0 ? sst : sheet, (s) => replaceNth(s, ods ? /<text:p>[^<]*<\/text:p>/ : /<(t|v)>[^<]*<\/(t|v)>/, m.nth, (x) => x.replace(/>[^<]*</, `>${m.text.replace(/&(?!amp;)/g, '&amp;').replace(/</g, '&lt;')}<`)));
      break;
    case 'type':
      edit(sheet, (s) => (ods ? replaceNth(s, /office:value-type="[^"]*"/, m.nth, () => `office:value-type="${m.t}"`) : replaceNth(s, /<c r="[^"]*"( t="[^"]*")?/, m.nth, (x) => x.replace(/( t="[^"]*")?$/, ` t="${m.t}"`))));
      break;
    case 'value':
      edit(sheet, (s) => replaceNth(s, ods ? /<text:p>[^<]*<\/text:p>/ : /<v>[^<]*<\/v>/, m.nth, () => (ods ? `<text:p>${esc(m.v)}</text:p>` : `<v>${esc(m.v)}</v>`)));
      break;
    case 'sstIndex':
      edit(sheet, (s) => s.replace(/(<c [^>]*t="s"[^>]*>)<v>[^<]*<\/v>/g, `$1<v>${m.v}</v>`));
      break;
    case 'formula':
      edit(sheet, (s) =>
        ods
          ? replaceNth(s, /<table:table-cell /, m.nth, (x) => `${x}table:formula="of:=${esc(m.f)}" `)
          : replaceNth(s, /<c r="[^"]*"[^>]*>(<is>.*?<\/is>|<v>[^<]*<\/v>)?<\/c>/, m.nth, (x) => x.replace(/>(<is>.*?<\/is>|<v>[^<]*<\/v>)?<\/c>$/, (_y, v: string | undefined) => `><f>${esc(m.f)}</f>${m.keepValue ? (v ?? '') : ''}</c>`)),
      );
      break;
    case 'date':
      if (!ods) edit(sheet, (s) => replaceNth(s, /<c r="([^"]*)"[^>]*>.*?<\/c>/, m.nth, (x) => `<c r="${/r="([^"]*)"/.exec(x)![1]}" ${m.as}</c>`));
      break;
    case 'rows': {
      const rowXml = (i: number) => `<row r="${m.r === 'seq' ? i + 10 : m.r === 'same' ? 10 : m.r === 'huge' ? 1_048_576 - (i % 3) : ''}">${strCell(`A${i + 10}`, `linha ${i}`)}<c r="B${i + 10}"><v>${i}</v></c></row>`.replace(' r=""', '');
      const rows = Array.from({ length: m.n }, (_, i) => rowXml(i)).join('');
      if (ods) edit(sheet, (s) => s.replace('</table:table>', `${'<table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'.repeat(m.n)}</table:table>`));
      else edit(sheet, (s) => s.replace('</sheetData>', `${rows}</sheetData>`));
      break;
    }
    case 'cols':
      if (ods) edit(sheet, (s) => s.replace('</table:table-row>', `${'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'.repeat(m.n)}</table:table-row>`));
      else edit(sheet, (s) => replaceNth(s, /<\/row>/, 0, () => `${Array.from({ length: m.n }, (_, i) => `<c r="${colName(i + 3)}1" t="inlineStr"><is><t>c${i}</t></is></c>`).join('')}</row>`));
      break;
    case 'sheets': {
      const wb = out.find((e) => e.name === 'xl/workbook.xml');
      if (wb) edit(wb, (s) => s.replace('</sheets>', `${Array.from({ length: m.n }, (_, i) => `<sheet name="${esc(m.name)}${i}" sheetId="${i + 100}" r:id="rId1"/>`).join('')}</sheets>`));
      else edit(sheet, (s) => s.replace('</office:spreadsheet>', `${Array.from({ length: m.n }, (_, i) => `<table:table table:name="${esc(m.name)}${i}"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`).join('')}</office:spreadsheet>`));
      break;
    }
    case 'ref':
      if (!ods) edit(sheet, (s) => replaceNth(s, /<c r="[^"]*"/, m.nth, () => `<c r="${m.ref}"`));
      break;
    case 'dimension':
      if (!ods) edit(sheet, (s) => (s.includes('<dimension') ? s.replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="${m.ref}"/>`) : s.replace('<sheetData', `<dimension ref="${m.ref}"/><sheetData`)));
      break;
    case 'entities': {
      // A "billion laughs" DOCTYPE: SheetJS must not expand it.
      let dtd = '<!ENTITY l0 "lol">';
      for (let i = 1; i <= m.depth; i++) dtd += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
      edit(sst ?? sheet, (s) => s.replace(/^(<\?xml[^>]*\?>)?/, (x) => `${x}<!DOCTYPE r [${dtd}]>`).replace(/<(t|text:p)>[^<]*</, (x) => x.replace(/>[^<]*</, `>&l${m.depth};<`)));
      break;
    }
    case 'junk': {
      const e = out[m.part % out.length]!;
      edit(e, (s) => {
        const at = Math.floor(m.at * s.length);
        return s.slice(0, at) + m.text + s.slice(at);
      });
      break;
    }
    case 'dropPart':
      out.splice(m.part % out.length, 1);
      break;
    case 'encoding':
      edit(sheet, (s) => s.replace(/^<\?xml[^>]*\?>/, `<?xml version="1.0" encoding="${m.enc}"?>`));
      break;
  }
  return out;
}

/** Bytes that fast-check prints as a short description (a failing case of megabytes stays readable). */
function described(bytes: Buffer): { bytes: Buffer; [fc.toStringMethod]: () => string } {
  return { bytes, [fc.toStringMethod]: () => `<${bytes.length} bytes: ${JSON.stringify(bytes.subarray(0, 80).toString('latin1'))}…>` };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function colName(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// ---------------------------------------------------------------- the properties

describe('mutated credential spreadsheets', () => {
  it('byte flips, cuts and spliced runs of every fixture', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BASES), byteMutation, async (base, m) => {
        await importCase(applyByteMutation(fx.bytes[base]!, m), `${base} ${JSON.stringify(m).slice(0, 200)}`, base);
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed(1401), endOnFailure: true },
    );
  }, fuzzTimeout(60_000));

  it('corrupted zip headers and compressed data of the xlsx and ods', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ZIP_BASES), zipMutation, async (base, m) => {
        await importCase(applyZipMutation(fx.bytes[base]!, m), `${base} ${JSON.stringify(m)}`, base);
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed(1402), endOnFailure: true },
    );
  }, fuzzTimeout(60_000));

  it('rewritten sheet XML: huge cells, wrong types, formulas, shared strings out of range, dates, many rows and sheets, entities, junk', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ZIP_BASES), fc.array(xmlMutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (base, ms, store) => {
        let entries = zipRead(fx.bytes[base]!);
        for (const m of ms) entries = applyXmlMutation(entries, m);
        const bytes = zipBuild(entries.map((e) => ({ name: e.name, data: e.data, store: e.store || store })));
        await importCase(bytes, `${base} ${JSON.stringify(ms, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 20)}…(${v.length})` : v))}`, base);
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed(1403), endOnFailure: true },
    );
  }, fuzzTimeout(60_000));
});

describe('bombs and disguises', () => {
  it('decompression bombs up to and over the 32 MB budget, many entries, nested archives', async () => {
    const sheet = zipRead(fx.bytes['itau-current.xlsx']!);
    const cases: [string, Buffer][] = [
      ['31 MB of zeros beside the sheet', zipBuild([...sheet, { name: 'xl/media/zeros.bin', data: Buffer.alloc(31 * 1024 * 1024) }])],
      ['33 MB of zeros beside the sheet', zipBuild([...sheet, { name: 'xl/media/zeros.bin', data: Buffer.alloc(33 * 1024 * 1024) }])],
      ['a 20 MB shared-strings part', zipBuild(sheet.map((e) => (e.name === 'xl/sharedStrings.xml' ? { ...e, data: Buffer.from(e.data.toString().replace('</sst>', `<si><t>${'A'.repeat(20 * 1024 * 1024)}</t></si></sst>`)) } : e)))],
      ['a 20 MB sheet of empty rows', zipBuild(sheet.map((e) => (e.name === 'xl/worksheets/sheet1.xml' ? { ...e, data: Buffer.from(e.data.toString().replace('</sheetData>', `${'<row/>'.repeat(3_500_000)}</sheetData>`)) } : e)))],
      ['2,100 entries', zipBuild([...sheet, ...Array.from({ length: 2_100 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: 'x' }))])],
      ['1,990 entries', zipBuild([...sheet, ...Array.from({ length: 1_990 - sheet.length }, (_, i) => ({ name: `xl/media/${i}.bin`, data: 'x' }))])],
      ['a workbook inside a workbook', zipBuild([...sheet, { name: 'xl/embeddings/inner.xlsx', data: fx.bytes['itau-current.xlsx']!, store: true }])],
      ['a zip of the zip', zipBuild([{ name: 'Credencial e Token.xlsx', data: fx.bytes['itau-current.xlsx']! }])],
    ];
    // A declared size that lies: the central directory says 10 bytes, the data inflates to 31 MB.
    const liar = zipBuild([...sheet, { name: 'xl/media/liar.bin', data: Buffer.alloc(31 * 1024 * 1024) }]);
    const { central } = zipLayout(liar);
    const last = central[central.length - 1]!;
    liar.writeUInt32LE(10, last.at + 24);
    liar.writeUInt32LE(10, last.local + 22);
    cases.push(['sizes that lie', liar]);
    for (const [what, bytes] of cases) {
      const a = await importCase(bytes, what);
      if (/33 MB|lie|2,100|zip of the zip/.test(what)) expect(a.kind, what).toBe('error');
    }
  }, fuzzTimeout(60_000));

  it('other formats dressed as the workbook: CSV, HTML, SpreadsheetML 2003, ODS/XLS parts, CFB streams, random containers', async () => {
    const csvRow = fc.array(fc.oneof(fc.constantFrom('CLIENT ID', 'TOKEN', CLIENT_ID, fx.token, '=cmd|\'/C calc\'!A0', '"', '\u0000'), fc.string({ maxLength: 20 })), { maxLength: 5 });
    const disguise = fc.oneof(
      fc.tuple(fc.array(csvRow, { maxLength: 6 }), fc.constantFrom(';', ',', '\t')).map(([rows, sep]) => Buffer.from(rows.map((r) => r.join(sep)).join('\r\n'), 'utf8')),
      fc.constantFrom(
        `<html><body><table><tr><td>CLIENT ID</td><td>TOKEN</td></tr><tr><td>${CLIENT_ID}</td><td>${fx.token}</td></tr></table></body></html>`,
        `<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>${fx.token}</Data></Cell></Row></Table></Worksheet></Workbook>`,
        `\ufeffCLIENT ID;TOKEN\r\n${CLIENT_ID};${fx.token}`,
        // A long run of base64url with "eyJ" all over it and no dot: not a token, not an encrypted blob.
        'eyJ'.repeat(400_000),
        `${'eyJhbGciOiJSUzI1NiJ9'.repeat(20_000)}`,
        'A'.repeat(2_000_000),
      ).map((s) => Buffer.from(s, 'utf8')),
      fc.tuple(fc.constantFrom('Workbook', 'Book', 'EncryptionInfo', 'WordDocument', '__substg1.0_0037001F', 'x'), fc.uint8Array({ maxLength: 5000 })).map(([name, data]) => buildCfb({ [name]: Buffer.from(data) })),
      fc.tuple(fc.constantFrom('mimetype', 'content.xml', 'xl/workbook.xml', 'xl/workbook.bin', 'word/document.xml', 'a.xlsx'), fc.string({ maxLength: 200 })).map(([name, data]) => zipBuild([{ name, data, store: name === 'mimetype' }])),
      fc.constant(zipBuild([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true }, ...zipRead(fx.bytes['itau-current.xlsx']!)])),
      fc.uint8Array({ maxLength: 3000 }).map((t) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(t), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)])),
    );
    await fc.assert(
      fc.asyncProperty(disguise.map(described), fc.constantFrom('Credencial e Token.xlsx', 'credencial.csv', 'a.ods', 'a.xls', 'sem-nome'), async ({ bytes }, name) => {
        await importCase(bytes, `${name} ${bytes.subarray(0, 60).toString('latin1')}`, name);
      }),
      { numRuns: fuzzRuns(80), seed: fuzzSeed(1404), endOnFailure: true },
    );
  }, fuzzTimeout(60_000));
});

// ---------------------------------------------------------------- generated workbooks

describe('workbooks generated with SheetJS from random cells', () => {
  it('find only a credential that was in the sheet, or say in pt-BR what is wrong', async () => {
    const hour = 3600_000;
    const tokens = {
      good: makeToken(NOW, { exp: new Date(NOW.getTime() + 5 * 86400_000) }),
      noExp: makeToken(NOW, { exp: null }),
      noSub: makeToken(NOW, { sub: null }),
      other: makeToken(NOW, { sub: OTHER_CLIENT_ID }),
      expired: makeToken(NOW, { exp: new Date(NOW.getTime() - hour) }),
      soon: makeToken(NOW, { exp: new Date(NOW.getTime() + hour) }),
      msExp: makeJwt({ sub: CLIENT_ID, exp: NOW.getTime() + 86400_000 }),
      es256: makeJwt({ sub: CLIENT_ID }, { alg: 'ES256' }),
    };
    const all = Object.values(tokens);
    const secretWindows = all.flatMap((t) => tokenWindows(t));
    const uuids = [CLIENT_ID, OTHER_CLIENT_ID, randomUUID(), randomUUID()];
    const label = fc.constantFrom('CLIENT ID', 'Client_ID', 'CREDENCIAL', 'TOKEN', 'Token Temporário', 'AccessTokenTemp', 'VALIDADE', 'Data de validade:', 'Expira em', 'Observação', '', 'Client ID:');
    const token = fc.oneof(
      fc.constantFrom(...all),
      fc.constantFrom(...all).map((t) => t.slice(0, 255)),
      fc.constantFrom(...all).map((t) => ` Bearer ${t.slice(0, 50)}\n${t.slice(50)} `),
      fc.constantFrom(...all).map((t) => t.replace(/\.[^.]*$/, '.')),
      fc.constantFrom(...all).map((t) => `${t}.${t}`),
    );
    const uuid = fc.oneof(fc.constantFrom(...uuids), fc.constantFrom(...uuids).map((u) => `{${u.toUpperCase()}}`), fc.constantFrom(...uuids).map((u) => `Client ID: ${u}`), fc.uuid());
    const validity = fc.oneof(
      fc.integer({ min: -1000, max: 80_000 }).map((n) => ({ t: 'n', v: n + 0.5, z: 'dd/mm/yyyy hh:mm' })),
      fc.date({ min: new Date('1899-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => ({ t: 'd', v: d })),
      fc.constantFrom('10/11/2026 14:30', '31/02/2026', '2026-11-10T14:30:00-03:00', '46336,6', '10 de novembro de 2026 às 14h30', '7 dias', '99/99/9999 99:99', '0/0/0'),
    );
    const cell = fc.oneof(
      { weight: 3, arbitrary: label },
      { weight: 3, arbitrary: token },
      { weight: 3, arbitrary: uuid },
      { weight: 2, arbitrary: validity },
      { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constant(null)) },
      { weight: 1, arbitrary: fc.constantFrom({ t: 'n', f: 'NOW()', v: 46000 }, { t: 's', f: 'HYPERLINK("http://x","y")', v: 'y' }, { t: 'e', v: 0x2a }, { t: 'b', v: true }) },
    );
    const sheetName = fc.stringMatching(/^[A-Za-z0-9 _ç'-]{1,20}$/).filter((s) => !s.startsWith("'") && !s.endsWith("'"));
    // Free-form sheets, and sheets shaped like Itaú's (a header of labels, then a row of values in any order).
    const freeRows = fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 12 });
    const tableRows = fc.tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.array(fc.array(fc.oneof(token, uuid, validity, cell), { maxLength: 4 }), { minLength: 1, maxLength: 3 }), fc.nat(3)).map(([head, rows, pad]) => [...Array.from({ length: pad }, () => []), head, ...rows]);
    const book = fc.array(fc.record({ name: sheetName, rows: fc.oneof(freeRows, tableRows) }), { minLength: 1, maxLength: 4 });
    const format = fc.constantFrom<XLSX.BookType>('xlsx', 'xlsx', 'xlsm', 'xlsb', 'biff8', 'biff5', 'ods', 'csv', 'fods', 'xlml', 'html');
    let generated = 0;
    await fc.assert(
      fc.asyncProperty(book, format, fc.boolean(), async (sheets, bookType, sst) => {
        const wb = XLSX.utils.book_new();
        const seen = new Set<string>();
        for (const s of sheets) {
          if (seen.has(s.name.toLowerCase())) continue;
          seen.add(s.name.toLowerCase());
          // SheetJS's ODF writer does not take this number format (it says so on the console); the value stays.
          const rows = /ods/.test(bookType) ? s.rows.map((r) => r.map((c) => (c && typeof c === 'object' && 'z' in c ? { ...c, z: undefined } : c))) : s.rows;
          XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), s.name);
        }
        const bytes = Buffer.from(XLSX.write(wb, { type: 'buffer', bookType, bookSST: sst, compression: true }) as Buffer);
        generated++;
        const text = JSON.stringify(sheets);
        const placedIds = new Set(uuids.filter((u) => text.toLowerCase().includes(u)).concat([...text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)].map((m) => m[0].toLowerCase())));
        await importCase(bytes, `${bookType} ${text.slice(0, 250)}`, `Credencial e Token.${bookType}`, { tokens: new Set(all), clientIds: placedIds, windows: secretWindows });
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed(1405), endOnFailure: true },
    );
    console.log(`generated workbooks: ${generated}`);
  }, fuzzTimeout(90_000));
});
