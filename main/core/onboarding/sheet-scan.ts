/**
 * Reading a workbook with SheetJS (`xlsx`, the patched 0.20.3 build) into plain grids of cells that the
 * locator can search. SheetJS only ever sees containers that {@link ./file-sniff} has already checked
 * (a ZIP with a workbook inside and a bounded decompressed size, or an unencrypted BIFF `.xls`).
 *
 * Safety: {@link SHEETJS_READ_OPTIONS} turns off everything the import does not need (formulas, HTML rich
 * text, styles, number formats, VBA, raw part files, calc chains) and caps the rows read per sheet. The
 * workbook object is never passed to `sheet_to_json` or merged into other objects: cells are copied out
 * into fresh arrays, and labels are matched against fixed lists, so keys such as `__proto__` in a crafted
 * file are inert data.
 */
import * as XLSX from 'xlsx';
import * as cptable from 'xlsx/dist/cpexcel';
import { AppError } from '../errors';
import { MAX_PARSED_SHEETS } from './file-sniff';

XLSX.set_cptable(cptable);

/** Rows read per sheet. Itaú's sheet has two; title rows and notes fit easily. */
export const MAX_SHEET_ROWS = 500;
/** Columns searched per row. */
export const MAX_SHEET_COLS = 64;
/** Sheets parsed and searched per workbook (the first ones; file-sniff budgets their XML). */
export const MAX_SHEETS = MAX_PARSED_SHEETS;

/**
 * Options for `XLSX.read`. `dense` stores cells in arrays (no per-cell object keys), `sheetRows` bounds
 * the work per sheet, and the `cell*`/`book*` flags skip parsing of parts the import never reads.
 */
export const SHEETJS_READ_OPTIONS: XLSX.ParsingOptions = Object.freeze({
  type: 'buffer',
  dense: true,
  sheetRows: MAX_SHEET_ROWS,
  // Only the first sheets are parsed at all (a workbook may list thousands, all pointing at one part).
  sheets: Object.freeze(Array.from({ length: MAX_SHEETS }, (_, i) => i)),
  cellFormula: false,
  cellHTML: false,
  cellStyles: false,
  cellNF: false,
  cellText: false,
  cellDates: false,
  sheetStubs: false,
  bookVBA: false,
  bookFiles: false,
  bookDeps: false,
  bookProps: false,
  bookSheets: false,
  WTF: false,
}) as XLSX.ParsingOptions;

/** One non-empty cell, copied out of SheetJS. */
export interface ScanCell {
  row: number;
  col: number;
  /** The value as text (numbers in plain decimal notation). */
  text: string;
  /** Set for numeric cells (dates arrive as Excel serials). */
  num?: number;
  /** Set for date cells some formats deliver as dates (UTC fields = wall-clock time). */
  date?: Date;
}

/** One sheet as a sparse grid: `rows[r][c]`. */
export interface ScanSheet {
  name: string;
  rows: (ScanCell | undefined)[][];
}

/** A workbook reduced to what the locator needs. */
export interface ScanWorkbook {
  sheets: ScanSheet[];
  /** True for workbooks in the 1904 date system (old Mac Excel). */
  date1904: boolean;
}

/** A1 reference of a zero-based row/column (`B4`). */
export function cellRef(row: number, col: number): string {
  let c = col + 1;
  let letters = '';
  while (c > 0) {
    const m = (c - 1) % 26;
    letters = String.fromCharCode(65 + m) + letters;
    c = Math.floor((c - 1) / 26);
  }
  return `${letters}${row + 1}`;
}

function toScanCell(raw: unknown, row: number, col: number): ScanCell | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const cell = raw as { t?: unknown; v?: unknown };
  const v = cell.v;
  if (typeof v === 'string') {
    return v.trim() === '' ? undefined : { row, col, text: v.length > 20_000 ? v.slice(0, 20_000) : v };
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    return { row, col, text: String(v), num: v };
  }
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    return { row, col, text: v.toISOString(), date: v };
  }
  return undefined;
}

function gridOf(ws: unknown): (ScanCell | undefined)[][] {
  const data = ws && typeof ws === 'object' ? (ws as { '!data'?: unknown })['!data'] : undefined;
  const rows: (ScanCell | undefined)[][] = [];
  if (!Array.isArray(data)) return rows;
  const nRows = Math.min(data.length, MAX_SHEET_ROWS);
  for (let r = 0; r < nRows; r++) {
    const src: unknown = data[r];
    const out: (ScanCell | undefined)[] = [];
    if (Array.isArray(src)) {
      const nCols = Math.min(src.length, MAX_SHEET_COLS);
      for (let c = 0; c < nCols; c++) out.push(toScanCell(src[c], r, c));
    }
    rows.push(out);
  }
  return rows;
}

function isPasswordError(msg: string): boolean {
  return /password|encrypt|crypt/i.test(msg);
}

/**
 * Parse workbook bytes with SheetJS and copy the cells out. Any SheetJS failure becomes an AppError: a
 * password error as `WORKBOOK_ENCRYPTED`, anything else as `WORKBOOK_UNREADABLE`.
 */
export function readWorkbook(bytes: Buffer, displayName: string): ScanWorkbook {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { ...SHEETJS_READ_OPTIONS });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (isPasswordError(msg)) throw encryptedWorkbookError(displayName);
    throw new AppError(
      'WORKBOOK_UNREADABLE',
      `Não foi possível ler a planilha "${displayName}": o arquivo parece corrompido ou incompleto. ` +
        'Baixe de novo o anexo "Credencial e Token.xlsx" do e-mail do Itaú e tente outra vez.',
    );
  }
  const names = Array.isArray(wb?.SheetNames) ? wb.SheetNames.slice(0, MAX_SHEETS) : [];
  const sheets: ScanSheet[] = [];
  for (const name of names) {
    if (typeof name !== 'string') continue;
    const ws = Object.prototype.hasOwnProperty.call(wb.Sheets ?? {}, name) ? wb.Sheets[name] : undefined;
    sheets.push({ name, rows: gridOf(ws) });
  }
  const date1904 = Boolean(wb?.Workbook?.WBProps?.date1904);
  return { sheets, date1904 };
}

/** The pt-BR error for a password-protected workbook. */
export function encryptedWorkbookError(displayName: string): AppError {
  return new AppError(
    'WORKBOOK_ENCRYPTED',
    `A planilha "${displayName}" está protegida por senha, e o PixDesk não abre planilhas com senha. ` +
      'Abra-a no Excel com a senha, salve uma cópia sem senha (Arquivo > Informações > Proteger pasta de trabalho) ' +
      'e importe a cópia, ou peça ao gerente do Itaú o envio sem senha.',
  );
}
