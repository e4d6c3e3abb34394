/**
 * Finding the Client ID, the temporary token and its validity in a workbook, whatever its layout:
 *
 * 1. **Header rows** — a row holding a Client ID label and a token label (optionally a validity label),
 *    with the values in the rows below (title rows above and extra sheets are fine).
 * 2. **Label/value pairs** — a label with its value in the next filled cell to the right (or just below),
 *    or in the same cell (`Client ID: …`).
 * 3. **Fallback** — a lone UUID and a lone JWT anywhere in the workbook.
 *
 * Labels are compared without accents, case, spaces or punctuation, so `CLIENT_ID`, `ClientID`,
 * ` Client  Id ` and `Data de validade:` all match. Errors are pt-BR AppErrors that never contain the token.
 */
import { AppError } from '../errors';
import {
  decodeJwt,
  findUuids,
  jwtSubject,
  looksLikeJwt,
  looksLikeOldEncryptedBlob,
  normalizeClientId,
  normalizeToken,
} from './jwt-claims';
import { cellRef, type ScanCell, type ScanWorkbook } from './sheet-scan';
import { excelSerialToUtc, parseValidityText, sheetDateToUtc } from './validity-dates';

/** Which value a label announces. */
export type FieldKind = 'client' | 'token' | 'validity';

const CLIENT_LABELS = new Set([
  'CLIENTID', 'CLIENTIDENTIFIER', 'CREDENCIAL', 'CREDENCIALCLIENTID', 'IDCLIENTE', 'IDDOCLIENTE', 'CLIENTEID',
]);
const TOKEN_LABELS = new Set([
  'TOKEN', 'TOKENTEMP', 'TOKENTEMPORARIO', 'TOKENJWT', 'JWT', 'ACCESSTOKEN', 'ACCESSTOKENTEMP',
  'ACCESSTOKENTEMPORARIO', 'ACCESSTOKENTEMPORARY', 'CLIENTSECRETTEMP', 'SECRETTEMP', 'TOKENDEACESSO',
  'TOKENDEACESSOTEMPORARIO', 'TEMPORARYTOKEN', 'TEMPTOKEN', 'TOKENTEMPORARY',
]);
const VALIDITY_RE = /^(?:DATA|DATAHORA|HORA)?(?:DE|DA|DO)?(?:VALIDADE|VALIDOATE|VALIDUNTIL|EXPIRA|EXPIRACAO|EXPIRES|EXPIRATION|EXPIRY|VENCIMENTO|VENCE)/;

/** Fold a label: no accents, no parenthesised notes, upper case, letters and digits only. */
export function foldLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\([^)]*\)/g, ' ')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '');
}

/** The field a label cell announces, if any. */
export function labelKind(text: string): FieldKind | undefined {
  if (text.length > 60) return undefined;
  const f = foldLabel(text);
  if (f === '' || f.length > 32) return undefined;
  if (CLIENT_LABELS.has(f)) return 'client';
  if (TOKEN_LABELS.has(f)) return 'token';
  if (VALIDITY_RE.test(f)) return 'validity';
  return undefined;
}

/** A cell position in the workbook. */
export interface CellPos {
  sheet: string;
  ref: string;
}

/** What the locator found; the token is returned for the importer and must not be logged. */
export interface Located {
  clientId: string;
  clientPos: CellPos;
  token: string;
  tokenPos: CellPos;
  validity?: { at: Date; pos: CellPos };
  /** A validity cell that exists but could not be read as a date (`text` is empty when it must not be quoted). */
  validityUnreadable?: { text: string; pos: CellPos };
}

interface Candidate {
  /** The label's field; unset for the plain cells the fallback searches. */
  kind?: FieldKind;
  text: string;
  cell: ScanCell;
  sheet: string;
  /** Header-table record (sheet + row) the value belongs to. */
  group?: string;
}

function inlineLabel(text: string): { kind: FieldKind; value: string } | undefined {
  const m = /^([^:=]{1,60})[:=](.*)$/s.exec(text);
  if (!m) return undefined;
  const kind = labelKind(m[1] ?? '');
  const value = (m[2] ?? '').trim();
  return kind && value !== '' ? { kind, value } : undefined;
}

