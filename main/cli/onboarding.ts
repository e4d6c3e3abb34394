import type { AccountSummary, OnboardingView } from '../core/contract';
import { AppError } from '../core/errors';
import { parseOptions, type CliCommand } from './args';
import { describeAccount } from './accounts';
import { withCore } from './profile-core';

const LIST_USAGE = 'pixdesk onboarding list [--profile DIR] [--json]';
const RESUME_USAGE = 'pixdesk onboarding resume ID [--profile DIR] [--json]';

const dateFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'short' });

const STEP: Record<OnboardingView['step'], string> = {
  imported: 'planilha importada (faltam os dados da empresa)',
  prepared: 'chave e CSR gerados',
  requesting: 'solicitação enviada ao Itaú',
  response_stored: 'certificado recebido',
  account_created: 'conta criada (falta o primeiro access token)',
  done: 'concluído',
  failed: 'falhou',
  discarded: 'descartado',
};

function describeSession(s: OnboardingView): string {
  return [
    `${s.id} — ${STEP[s.step]}`,
    `  client id: ${s.clientId}, importado em ${dateFmt.format(new Date(s.createdAt))}`,
    s.error ? `  erro: ${s.error.message}` : null,
    s.resumeHint ? `  ${s.resumeHint}` : null,
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}

/** `pixdesk onboarding …`: interrupted onboardings (a killed `accounts add`, a crash, the bank unreachable). */
export const onboardingCommands: CliCommand[] = [
  {
    path: 'onboarding list',
    summary: 'lista os cadastros de conta interrompidos',
    usage: LIST_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, LIST_USAGE);
      const open = await withCore(values.profile, (core) => core.onboarding.listOpen(), io);
      if (values.json) io.out(JSON.stringify(open, null, 2));
      else io.out(open.length ? open.map(describeSession).join('\n\n') : 'Nenhum cadastro interrompido.');
      return 0;
    },
  },
  {
    path: 'onboarding resume',
    summary: 'conclui um cadastro interrompido a partir do que ficou guardado',
    usage: RESUME_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, RESUME_USAGE);
      const id = positionals[0];
      if (positionals.length !== 1 || !id) throw new AppError('CLI_USAGE', `Informe o id do cadastro (veja "pixdesk onboarding list").\nUso: ${RESUME_USAGE}`);
      const summary = await withCore(values.profile, async (core): Promise<AccountSummary> => {
        const s = core.onboarding.get(id);
        if (s.step === 'imported' || (s.step === 'failed' && !s.phases.some((p) => p.name === 'key' && p.state === 'done'))) {
          throw new AppError(
            'ONBOARDING_INPUT',
            'Este cadastro parou antes de gerar o certificado: não há o que retomar. Rode "pixdesk accounts add" com a mesma planilha e os dados da empresa.',
          );
        }
        // The stored form, key, CSR and destination are used as they are: nothing here can change them.
        const done = await core.onboarding.run(id);
        const acc = (await core.handlers()['accounts:list']({})).find((a) => a.id === done.accountId);
        if (!acc) throw new AppError('INTERNAL', 'A conta não foi encontrada após o onboarding.');
        return acc;
      }, io);
      io.out(values.json ? JSON.stringify(summary, null, 2) : `Cadastro concluído.\n${describeAccount(summary)}`);
      return 0;
    },
  },
];
