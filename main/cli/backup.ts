import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_PASSPHRASE_MIN } from '../core/contract/limits';
import type { BackupRestoreView } from '../core/contract/types';
import { AppError } from '../core/errors';
import { parseOptions, required, type CliCommand, type CliIo } from './args';
import { readBoundedFile } from './bounded-read';
import { withCore } from './profile-core';
import { askHidden } from './unlock';

const CREATE_USAGE =
  'pixdesk backup create --out ARQUIVO.pixdesk-backup [--passphrase-file ARQ] [--profile DIR] [--json]   (sem --passphrase-file: a senha é digitada duas vezes no terminal)';
const RESTORE_USAGE = 'pixdesk backup restore ARQUIVO.pixdesk-backup [--passphrase-file ARQ] [--replace [--yes]] [--profile DIR] [--json]';

const mb = (n: number) => `${(n / 1048576).toLocaleString('pt-BR', { maximumFractionDigits: 1 })} MB`;
const int = (n: number) => n.toLocaleString('pt-BR');

/** A passphrase on the command line would sit in the shell history and the process list: refused by name. */
function refusePlainPassphrase(argv: string[]): void {
  if (argv.some((a) => a === '--passphrase' || a.startsWith('--passphrase='))) {
    throw new AppError(
      'CLI_USAGE',
      'A senha do backup não é aceita na linha de comando (ficaria no histórico do shell e na lista de processos). Use --passphrase-file ARQUIVO (só a senha, numa linha) ou digite-a quando for pedida.',
    );
  }
}

/**
 * The backup's passphrase: the first line of `--passphrase-file` (read bounded, like every file the CLI is given), or
 * typed without echo on a terminal — twice when creating, so a typo does not lock the backup forever.
 */
async function passphrase(file: string | undefined, confirm: boolean, io: CliIo): Promise<string> {
  if (file) {
    if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) io.err(`aviso: ${file} pode ser lido por outros usuários deste computador; restrinja-o com: chmod 600 "${file}"`);
    const text = (await readBoundedFile(file, { maxBytes: 4096 })).toString('utf8');
    const first = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
    if (!first) throw new AppError('CLI_USAGE', `O arquivo ${file} está vazio: ponha a senha do backup na primeira linha.`);
    return first;
  }
  if (!process.stdin.isTTY) throw new AppError('CLI_USAGE', 'Informe a senha do backup com --passphrase-file ARQUIVO, ou rode o comando num terminal para digitá-la.');
  const a = await askHidden(confirm ? `Senha do backup (mínimo ${BACKUP_PASSPHRASE_MIN} caracteres; sem ela o backup não abre): ` : 'Senha do backup: ', io);
  if (!a) throw new AppError('CANCELLED', 'Cancelado.');
  if (confirm) {
    const b = await askHidden('Repita a senha do backup: ', io);
    if (a !== b) throw new AppError('CLI_USAGE', 'As senhas digitadas não conferem. Nada foi feito.');
  }
  return a;
}

function restoredText(r: BackupRestoreView): string[] {
  const lines = [
    `Backup de ${new Date(r.createdAt).toLocaleString('pt-BR', { timeZone: 'America/Sao_Paulo' })} (PixDesk ${r.appVersion}) restaurado${r.replaced ? ', substituindo o histórico deste perfil' : ''}:`,
    `  ${int(r.restored.charges ?? 0)} cobranças, ${int(r.restored.received_pix ?? 0)} Pix recebidos, ${int(r.restored.refunds ?? 0)} devoluções, ${int(r.restored.users ?? 0)} pessoas, ${int(r.restored.api_apps ?? 0)} apps de API; log de auditoria com ${int(r.auditEntries)} entradas, íntegro.`,
  ];
  if (r.accountsToOnboard.length) {
    lines.push('Refaça o onboarding destas contas com um token novo do Itaú (certificados, chaves e segredos não vão no backup):');
    for (const a of r.accountsToOnboard) lines.push(`  - ${a.name} (Client ID ${a.clientId}, ${a.environment === 'production' ? 'produção' : 'sandbox'})`);
  }
  if (r.appsNeedingAppId) lines.push(`${r.appsNeedingAppId} app(s) de API precisam de um AppID novo: pixdesk apps regenerate ID (o antigo não é aceito neste perfil).`);
  return lines;
}

