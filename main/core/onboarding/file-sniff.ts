/**
 * Content sniffing for the credential import: what a file really is, decided by its bytes (the name is only
 * a hint), plus the structural checks that run before SheetJS sees a container: a ZIP's directory and real
 * decompressed size (zip bombs), and an OLE/CFB file's stream names (encrypted workbook, Outlook `.msg`).
 */
import { inflateRawSync } from 'node:zlib';

/** What the bytes of an imported file look like. */
export type SniffedKind = 'zip' | 'cfb' | 'pdf' | 'image' | 'pkcs7' | 'text' | 'binary';

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function startsWith(b: Buffer, sig: number[] | string, at = 0): boolean {
  const s = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= at + s.length && b.subarray(at, at + s.length).equals(s);
}

/** Image formats people attach by mistake (a screenshot of the sheet, a photo of the e-mail). */
function isImage(b: Buffer): boolean {
  return (
    startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    startsWith(b, [0xff, 0xd8, 0xff]) ||
    startsWith(b, 'GIF87a') ||
    startsWith(b, 'GIF89a') ||
    (startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8)) ||
    startsWith(b, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) ||
    (startsWith(b, 'BM') && b.length > 26 && b.readUInt32LE(2) === b.length) ||
    (startsWith(b, 'ftyp', 4) && /^(heic|heix|mif1|msf1|avif)$/.test(b.subarray(8, 12).toString('latin1')))
  );
}

/** True when the bytes decode as text (UTF-8, or UTF-16 with a BOM) with no control characters. */
function isText(b: Buffer): boolean {
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return true;
  const sample = b.subarray(0, 64 * 1024);
  let ctrl = 0;
  for (const c of sample) if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) ctrl++;
  if (ctrl > 0) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - trailingPartialUtf8(sample)));
    return true;
  } catch {
    // Latin-1 text files (old CSV exports) are text too: no control bytes is enough.
    return true;
  }
}

/** Bytes of an incomplete UTF-8 sequence at the end of a cut sample. */
function trailingPartialUtf8(b: Buffer): number {
  for (let i = 1; i <= 3 && i <= b.length; i++) {
    const c = b[b.length - i] ?? 0;
    if ((c & 0xc0) === 0xc0) return i;
    if ((c & 0x80) === 0) return 0;
  }
  return 0;
}

/** Classify bytes by their magic numbers. */
export function sniff(b: Buffer): SniffedKind {
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(b, [...CFB_MAGIC])) return 'cfb';
  if (b.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (isImage(b)) return 'image';
  if (b[0] === 0x30 && b.subarray(0, 64).includes(Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07]))) return 'pkcs7';
  return isText(b) ? 'text' : 'binary';
}

/** Decode a text file: UTF-8 (BOM optional), UTF-16 with a BOM, or Latin-1 when not valid UTF-8. */
export function decodeText(b: Buffer): string {
  if (startsWith(b, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (startsWith(b, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(b.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b);
  } catch {
    return b.toString('latin1');
  }
}

/** What a ZIP container holds, as far as the import cares. */
export type ZipVerdict =
  | { kind: 'workbook'; format: 'xlsx' | 'xlsb' | 'ods' }
  | { kind: 'document'; what: 'docx' | 'pptx' | 'odt' | 'other' }
  | { kind: 'zipped-workbook'; name: string }
  | { kind: 'encrypted' }
  | { kind: 'too-large' }
  | { kind: 'corrupt' };

/** Budget for the decompressed content of an imported workbook (the real sheet is a few kilobytes). */
export const MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024;
/**
 * Budget for the sheet XML SheetJS will parse, counted once per sheet that points at a part: the credential sheet
 * is a few kilobytes, and parsing takes about a second per 5 MB. Without it, a small file whose 32 sheets all name
 * one part of a few MB with thousands of columns (rows are capped by `sheetRows`, columns are not) took minutes.
 */
export const MAX_SHEET_XML_BYTES = 8 * 1024 * 1024;
/** Sheets SheetJS parses (the first ones of the workbook); sheet-scan's MAX_SHEETS. */
export const MAX_PARSED_SHEETS = 32;
const MAX_ZIP_ENTRIES = 2_000;

/**
 * Bytes of sheet XML the first {@link MAX_PARSED_SHEETS} sheets of an xlsx make SheetJS parse: each sheet's part
 * (through the workbook's relationships) counted once per sheet naming it. When a sheet's part cannot be resolved,
 * the largest worksheet part is assumed for it.
 */
function xlsxSheetBytes(workbookXml: string, relsXml: string, sizes: Map<string, number>): number {
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = /\sId="([^"]*)"/.exec(m[0])?.[1];
    const target = /\sTarget="([^"]*)"/.exec(m[0])?.[1];
    if (id !== undefined && target !== undefined) targets.set(id, target);
  }
  let largest = 0;
  for (const [name, size] of sizes) if (/^xl\/worksheets\/[^/]+$/.test(name)) largest = Math.max(largest, size);
  let total = 0;
  let sheets = 0;
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)) {
    if (++sheets > MAX_PARSED_SHEETS) break;
    const id = /\s[\w.-]+:id="([^"]*)"/.exec(m[0])?.[1];
    const target = id === undefined ? undefined : targets.get(id);
    const part = target === undefined ? undefined : (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/').toLowerCase();
    total += (part === undefined ? undefined : sizes.get(part)) ?? largest;
  }
  return total;
}