function labelOf(cell: ScanCell | undefined): FieldKind | undefined {
  return cell && cell.num === undefined && !cell.date ? labelKind(cell.text) : undefined;
}

function collect(wb: ScanWorkbook): { labeled: Candidate[]; loose: Candidate[] } {
  const labeled: Candidate[] = [];
  const loose: Candidate[] = [];
  for (const sheet of wb.sheets) {
    const rows = sheet.rows;
    const at = (r: number, c: number) => rows[r]?.[c];
    const inHeader = new Set<string>();
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] ?? [];
      const cols: Partial<Record<FieldKind, number>> = {};
      row.forEach((cell, c) => {
        const k = labelOf(cell);
        if (k && cols[k] === undefined) cols[k] = c;
      });
      if (cols.client === undefined || cols.token === undefined) continue;
      for (const c of Object.values(cols)) inHeader.add(`${r}:${c}`);
      let seen = 0;
      for (let d = r + 1; d < rows.length && d <= r + 200; d++) {
        const fields = (Object.entries(cols) as [FieldKind, number][]).map(([k, c]) => [k, at(d, c)] as const);
        if (fields.some(([, cell]) => labelOf(cell))) break;
        if (fields.every(([, cell]) => !cell)) {
          if (seen > 0 || d > r + 3) break;
          continue;
        }
        seen++;
        for (const [kind, cell] of fields) {
          if (cell) labeled.push({ kind, text: cell.text, cell, sheet: sheet.name, group: `${sheet.name}\u0000${d}` });
        }
      }
    }
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] ?? [];
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        if (!cell) continue;
        loose.push({ text: cell.text, cell, sheet: sheet.name });
        if (inHeader.has(`${r}:${c}`) || cell.num !== undefined) continue;
        const inline = inlineLabel(cell.text);
        if (inline) {
          labeled.push({ kind: inline.kind, text: inline.value, cell, sheet: sheet.name });
          continue;
        }
        const kind = labelKind(cell.text);
        if (!kind) continue;
        let right: ScanCell | undefined;
        for (let k = c + 1; k < row.length && k <= c + 8 && !right; k++) right = row[k];
        let below: ScanCell | undefined;
        for (let k = r + 1; k <= r + 3 && !below; k++) below = at(k, c);
        const value = right && !labelOf(right) ? right : below && !labelOf(below) ? below : undefined;
        if (value) labeled.push({ kind, text: value.text, cell: value, sheet: sheet.name });
      }
    }
  }
  return { labeled, loose };
}

function posOf(c: Candidate): CellPos {
  return { sheet: c.sheet, ref: cellRef(c.cell.row, c.cell.col) };
}

/** `B4` on the main sheet, `'Outra aba'!B4` elsewhere. */
export function describePos(pos: CellPos, mainSheet?: string): string {
  if (pos.sheet === mainSheet) return pos.ref;
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(pos.sheet) ? pos.sheet : `'${pos.sheet.replace(/'/g, "''")}'`;
  return `${name}!${pos.ref}`;
}

function distinct<T extends { value: string }>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const i of items) if (!seen.has(i.value)) seen.set(i.value, i);
  return [...seen.values()];
}

function validityOf(c: Candidate, date1904: boolean): Date | undefined {
  if (c.cell.date) return sheetDateToUtc(c.cell.date);
  if (c.cell.num !== undefined) return excelSerialToUtc(c.cell.num, date1904);
  return parseValidityText(c.text);
}

/** Error for the older delivery (values encrypted with the company's public key). */
export function oldEncryptedDeliveryError(): AppError {
  return new AppError(
    'OLD_ENCRYPTED_DELIVERY',
    'Este anexo está no formato antigo, criptografado com a sua chave pública, que o PixDesk não lê. ' +
      'Peça ao gerente da sua conta Itaú o envio atual: o e-mail com a planilha "Credencial e Token.xlsx" ' +
      '(Client ID e token temporário).',
  );
}

