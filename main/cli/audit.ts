import fs from 'node:fs';
import { auditCsv, type AuditEntry } from '../core/audit/audit-log';
import { AppError } from '../core/errors';
import { withPrivateUmask } from '../core/profile';
import { parseOptions, type CliCommand } from './args';
import { withCore } from './profile-core';

const VERIFY_USAGE = 'pixdesk audit verify [--profile DIR] [--json]';
const LIST_USAGE = 'pixdesk audit list [--limit N] [--before SEQ] [--action ACAO] [--profile DIR] [--json]';
const EXPORT_USAGE = 'pixdesk audit export [--out ARQUIVO.csv] [--profile DIR]   (sem --out: CSV na saída padrão)';

const dateFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'medium' });

function line(e: AuditEntry): string {
  const details = Object.keys(e.details).length ? ` ${JSON.stringify(e.details)}` : '';
  return `#${e.seq}  ${dateFmt.format(new Date(e.at))}  ${e.actor}  ${e.action}${e.subject ? `  ${e.subject}` : ''}${details}`;
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new AppError('CLI_USAGE', `--${flag} deve ser um número inteiro maior que zero.`);
  return n;
}

/** `pixdesk audit …`: check the hash chain, read and export the audit log of a profile. */
export const auditCommands: CliCommand[] = [
  {
    path: 'audit verify',
    summary: 'confere a cadeia de hashes do log de auditoria (código 1 se quebrada)',
    usage: VERIFY_USAGE,
    run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, VERIFY_USAGE);
      return withCore(values.profile, (core) => {
        const v = core.audit.verify();
        if (values.json) io.out(JSON.stringify(v, null, 2));
        else if (v.ok) io.out(`Log de auditoria íntegro: ${v.entries} entradas, cadeia de hashes e fim lacrado conferem.`);
        if (!v.ok) {
          io.err(`erro: log de auditoria adulterado — primeira entrada quebrada: ${v.seq}: ${v.problem}. Guarde uma cópia do perfil como está e avise o responsável; as entradas seguintes não são confiáveis.`);
          return 1;
        }
        return 0;
      }, io);
    },
  },
  {
    path: 'audit list',
    summary: 'lista o log de auditoria (mais recentes primeiro)',
    usage: LIST_USAGE,
    run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' }, before: { type: 'string' }, action: { type: 'string' } }, LIST_USAGE);
      const limit = positiveInt(values.limit, 'limit') ?? 50;
      const beforeSeq = positiveInt(values.before, 'before');
      return withCore(values.profile, (core) => {
        const page = core.audit.page({ limit, beforeSeq, action: values.action });
        if (values.json) io.out(JSON.stringify(page, null, 2));
        else {
          if (page.items.length === 0) io.out('Nenhuma entrada no log de auditoria.');
          for (const e of page.items) io.out(line(e));
          if (page.nextBefore !== null) io.out(`(mais antigas: --before ${page.nextBefore})`);
        }
        return 0;
      }, io);
    },
  },
  {
    path: 'audit export',
    summary: 'exporta o log de auditoria em CSV',
    usage: EXPORT_USAGE,
    run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, out: { type: 'string' } }, EXPORT_USAGE);
      return withCore(values.profile, (core) => {
        const csv = auditCsv(core.audit.all());
        if (values.out) {
          withPrivateUmask(() => fs.writeFileSync(values.out as string, csv, { flag: 'wx' }));
          io.out(`Log de auditoria exportado para ${values.out}.`);
        } else io.out(csv.trimEnd());
        return 0;
      }, io);
    },
  },
];
