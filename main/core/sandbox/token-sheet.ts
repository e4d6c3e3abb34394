import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { BRASILIA_OFFSET_MS, writePrivateFile } from './util';

/** What Itaú's "Credencial e Token.xlsx" carries. */
export interface TokenSheetData {
  clientId: string;
  /** The temporary token (a JWT). The file holds a secret: it is written with mode 0600. */
  token: string;
  expiresAt: Date;
}

/** Excel's serial day number of a Brasília wall-clock instant (the sheet shows Brasília time, like Itaú's). */
function excelSerial(at: Date): number {
  return (at.getTime() + BRASILIA_OFFSET_MS) / 86_400_000 + 25569;
}

/**
 * Write a workbook shaped like the attachment Itaú e-mails: one sheet, header row `CLIENT ID | TOKEN | VALIDADE`,
 * one data row; VALIDADE is a real date cell (a serial number with a date format, in Brasília time).
 */
export function writeTokenSheet(file: string, data: TokenSheetData): void {
  const ws: XLSX.WorkSheet = {
    A1: { t: 's', v: 'CLIENT ID' },
    B1: { t: 's', v: 'TOKEN' },
    C1: { t: 's', v: 'VALIDADE' },
    A2: { t: 's', v: data.clientId },
    B2: { t: 's', v: data.token },
    C2: { t: 'n', v: excelSerial(data.expiresAt), z: 'dd/mm/yyyy hh:mm:ss' },
    '!ref': 'A1:C2',
    '!cols': [{ wch: 40 }, { wch: 80 }, { wch: 20 }],
  };
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Planilha1');
  const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writePrivateFile(path.resolve(file), buf);
}
