import path from 'node:path';
import { AppError } from '../core/errors';
import { importCredentialFile, MAX_IMPORT_BYTES, type ImportedCredential } from '../core/onboarding/credential-import';
import { formatBrasilia } from '../core/onboarding/validity-dates';
import { parseOptions, type CliCommand } from './args';
import { readBoundedFile } from './bounded-read';

const INSPECT_USAGE = 'pixdesk excel inspect FILE [--json]';

/** What `excel inspect` shows: everything but the token itself. */
export function inspectView(c: ImportedCredential) {
  return {
    clientId: c.clientId,
    tokenSha256: c.tokenSha256,
    tokenExpiresAt: c.tokenExpiresAt,
    expirySource: c.expirySource,
    warnings: c.warnings,
    source: {
      kind: c.source.kind,
      fileName: c.source.fileName,
      ...(c.source.attachmentName ? { attachmentName: c.source.attachmentName } : {}),
      sheet: c.source.sheet,
      cells: c.source.cells,
    },
  };
}

const EXPIRY_SOURCE: Record<ImportedCredential['expirySource'], string> = {
  jwt: 'informada no token',
  sheet: 'informada na planilha',
  'assumed-72h': 'presumida (72 horas)',
};

function readable(c: ImportedCredential): string {
  const cells = c.source.cells;
  const lines = [
    `Arquivo:        ${c.source.fileName ?? '-'}${c.source.attachmentName ? ` (anexo "${c.source.attachmentName}")` : ''}`,
    `Aba:            ${c.source.sheet ?? '-'}`,
    `Client ID:      ${c.clientId}${cells ? ` (célula ${cells.clientId})` : ''}`,
    `Token:          SHA-256 ${c.tokenSha256}${cells ? ` (célula ${cells.token})` : ''}`,
    `Validade:       ${formatBrasilia(new Date(c.tokenExpiresAt))}, ${EXPIRY_SOURCE[c.expirySource]}${cells?.validity ? ` (célula ${cells.validity})` : ''}`,
  ];
  for (const w of c.warnings) lines.push(`Aviso: ${w}`);
  return lines.join('\n');
}

/** `pixdesk excel …`: reading Itaú's "Credencial e Token.xlsx" without revealing the token. */
export const excelCommands: CliCommand[] = [
  {
    path: 'excel inspect',
    summary: 'lê a planilha "Credencial e Token.xlsx" do Itaú',
    usage: INSPECT_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { json: { type: 'boolean' } }, INSPECT_USAGE);
      if (positionals.length !== 1) {
        throw new AppError('CLI_USAGE', `Informe um arquivo (.xlsx, .xls, .ods ou .eml).\nUso: ${INSPECT_USAGE}`);
      }
      const file = positionals[0]!;
      const cred = importCredentialFile(await readBoundedFile(file, { maxBytes: MAX_IMPORT_BYTES }), path.basename(file));
      io.out(values.json ? JSON.stringify(inspectView(cred), null, 2) : readable(cred));
      return 0;
    },
  },
];
