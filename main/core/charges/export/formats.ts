import type { ChargeStatus } from '../charge-store';
import type { ListRowDb } from '../list-query';

/*
 * How one exported row looks in each format, for the accountant: pt-BR CSV (`;`, decimal comma, dates in São Paulo
 * time, UTF-8 with BOM so Excel opens it right) and XLSX (real numbers with the BRL number format, real dates).
 */

export const STATUS_LABEL: Record<ChargeStatus, string> = {
  creating: 'Em criação',
  active: 'Ativa',
  pending_confirmation: 'A confirmar',
  paid: 'Paga',
  expired: 'Expirada',
  cancelled: 'Cancelada',
  failed: 'Com falha',
};

export const HEADERS = [
  'Criada em', 'Status', 'Valor (R$)', 'Recebido (R$)', 'Conta', 'Caixa', 'Descrição', 'Pagador', 'CPF/CNPJ do pagador', 'Pago em', 'txid', 'E2EID',
];

const SP_OFFSET_MS = 3 * 3600_000;

/** "2026-11-23T16:05:09.000Z" → "23/11/2026 13:05:09" (São Paulo, UTC−3). */
export function brDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) - SP_OFFSET_MS).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 19)}`;
}

/** 123456 → "1234,56" (no thousands separator, so spreadsheets read it as a number). */
export function csvCents(cents: number | null): string {
  if (cents === null) return '';
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)},${String(a % 100).padStart(2, '0')}`;
}

function csvField(v: string): string {
  // Quote when needed; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (CRLF-terminated). */
export function csvLine(r: ListRowDb, accountName: (id: string) => string): string {
  return [
    brDateTime(r.created_at), STATUS_LABEL[r.status], csvCents(r.amount_cents), csvCents(r.paid_cents), csvField(accountName(r.account_id)),
    csvField(r.till ?? ''), csvField(r.description ?? ''), csvField(r.payer_name ?? ''), r.payer_doc_masked ?? '', brDateTime(r.paid_at), r.txid, r.e2eid ?? '',
  ].join(';') + '\r\n';
}

export const CSV_BOM = '\ufeff';
export const csvHeader = (): string => HEADERS.join(';') + '\r\n';

// ---- XLSX ----

function xmlText(s: string): string {
  // Characters XML 1.0 cannot carry are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Excel's serial date of an instant, as São Paulo wall-clock time (Excel dates carry no time zone). */
export function excelSerial(iso: string): number {
  return (Date.parse(iso) - SP_OFFSET_MS) / 86_400_000 + 25569;
}

const COLS = 'ABCDEFGHIJKL';
const str = (c: number, row: number, v: string | null) => (v ? `<c r="${COLS[c]}${row}" t="inlineStr"><is><t xml:space="preserve">${xmlText(v)}</t></is></c>` : '');
const num = (c: number, row: number, v: number | null, style: number) => (v === null ? '' : `<c r="${COLS[c]}${row}" s="${style}"><v>${v}</v></c>`);

/** Style ids of styles.xml below: 1 = date and time, 2 = BRL, 3 = bold header. */
export function xlsxRow(r: ListRowDb, row: number, accountName: (id: string) => string): string {
  return `<row r="${row}">${num(0, row, excelSerial(r.created_at), 1)}${str(1, row, STATUS_LABEL[r.status])}${num(2, row, r.amount_cents / 100, 2)}${num(3, row, r.paid_cents === null ? null : r.paid_cents / 100, 2)}${str(4, row, accountName(r.account_id))}${str(5, row, r.till)}${str(6, row, r.description)}${str(7, row, r.payer_name)}${str(8, row, r.payer_doc_masked)}${r.paid_at ? num(9, row, excelSerial(r.paid_at), 1) : ''}${str(10, row, r.txid)}${str(11, row, r.e2eid)}</row>`;
}

export function xlsxHeaderRow(): string {
  return `<row r="1">${HEADERS.map((h, i) => `<c r="${COLS[i]}1" t="inlineStr" s="3"><is><t>${xmlText(h)}</t></is></c>`).join('')}</row>`;
}

export const SHEET_START =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols><col min="1" max="1" width="19" customWidth="1"/><col min="3" max="4" width="14" customWidth="1"/><col min="5" max="8" width="24" customWidth="1"/><col min="10" max="10" width="19" customWidth="1"/><col min="11" max="12" width="36" customWidth="1"/></cols><sheetData>';
export const SHEET_END = '</sheetData></worksheet>';

export const XLSX_PARTS: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  'xl/workbook.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Cobranças" sheetId="1" r:id="rId1"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  'xl/styles.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm:ss"/><numFmt numFmtId="165" formatCode="&quot;R$&quot;\\ #,##0.00"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>',
};
