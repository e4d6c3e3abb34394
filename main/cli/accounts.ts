import path from 'node:path';
import type { AccountSummary } from '../core/contract';
import { AppError } from '../core/errors';
import { tokenHost } from '../core/onboarding/token-destination';
import { MAX_IMPORT_BYTES } from '../core/onboarding/credential-import';
import { parseOptions, required, type CliCommand } from './args';
import { readBoundedFile } from './bounded-read';
import { withCore } from './profile-core';
import { pixKeysOption } from './account-keys';

const ADD_USAGE =
  'pixdesk accounts add --excel FILE --company C --city L --state UF [--name N] [--env sandbox|production] [--sts-url URL] [--pix-url URL] [--ca-file PEM] [--renewal-path v1|v2] [--pix-key K]… [--profile DIR] [--json]';
const LIST_USAGE = 'pixdesk accounts list [--profile DIR] [--json]';

const dateFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'short' });

/** Readable pt-BR summary of an account (also used by `onboarding resume`). */
export function describeAccount(a: AccountSummary): string {
  return [
    `${a.name}${a.isDefault ? ' (padrão)' : ''}${a.active ? '' : ' [desativada]'} — ${a.environment === 'sandbox' ? 'SANDBOX' : 'PRODUÇÃO'}`,
    `  id: ${a.id}`,
    `  client id: ${a.clientId}`,
    `  certificado v${a.certificate.version}: ${a.certificate.subject}`,
    `  série ${a.certificate.serial}, válido até ${dateFmt.format(new Date(a.certificate.notAfter))} (${a.renewal.daysLeft} dias)`,
    `  chaves Pix: ${a.pixKeys.length ? a.pixKeys.join(', ') : 'nenhuma'}`,
    `  renovação: ${a.renewal.state}${a.renewal.lastError ? ` — ${a.renewal.lastError.message}` : ''}`,
  ].join('\n');
}

/** The PEM of --ca-file (a CA certificate is a few KB: 64 KB is plenty). */
async function readCaFile(file: string | undefined): Promise<string | null> {
  if (!file) return null;
  const pem = (await readBoundedFile(file, { maxBytes: 64 * 1024 })).toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new AppError('CLI_USAGE', 'O arquivo de --ca-file deve conter um certificado PEM.');
  return pem;
}

export const accountsCommands: CliCommand[] = [
  {
    path: 'accounts add',
    summary: 'cadastra uma conta Itaú a partir da planilha do banco',
    usage: ADD_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(
        argv,
        {
          excel: { type: 'string' }, company: { type: 'string' }, city: { type: 'string' }, state: { type: 'string' },
          name: { type: 'string' }, env: { type: 'string' }, 'sts-url': { type: 'string' }, 'pix-url': { type: 'string' },
          'ca-file': { type: 'string' }, 'renewal-path': { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' },
          'pix-key': { type: 'string', multiple: true },
        },
        ADD_USAGE,
      );
      const excel = required(values.excel, 'excel');
      const env = values.env ?? 'sandbox';
      if (env !== 'sandbox' && env !== 'production') throw new AppError('CLI_USAGE', '--env deve ser sandbox ou production.');
      const renewalPath = values['renewal-path'] ?? 'v1';
      if (renewalPath !== 'v1' && renewalPath !== 'v2') throw new AppError('CLI_USAGE', '--renewal-path deve ser v1 ou v2.');
      for (const flag of ['sts-url', 'pix-url'] as const) {
        const u = values[flag];
        if (u !== undefined && !/^https:\/\/[^\s]+$/.test(u)) throw new AppError('CLI_USAGE', `--${flag} deve ser um endereço https://.`);
      }
      const bytes = await readBoundedFile(excel, { maxBytes: MAX_IMPORT_BYTES });
      const company = required(values.company, 'company');
      const pixKeys = pixKeysOption(values['pix-key']);
      const caPem = await readCaFile(values['ca-file']);
      const summary = await withCore(values.profile, async (core) => {
        const session = core.onboarding.importFile(bytes, path.basename(excel));
        for (const w of session.warnings) io.err(`aviso: ${w}`);
        const overrides = { stsUrl: values['sts-url'] ?? null, pixUrl: values['pix-url'] ?? null, extraCaPem: caPem };
        const host = tokenHost(overrides.stsUrl, overrides.pixUrl);
        if (host || overrides.extraCaPem) {
          // The same explicit act as the interface's confirmation: the flags name the destination, and we say it.
          core.onboarding.setEndpoints(session.id, { ...overrides, confirmHost: host ?? undefined }, 'cli');
          io.err(`O token temporário será enviado para ${host ?? '?'} (endereço dado em --sts-url/--pix-url).`);
        }
        const done = await core.onboarding.run(session.id, {
          name: values.name ?? company,
          company,
          city: required(values.city, 'city'),
          state: required(values.state, 'state'),
          environment: env,
          renewalPath,
          ...(pixKeys.length ? { pixKeys } : {}),
        });
        const h = core.handlers();
        const list = await h['accounts:list']({});
        const acc = list.find((a) => a.id === done.accountId);
        if (!acc) throw new AppError('INTERNAL', 'A conta não foi encontrada após o onboarding.');
        return acc;
      }, io);
      io.out(values.json ? JSON.stringify(summary, null, 2) : `Conta cadastrada.\n${describeAccount(summary)}`);
      return 0;
    },
  },
  {
    path: 'accounts list',
    summary: 'lista as contas com a validade dos certificados',
    usage: LIST_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, LIST_USAGE);
      const list = await withCore(values.profile, (core) => core.handlers()['accounts:list']({}), io);
      if (values.json) io.out(JSON.stringify(list, null, 2));
      else io.out(list.length ? list.map(describeAccount).join('\n\n') : 'Nenhuma conta cadastrada. Use "pixdesk accounts add --excel …".');
      return 0;
    },
  },
];