/**
 * Find the credential in a scanned workbook. Throws AppError `WORKBOOK_EMPTY`, `CREDENTIALS_NOT_FOUND`,
 * `CLIENT_ID_MISSING`, `CLIENT_ID_INVALID`, `CLIENT_ID_AMBIGUOUS`, `TOKEN_MISSING`, `TOKEN_NOT_JWT`,
 * `TOKEN_AMBIGUOUS` or `OLD_ENCRYPTED_DELIVERY`.
 */
export function locateCredential(wb: ScanWorkbook, displayName: string): Located {
  const { labeled, loose } = collect(wb);
  if (loose.length === 0) {
    throw new AppError(
      'WORKBOOK_EMPTY',
      `A planilha "${displayName}" está vazia. Esperado: o anexo "Credencial e Token.xlsx" do Itaú, com as colunas ` +
        'CLIENT ID e TOKEN preenchidas.',
    );
  }
  const mainSheet = labeled.find((c) => c.kind === 'client')?.sheet ?? wb.sheets[0]?.name;
  const where = (p: CellPos) => describePos(p, mainSheet);

  const clientsLabeled = labeled.filter((c) => c.kind === 'client');
  const clientOk = distinct(
    clientsLabeled.flatMap((c) => {
      const value = normalizeClientId(c.text);
      return value ? [{ value, c }] : [];
    }),
  );
  if (clientOk.length > 1) throw ambiguousClients(displayName, clientOk[0]!, clientOk[1]!, where);

  const tokensOf = (cs: Candidate[]) =>
    distinct(
      cs.flatMap((c) => {
        const value = normalizeToken(c.text);
        return looksLikeJwt(value) ? [{ value, c }] : [];
      }),
    );
  const subOf = (t: string) => {
    const claims = decodeJwt(t);
    return claims ? jwtSubject(claims)?.toLowerCase() : undefined;
  };
  const looseJwts = tokensOf(loose);
  let tokens = tokensOf(labeled.filter((c) => c.kind === 'token'));
  if (tokens.length === 0) tokens = looseJwts;

  let client = clientOk[0];
  if (!client) {
    const looseIds = distinct(
      loose.flatMap((c) => {
        const whole = normalizeClientId(c.text);
        const inside = whole ? [] : findUuids(c.text);
        const value = whole ?? (inside.length === 1 ? inside[0] : undefined);
        return value ? [{ value, c }] : [];
      }),
    );
    const subs = new Set(tokens.map((t) => subOf(t.value)).filter((s): s is string => !!s));
    const bySub = looseIds.filter((i) => subs.has(i.value));
    const pick = bySub.length === 1 ? bySub : looseIds;
    if (pick.length > 1) throw ambiguousClients(displayName, pick[0]!, pick[1]!, where);
    client = pick[0];
  }

  if (tokens.length > 1 && client) {
    // Tokens of other Client IDs (a sheet listing several accounts) are not candidates.
    const sameSub = tokens.filter((t) => subOf(t.value) === client?.value);
    if (sameSub.length === 1) tokens = sameSub;
  }
  if (tokens.length > 1) {
    throw new AppError(
      'TOKEN_AMBIGUOUS',
      `A planilha "${displayName}" traz mais de um token (células ${where(posOf(tokens[0]!.c))} e ` +
        `${where(posOf(tokens[1]!.c))}). Deixe na planilha só o token mais recente enviado pelo Itaú e importe de novo.`,
    );
  }
  const token = tokens[0];

  if (!token) {
    const tokenCells = labeled.filter((c) => c.kind === 'token');
    if ([...tokenCells, ...clientsLabeled, ...loose].some((c) => looksLikeOldEncryptedBlob(c.text))) {
      throw oldEncryptedDeliveryError();
    }
    if (!client && clientsLabeled.length === 0) {
      throw new AppError(
        'CREDENTIALS_NOT_FOUND',
        `Não encontrei o Client ID nem o token na planilha "${displayName}". Esperado: o anexo "Credencial e Token.xlsx" ` +
          'do Itaú, com as colunas CLIENT ID (ou CREDENCIAL) e TOKEN.',
      );
    }
    const bad = tokenCells.find((c) => normalizeToken(c.text) !== '');
    if (bad) {
      throw new AppError(
        'TOKEN_NOT_JWT',
        `O valor da coluna TOKEN (célula ${where(posOf(bad))}) da planilha "${displayName}" não é um token JWT ` +
          '(três partes separadas por ponto, começando por "eyJ"). Confira se a célula não foi cortada ou alterada; ' +
          'se o problema continuar, peça ao gerente do Itaú um novo envio.',
      );
    }
    throw new AppError(
      'TOKEN_MISSING',
      `A planilha "${displayName}" não traz o token temporário (coluna TOKEN). Peça ao gerente do Itaú o envio ` +
        'completo da planilha "Credencial e Token.xlsx".',
    );
  }

  if (!client) {
    const bad = clientsLabeled.find((c) => c.text.trim() !== '');
    if (bad) {
      const shown = echoable(bad.text);
      throw new AppError(
        'CLIENT_ID_INVALID',
        (shown === undefined
          ? `A célula ${where(posOf(bad))} da planilha "${displayName}", na coluna CLIENT ID, não traz um Client ID` +
            `${tokenLike(bad.text) ? ' (parece ser o token: confira se as colunas não foram trocadas)' : ''}: esperado um `
          : `O Client ID "${shown}" (célula ${where(posOf(bad))}) da planilha "${displayName}" não é válido: esperado um `) +
          'identificador no formato 8-4-4-4-12 (ex.: 0a1b2c3d-1234-5678-9abc-0123456789ab).',
      );
    }
    throw new AppError(
      'CLIENT_ID_MISSING',
      `A planilha "${displayName}" não traz o Client ID (coluna CLIENT ID ou CREDENCIAL). Peça ao gerente do Itaú o ` +
        'envio completo da planilha "Credencial e Token.xlsx".',
    );
  }

  const validityCands = labeled.filter((c) => c.kind === 'validity');
  const ordered = [
    ...validityCands.filter((c) => c.group !== undefined && c.group === token.c.group),
    ...validityCands.filter((c) => c.group === undefined || c.group !== token.c.group),
  ];
  const result: Located = {
    clientId: client.value,
    clientPos: posOf(client.c),
    token: token.value,
    tokenPos: posOf(token.c),
  };
  for (const c of ordered) {
    const at = validityOf(c, wb.date1904);
    if (at) {
      result.validity = { at, pos: posOf(c) };
      break;
    }
  }
  const unreadable = ordered[0];
  if (!result.validity && unreadable) result.validityUnreadable = { text: echoable(unreadable.text, 40) ?? '', pos: posOf(unreadable) };
  return result;
}

/** True when a cell's text holds (a piece of) a JWT: the start `eyJ` of its base64url JSON. */
function tokenLike(text: string): boolean {
  return /eyJ[A-Za-z0-9_-]{4,}/.test(text);
}

/**
 * A cell's text as it may be quoted in a message: trimmed, and only when it is short and holds no piece of a token
 * or of the old encrypted delivery (a token pasted in the wrong column must not be echoed, even in part).
 */
function echoable(text: string, max = 60): string | undefined {
  const t = text.trim();
  if (t.length > max || tokenLike(t) || looksLikeOldEncryptedBlob(t)) return undefined;
  return t;
}

function ambiguousClients(
  displayName: string,
  a: { value: string; c: Candidate },
  b: { value: string; c: Candidate },
  where: (p: CellPos) => string,
): AppError {
  return new AppError(
    'CLIENT_ID_AMBIGUOUS',
    `A planilha "${displayName}" traz dois Client IDs diferentes: ${a.value} (célula ${where(posOf(a.c))}) e ` +
      `${b.value} (célula ${where(posOf(b.c))}). Importe uma credencial por vez: deixe na planilha só a linha da conta ` +
      'que você está cadastrando.',
  );
}