/** `pixdesk backup create|restore`: the encrypted backup of the non-secret data (docs/backup.md). */
export const backupCommands: CliCommand[] = [
  {
    path: 'backup create',
    summary: 'cria um backup cifrado (senha própria) dos dados não secretos do perfil',
    usage: CREATE_USAGE,
    async run(argv, io) {
      refusePlainPassphrase(argv);
      const { values, positionals } = parseOptions(argv, { out: { type: 'string' }, 'passphrase-file': { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } }, CREATE_USAGE);
      if (positionals.length) throw new AppError('CLI_USAGE', `Argumento inesperado: ${positionals[0]}\nUso: ${CREATE_USAGE}`);
      const out = path.resolve(required(values.out, 'out'));
      if (!fs.existsSync(path.dirname(out))) throw new AppError('CLI_USAGE', `A pasta de ${out} não existe. Crie a pasta ou escolha outro --out.`);
      if (fs.existsSync(out)) throw new AppError('CLI_USAGE', `Já existe um arquivo em ${out}. Escolha outro nome: o PixDesk não sobrescreve backups.`);
      const pass = await passphrase(values['passphrase-file'], true, io);
      if (pass.length < BACKUP_PASSPHRASE_MIN) throw new AppError('BACKUP_PASSPHRASE_WEAK', `A senha do backup precisa ter pelo menos ${BACKUP_PASSPHRASE_MIN} caracteres. Nada foi feito.`);
      let shown = 0;
      const r = await withCore(values.profile, (core) =>
        core.backups.create(out, pass, 'shell:cli', {
          progress: (rows, total) => {
            const tenth = total ? Math.floor((rows * 10) / total) : 10;
            if (!values.json && tenth > shown && tenth < 10) {
              shown = tenth;
              io.err(`backup: ${int(rows)} de ${int(total)} registros…`);
            }
          },
        }),
      io);
      if (values.json) io.out(JSON.stringify(r, null, 2));
      else {
        io.out(`Backup criado em ${r.file}: ${int(r.rows)} registros (${int(r.tables.charges ?? 0)} cobranças), ${mb(r.bytes)}. SHA-256 ${r.sha256}.`);
        io.out('Guarde a senha: sem ela o backup não abre. Certificados, chaves privadas, segredos e tokens não vão no backup; ao restaurar em outra máquina, refaça o onboarding das contas com um token novo do Itaú.');
      }
      return 0;
    },
  },
  {
    path: 'backup restore',
    summary: 'restaura um backup cifrado neste perfil (perfil novo, ou --replace para substituir o histórico)',
    usage: RESTORE_USAGE,
    async run(argv, io) {
      refusePlainPassphrase(argv);
      const { values, positionals } = parseOptions(
        argv,
        { 'passphrase-file': { type: 'string' }, replace: { type: 'boolean' }, yes: { type: 'boolean' }, profile: { type: 'string' }, json: { type: 'boolean' } },
        RESTORE_USAGE,
      );
      if (positionals.length !== 1) throw new AppError('CLI_USAGE', `Informe um arquivo de backup.\nUso: ${RESTORE_USAGE}`);
      const file = path.resolve(positionals[0]!);
      if (!fs.existsSync(file)) throw new AppError('FILE_NOT_FOUND', `Arquivo não encontrado: ${file}`);
      if (values.yes && !values.replace) throw new AppError('CLI_USAGE', '--yes só vale junto com --replace.');
      if (values.replace && !values.yes) {
        if (!process.stdin.isTTY) throw new AppError('CLI_USAGE', '--replace apaga o histórico deste perfil: confirme com --yes, ou rode num terminal para confirmar digitando.');
        const typed = await askHidden('Isto APAGA as cobranças, Pix e devoluções deste perfil e põe as do backup. Digite SUBSTITUIR para continuar: ', io);
        if (typed !== 'SUBSTITUIR') throw new AppError('CANCELLED', 'Cancelado: nada foi alterado.');
      }
      const pass = await passphrase(values['passphrase-file'], false, io);
      const r = await withCore(values.profile, (core) => core.backups.restore(file, pass, 'shell:cli', { replace: values.replace === true }), io);
      if (values.json) io.out(JSON.stringify(r, null, 2));
      else for (const l of restoredText(r)) io.out(l);
      return 0;
    },
  },
];