/**
 * Walk a ZIP's central directory and inflate every entry with a hard output limit, so a container that
 * would decompress beyond {@link MAX_UNCOMPRESSED_BYTES} (whatever sizes it declares) never reaches SheetJS,
 * then say whether it is a workbook.
 */
export function inspectZip(b: Buffer): ZipVerdict {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { kind: 'corrupt' };
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  if (count === 0 || count > MAX_ZIP_ENTRIES || p >= b.length) return { kind: 'corrupt' };
  const names: string[] = [];
  let budget = MAX_UNCOMPRESSED_BYTES;
  let odfMimetype = '';
  let odfSpreadsheet = false;
  const sizes = new Map<string, number>();
  let workbookXml = '';
  let relsXml = '';
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return { kind: 'corrupt' };
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const csz = b.readUInt32LE(p + 20);
    const usz = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const local = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    names.push(name);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x41) return { kind: 'encrypted' };
    if (csz === 0xffffffff || local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) return { kind: 'corrupt' };
    const dataStart = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (dataStart + csz > b.length) return { kind: 'corrupt' };
    const data = b.subarray(dataStart, dataStart + csz);
    // SheetJS trusts the local header and allocates its declared size up front: it must match reality.
    const localCsz = b.readUInt32LE(local + 18);
    const localUsz = b.readUInt32LE(local + 22);
    if (usz > budget || localUsz > budget) return { kind: 'too-large' };
    let content: Buffer;
    if (method === 0) {
      content = data;
    } else if (method === 8) {
      try {
        content = inflateRawSync(data, { maxOutputLength: Math.max(1, budget + 1) });
      } catch (e) {
        return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? { kind: 'too-large' } : { kind: 'corrupt' };
      }
    } else {
      return { kind: 'corrupt' };
    }
    const real = content.length;
    budget -= real;
    if (budget < 0) return { kind: 'too-large' };
    if (name === 'mimetype') odfMimetype = content.subarray(0, 100).toString('latin1').trim();
    if (name === 'content.xml') odfSpreadsheet = content.includes('<office:spreadsheet');
    const lower = name.toLowerCase();
    sizes.set(lower, (sizes.get(lower) ?? 0) + real);
    if (lower === 'xl/workbook.xml') workbookXml = content.subarray(0, 1024 * 1024).toString('utf8');
    if (lower === 'xl/_rels/workbook.xml.rels') relsXml = content.subarray(0, 1024 * 1024).toString('utf8');
    if (usz !== real || (localUsz !== real && localUsz !== 0) || (localCsz !== csz && localCsz !== 0)) return { kind: 'corrupt' };
  }
  const has = (n: string) => names.some((x) => x.toLowerCase() === n);
  const binSheets = [...sizes].reduce((n, [k, v]) => (/^xl\/worksheets\/[^/]+\.bin$/.test(k) ? n + v : n), 0);
  if (has('xl/workbook.xml')) return xlsxSheetBytes(workbookXml, relsXml, sizes) > MAX_SHEET_XML_BYTES ? { kind: 'too-large' } : { kind: 'workbook', format: 'xlsx' };
  if (has('xl/workbook.bin')) return binSheets > MAX_SHEET_XML_BYTES ? { kind: 'too-large' } : { kind: 'workbook', format: 'xlsb' };
  if (has('content.xml') && (odfMimetype === 'application/vnd.oasis.opendocument.spreadsheet' || (odfMimetype === '' && odfSpreadsheet))) {
    return (sizes.get('content.xml') ?? 0) > MAX_SHEET_XML_BYTES ? { kind: 'too-large' } : { kind: 'workbook', format: 'ods' };
  }
  if (has('word/document.xml')) return { kind: 'document', what: 'docx' };
  if (has('ppt/presentation.xml')) return { kind: 'document', what: 'pptx' };
  if (has('content.xml')) return { kind: 'document', what: 'odt' };
  const inner = names.filter((n) => /\.(xlsx|xlsm|xls|ods)$/i.test(n) && !n.startsWith('__MACOSX/'));
  if (inner.length === 1) return { kind: 'zipped-workbook', name: inner[0]!.split('/').pop() ?? inner[0]! };
  return { kind: 'document', what: 'other' };
}

/** What an OLE/CFB container holds, judged by the UTF-16 names of its streams. */
export type CfbVerdict = 'xls' | 'encrypted' | 'outlook-msg' | 'word' | 'other';

function hasUtf16(b: Buffer, name: string): boolean {
  return b.includes(Buffer.from(name, 'utf16le'));
}

/**
 * Classify a CFB container. An encrypted OOXML workbook is a CFB holding `EncryptionInfo` and
 * `EncryptedPackage`; SheetJS cannot open it without the password, so it is reported before parsing.
 */
export function inspectCfb(b: Buffer): CfbVerdict {
  if (hasUtf16(b, 'EncryptionInfo') || hasUtf16(b, 'EncryptedPackage')) return 'encrypted';
  if (hasUtf16(b, '__substg1.0_')) return 'outlook-msg';
  if (hasUtf16(b, 'Workbook') || hasUtf16(b, 'Book')) return 'xls';
  if (hasUtf16(b, 'WordDocument')) return 'word';
  return 'other';
}
