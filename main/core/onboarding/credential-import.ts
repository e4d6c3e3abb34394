/**
 * Import of the Itaú onboarding credential: the **Client ID** (a UUID) and the single-use **temporary token**
 * (a JWT) that the account manager e-mails in the attachment "Credencial e Token.xlsx" (see docs/itau-protocol.md, "Getting access").
 *
 * Accepted input: the workbook (`.xlsx`, `.xls`, `.ods`, recognised by content, not by name), the `.eml`
 * e-mail that carries it, or the two values pasted by hand. The token is returned once, to be stored in the
 * vault; it never appears in errors, warnings or logs (use `tokenSha256` to refer to it).
 */
import { createHash } from 'node:crypto';
import { MAX_IMPORT_BYTES, MAX_WORKBOOK_BYTES } from '../contract/limits';
import { AppError, isAppError } from '../errors';
import { describePos, locateCredential, oldEncryptedDeliveryError, type CellPos } from './credential-locate';
import { parseEml, looksLikeEml, type MimeLeaf } from './eml';
import { decodeText, inspectCfb, inspectZip, sniff } from './file-sniff';
import {
  decodeJwt,
  jwtExpiry,
  jwtLooksTruncated,
  jwtSubject,
  looksLikeDerEnvelopedData,
  looksLikeOldEncryptedBlob,
  normalizeClientId,
  normalizeToken,
  textHasOldEncryptedBlob,
} from './jwt-claims';
import { encryptedWorkbookError, readWorkbook } from './sheet-scan';
import { formatBrasilia } from './validity-dates';

/** A credential read from Itaú's delivery. */
export interface ImportedCredential {
  /** Lower-case UUID. */
  clientId: string;
  /** The temporary token. Secret and single use: store it in the vault, never log it. */
  token: string;
  /** Hex SHA-256 of the token, to refer to it in logs and UI. */
  tokenSha256: string;
  /** ISO 8601 UTC instant the token stops working. */
  tokenExpiresAt: string;
  /** Where the expiry came from: the JWT `exp`, the sheet's validity cell, or an assumed 72 hours. */
  expirySource: 'jwt' | 'sheet' | 'assumed-72h';
  /** pt-BR notes for the person importing (e.g. validity assumed). Never contain the token. */
  warnings: string[];
  source: {
    kind: 'xlsx' | 'eml' | 'paste';
    /** Name of the imported file (for an e-mail, the `.eml`). */
    fileName?: string;
    /** For an e-mail: the name of the workbook attachment that was read. */
    attachmentName?: string;
    /** Sheet holding the Client ID. */
    sheet?: string;
    /** A1 references (qualified with the sheet name when on another sheet). */
    cells?: { clientId: string; token: string; validity?: string };
  };
}

/** Largest workbook and largest file accepted (contract/limits.ts: the renderer checks the same numbers). */
export { MAX_IMPORT_BYTES, MAX_WORKBOOK_BYTES } from '../contract/limits';
/** Validity assumed when neither the JWT nor the sheet says (OpenPix's older doc: 72 hours). */
export const ASSUMED_VALIDITY_MS = 72 * 3600_000;

