import { parsePixKey } from '../core/brcode';
import type { AccountSummary } from '../core/contract';
import { AppError } from '../core/errors';
import { parseOptions, required, type CliCommand } from './args';
import { callOp } from './charges';
import { withCore } from './profile-core';

const ADD_USAGE = 'pixdesk accounts keys add --account ID CHAVE [--profile DIR] [--json]';
const REMOVE_USAGE = 'pixdesk accounts keys remove --account ID CHAVE [--profile DIR] [--json]';

/** `--pix-key` values of `accounts add`, normalised to the directory format (a bad key fails before anything runs). */
export function pixKeysOption(values: string[] | undefined): string[] {
  return [...new Set((values ?? []).map((k) => parsePixKey(k).key))];
}

function keysLine(a: AccountSummary): string {
  return a.pixKeys.length ? `Chaves Pix de "${a.name}" (a primeira é a usada quando a cobrança não indica outra):\n${a.pixKeys.map((k) => `  ${k}`).join('\n')}` : `A conta "${a.name}" está sem chaves Pix.`;
}

const keyCommand = (path: string, usage: string, summary: string, op: 'accounts:addPixKey' | 'accounts:removePixKey'): CliCommand => ({
  path,
  summary,
  usage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { account: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } }, usage);
    if (positionals.length !== 1) throw new AppError('CLI_USAGE', `Informe uma chave Pix.\nUso: ${usage}`);
    const account = required(values.account, 'account');
    const a = await withCore(values.profile, (core) => callOp(core, op, { id: account, key: positionals[0] }));
    io.out(values.json ? JSON.stringify(a, null, 2) : keysLine(a));
    return 0;
  },
});

export const accountKeyCommands: CliCommand[] = [
  keyCommand('accounts keys add', ADD_USAGE, 'adiciona uma chave Pix à conta (a chave deve estar registrada no Itaú)', 'accounts:addPixKey'),
  keyCommand('accounts keys remove', REMOVE_USAGE, 'remove uma chave Pix da conta', 'accounts:removePixKey'),
];