const EXPECTED = 'Esperado: a planilha "Credencial e Token.xlsx" enviada pelo Itaú (ou o e-mail .eml que a traz).';
const MiB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** SHA-256 (hex) of a token. */
export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function finish(
  clientId: string,
  token: string,
  sheetValidity: { at: Date } | undefined,
  now: Date,
  warnings: string[],
  source: ImportedCredential['source'],
): ImportedCredential {
  const claims = decodeJwt(token);
  if (!claims) throw new AppError('TOKEN_NOT_JWT', 'O token informado não é um token JWT válido (três partes separadas por ponto, começando por "eyJ"). Copie-o de novo, inteiro, da planilha do Itaú.');
  if (jwtLooksTruncated(token, claims)) {
    throw new AppError(
      'TOKEN_TRUNCATED',
      `O token${source.cells ? ` da célula ${source.cells.token}` : ''} está incompleto: a assinatura é mais curta que o normal. ` +
        'Planilhas no formato antigo .xls e cópias parciais cortam textos longos. Importe o arquivo .xlsx original ' +
        'do e-mail do Itaú ou copie o token inteiro.',
    );
  }
  const sub = jwtSubject(claims);
  if (sub !== undefined && sub.toLowerCase() !== clientId) {
    const other = normalizeClientId(sub);
    throw new AppError(
      'TOKEN_CLIENT_MISMATCH',
      `O token pertence a outro Client ID${other ? ` (${other})` : ''}, não ao Client ID ${clientId} informado` +
        `${source.cells ? ` na célula ${source.cells.clientId}` : ''}. Confira se a planilha é da conta certa ou peça ao ` +
        'gerente do Itaú um novo envio.',
    );
  }
  let expiresAt: Date;
  let expirySource: ImportedCredential['expirySource'];
  const exp = jwtExpiry(claims);
  if (exp) {
    expiresAt = exp;
    expirySource = 'jwt';
    if (sheetValidity && Math.abs(sheetValidity.at.getTime() - exp.getTime()) > 3600_000) {
      warnings.push(
        `A validade escrita na planilha (${formatBrasilia(sheetValidity.at)}) difere da registrada no próprio token ` +
          `(${formatBrasilia(exp)}); vale a do token.`,
      );
    }
  } else if (sheetValidity) {
    expiresAt = sheetValidity.at;
    expirySource = 'sheet';
  } else {
    expiresAt = new Date(now.getTime() + ASSUMED_VALIDITY_MS);
    expirySource = 'assumed-72h';
    warnings.push(
      `Nem o token nem a planilha informam a validade; assumimos 72 horas a partir de agora (até ${formatBrasilia(expiresAt)}). ` +
        'A validade real pode ser menor: use o token o quanto antes.',
    );
  }
  if (expiresAt.getTime() <= now.getTime()) {
    throw new AppError(
      'TOKEN_EXPIRED',
      `O token temporário expirou em ${formatBrasilia(expiresAt)}. Peça ao gerente da sua conta Itaú um novo token ` +
        '(nova planilha "Credencial e Token.xlsx") e importe-o.',
    );
  }
  if (expiresAt.getTime() - now.getTime() < 24 * 3600_000) {
    warnings.push(`O token vence em menos de 24 horas (${formatBrasilia(expiresAt)}): conclua o cadastro da conta agora.`);
  }
  return {
    clientId,
    token,
    tokenSha256: tokenSha256(token),
    tokenExpiresAt: expiresAt.toISOString(),
    expirySource,
    warnings,
    source,
  };
}

function importWorkbook(bytes: Buffer, displayName: string, now: Date): ImportedCredential {
  if (bytes.length > MAX_WORKBOOK_BYTES) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `A planilha "${displayName}" tem mais de ${MiB(MAX_WORKBOOK_BYTES)}; a do Itaú tem poucos KB. ${EXPECTED}`,
    );
  }
  const kind = sniff(bytes);
  if (kind === 'zip') {
    const z = inspectZip(bytes);
    if (z.kind === 'too-large') {
      throw new AppError('FILE_TOO_LARGE', `O conteúdo descompactado de "${displayName}" é grande demais para uma planilha de credencial. ${EXPECTED}`);
    }
    if (z.kind === 'encrypted') throw encryptedWorkbookError(displayName);
    if (z.kind === 'corrupt') {
      throw new AppError('WORKBOOK_UNREADABLE', `O arquivo "${displayName}" está corrompido ou incompleto. Baixe o anexo de novo do e-mail do Itaú. ${EXPECTED}`);
    }
    if (z.kind === 'zipped-workbook') {
      throw new AppError('FILE_NOT_WORKBOOK', `"${displayName}" é um arquivo compactado (.zip) que contém "${z.name}". Extraia a planilha e importe-a.`);
    }
    if (z.kind === 'document') {
      const what = z.what === 'docx' ? 'um documento do Word' : z.what === 'pptx' ? 'uma apresentação' : z.what === 'odt' ? 'um documento de texto' : 'um arquivo compactado (.zip) sem planilha';
      throw new AppError('FILE_NOT_WORKBOOK', `"${displayName}" é ${what}, não uma planilha. ${EXPECTED}`);
    }
  } else if (kind === 'cfb') {
    const c = inspectCfb(bytes);
    if (c === 'encrypted') throw encryptedWorkbookError(displayName);
    if (c === 'outlook-msg') {
      throw new AppError(
        'FILE_IS_OUTLOOK_MSG',
        `"${displayName}" é uma mensagem do Outlook (.msg). Abra o e-mail e salve o anexo "Credencial e Token.xlsx" ` +
          '(ou salve o e-mail como .eml) e importe esse arquivo.',
      );
    }
    if (c !== 'xls') throw new AppError('FILE_NOT_WORKBOOK', `"${displayName}" é um documento do Office que não é uma planilha. ${EXPECTED}`);
  } else {
    if (kind === 'pkcs7' || (kind === 'text' && textHasOldEncryptedBlob(decodeText(bytes)))) throw oldEncryptedDeliveryError();
    throw new AppError('FILE_NOT_WORKBOOK', `"${displayName}" não é uma planilha do Excel. ${EXPECTED}`);
  }
  const located = locateCredential(readWorkbook(bytes, displayName), displayName);
  const mainSheet = located.clientPos.sheet;
  const ref = (p: CellPos) => describePos(p, mainSheet);
  const warnings: string[] = [];
  if (located.validityUnreadable && !located.validity) {
    warnings.push(
      `Não entendi a validade${located.validityUnreadable.text ? ` "${located.validityUnreadable.text}"` : ''} (célula ${ref(located.validityUnreadable.pos)}); ` +
        'esperado dd/mm/aaaa hh:mm.',
    );
  }
  const cells: NonNullable<ImportedCredential['source']['cells']> = {
    clientId: ref(located.clientPos),
    token: ref(located.tokenPos),
  };
  if (located.validity) cells.validity = ref(located.validity.pos);
  return finish(located.clientId, located.token, located.validity, now, warnings, {
    kind: 'xlsx',
    fileName: displayName,
    sheet: mainSheet,
    cells,
  });
}

const SHEET_TYPES = /spreadsheet|excel|opendocument\.spreadsheet|ms-excel/;

function importEmail(bytes: Buffer, fileName: string, now: Date): ImportedCredential {
  const leaves = parseEml(bytes);
  const sheets: MimeLeaf[] = [];
  const others: string[] = [];
  let encrypted = false;
  for (const leaf of leaves) {
    const name = leaf.fileName ?? '';
    const k = leaf.body.length > 0 ? sniff(leaf.body) : 'text';
    const isSheetName = /\.(xlsx|xlsm|xlsb|xls|ods)$/i.test(name);
    if (isSheetName || SHEET_TYPES.test(leaf.contentType) || (k === 'zip' && inspectZip(leaf.body).kind === 'workbook') || (k === 'cfb' && inspectCfb(leaf.body) !== 'other')) {
      sheets.push(leaf);
      continue;
    }
    if (/pkcs7-mime|pgp-encrypted/.test(leaf.contentType) || /\.(p7m|p7|enc|gpg|pgp)$/i.test(name) || looksLikeDerEnvelopedData(leaf.body)) {
      encrypted = true;
    } else if (name !== '' && k === 'text' && textHasOldEncryptedBlob(decodeText(leaf.body))) {
      encrypted = true;
    }
    if (name !== '') others.push(name);
  }
  if (sheets.length === 0) {
    if (encrypted) throw oldEncryptedDeliveryError();
    throw new AppError(
      'EML_NO_ATTACHMENT',
      `O e-mail "${fileName}" não traz a planilha "Credencial e Token.xlsx"` +
        `${others.length ? ` (anexos encontrados: ${others.slice(0, 5).join(', ')})` : ' (nenhum anexo encontrado)'}. ` +
        'Importe o e-mail do Itaú "Manual e Boas Vindas - PIX" que traz a planilha, ou a própria planilha.',
    );
  }
  const preferred = [...sheets].sort(
    (a, b) => Number(/credencial|token/i.test(b.fileName ?? '')) - Number(/credencial|token/i.test(a.fileName ?? '')),
  );
  const results: ImportedCredential[] = [];
  let firstError: unknown;
  for (const leaf of preferred.slice(0, 5)) {
    const name = leaf.fileName ?? 'anexo sem nome';
    try {
      const r = importWorkbook(leaf.body, name, now);
      r.source = { ...r.source, kind: 'eml', fileName, attachmentName: name };
      results.push(r);
    } catch (e) {
      firstError ??= e;
    }
  }
  const ids = [...new Set(results.map((r) => r.clientId))];
  if (ids.length > 1) {
    throw new AppError(
      'CLIENT_ID_AMBIGUOUS',
      `O e-mail "${fileName}" traz planilhas de dois Client IDs diferentes (${ids[0]} e ${ids[1]}). Importe a planilha da conta que você está cadastrando.`,
    );
  }
  if (results[0]) return results[0];
  throw firstError;
}

function importText(bytes: Buffer, fileName: string, now: Date): ImportedCredential {
  const text = decodeText(bytes);
  if (looksLikeEml(text)) return importEmail(bytes, fileName, now);
  if (textHasOldEncryptedBlob(text)) throw oldEncryptedDeliveryError();
  const head = text.slice(0, 4096).trimStart().toLowerCase();
  if (head.startsWith('<') && /<html|<table|urn:schemas-microsoft-com:office:spreadsheet|<\?xml/.test(head)) {
    throw new AppError(
      'FILE_NOT_WORKBOOK',
      `"${fileName}" é uma página HTML/XML, não uma planilha do Excel. Se ela veio do Itaú, abra-a no Excel, salve como ` +
        `"Pasta de Trabalho do Excel (.xlsx)" e importe a cópia. ${EXPECTED}`,
    );
  }
  const csv = /[;,\t]/.test(text.split(/\r?\n/, 1)[0] ?? '');
  throw new AppError(
    'FILE_IS_TEXT',
    `"${fileName}" é um arquivo de texto${csv ? ' (CSV)' : ''}, não uma planilha do Excel. ${EXPECTED}`,
  );
}

/**
 * Import the credential from a file: the workbook (xlsx/xls/ods) or the `.eml` e-mail that carries it,
 * recognised by content. Throws AppError (pt-BR message saying what was expected) for anything else: PDF,
 * image, CSV/text, encrypted workbook, zip without a workbook, empty sheet, file too large, missing or
 * ambiguous values, a token of another Client ID (`TOKEN_CLIENT_MISMATCH`), an expired token
 * (`TOKEN_EXPIRED`), the older encrypted delivery (`OLD_ENCRYPTED_DELIVERY`).
 */
export function importCredentialFile(bytes: Buffer, fileName: string, now: Date = new Date()): ImportedCredential {
  const name = (fileName.split(/[\\/]/).pop() ?? '').trim() || 'arquivo';
  try {
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes as Uint8Array);
    if (b.length === 0) throw new AppError('FILE_EMPTY', `O arquivo "${name}" está vazio. ${EXPECTED}`);
    if (b.length > MAX_IMPORT_BYTES) {
      throw new AppError('FILE_TOO_LARGE', `O arquivo "${name}" tem mais de ${MiB(MAX_IMPORT_BYTES)}. ${EXPECTED}`);
    }
    const kind = sniff(b);
    switch (kind) {
      case 'zip':
      case 'cfb':
        return importWorkbook(b, name, now);
      case 'text':
        return importText(b, name, now);
      case 'pdf':
        throw new AppError('FILE_IS_PDF', `"${name}" é um PDF (talvez o manual do e-mail do Itaú), não a planilha. ${EXPECTED}`);
      case 'image':
        throw new AppError('FILE_IS_IMAGE', `"${name}" é uma imagem, não a planilha: o PixDesk não lê fotos ou capturas de tela. ${EXPECTED}`);
      case 'pkcs7':
        throw oldEncryptedDeliveryError();
      default:
        if (looksLikeEml(b.subarray(0, 16_384).toString('latin1'))) return importEmail(b, name, now);
        if (/\.(p7m|p7|enc|gpg|pgp)$/i.test(name)) throw oldEncryptedDeliveryError();
        throw new AppError('FILE_NOT_WORKBOOK', `"${name}" não é uma planilha nem um e-mail .eml. ${EXPECTED}`);
    }
  } catch (e) {
    if (isAppError(e)) throw e;
    throw new AppError('IMPORT_INTERNAL', `Não foi possível ler "${name}" por um erro interno. ${EXPECTED}`);
  }
}

/**
 * Import a Client ID and token typed or pasted by hand. Tolerates spaces, quotes, line breaks, a `Bearer `
 * prefix and the two fields swapped (with a warning). Same checks and errors as {@link importCredentialFile}.
 */
export function importCredentialPaste(clientId: string, token: string, now: Date = new Date()): ImportedCredential {
  let id = normalizeClientId(clientId ?? '');
  let tok = normalizeToken(token ?? '');
  const warnings: string[] = [];
  if (!id && normalizeClientId(token ?? '') && decodeJwt(normalizeToken(clientId ?? ''))) {
    id = normalizeClientId(token);
    tok = normalizeToken(clientId);
    warnings.push('O Client ID e o token estavam trocados nos campos; foram corrigidos.');
  }
  if (tok !== '' && !decodeJwt(tok) && looksLikeOldEncryptedBlob(tok)) throw oldEncryptedDeliveryError();
  if (!id) {
    throw new AppError(
      (clientId ?? '').trim() === '' ? 'CLIENT_ID_MISSING' : 'CLIENT_ID_INVALID',
      'Informe o Client ID enviado pelo Itaú: um identificador no formato 8-4-4-4-12 (ex.: 0a1b2c3d-1234-5678-9abc-0123456789ab).',
    );
  }
  if (tok === '') throw new AppError('TOKEN_MISSING', 'Informe o token temporário enviado pelo Itaú (coluna TOKEN da planilha).');
  return finish(id, tok, undefined, now, warnings, { kind: 'paste' });
}
