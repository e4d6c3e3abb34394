import { isAppError } from '../core/errors';
import { logErrorTo } from '../core/log';
import { resolveProfileDir } from '../core/profile';
import { processIo, type CliCommand, type CliIo } from './args';
import { sandboxCommands } from './sandbox';
import { excelCommands } from './excel';
import { brcodeCommands } from './brcode';
import { accountsCommands } from './accounts';
import { accountKeyCommands } from './account-keys';
import { chargesCommands } from './charges';
import { vaultCommands } from './vault';
import { onboardingCommands } from './onboarding';
import { appsCommands } from './apps';
import { auditCommands } from './audit';
import { backupCommands } from './backup';

/**
 * Every command of the `pixdesk` CLI, as `--help` lists them. Only commands that work are listed: a feature
 * adds its commands here when it lands. The longest matching path wins ("sandbox serve" over "sandbox").
 */
export const commands: CliCommand[] = [...excelCommands, ...brcodeCommands, ...accountsCommands, ...sandboxCommands, ...chargesCommands, ...accountKeyCommands, ...vaultCommands, ...onboardingCommands, ...appsCommands, ...auditCommands, ...backupCommands];

/** The `--profile DIR` of a command line, read loosely (the command's own parser may never have run). */
function profileFlag(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--profile') return argv[i + 1];
    if (a.startsWith('--profile=')) return a.slice('--profile='.length);
  }
  return undefined;
}

function help(): string {
  const lines = ['PixDesk — linha de comando', '', 'Uso: pixdesk <comando> [opções]   (--profile DIR em comandos que usam o perfil)', ''];
  for (const c of commands) lines.push(`  ${c.path.padEnd(22)} ${c.summary}`);
  lines.push('', 'Use --json para saída em JSON. Erros saem em stderr numa linha e com código diferente de zero.');
  return lines.join('\n');
}

/** Entry point, separate from process wiring so tests can call it. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(help());
    return 0;
  }
  const match = commands
    .filter((c) => {
      const parts = c.path.split(' ');
      return parts.every((p, i) => argv[i] === p);
    })
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!match) {
    io.err(`Comando desconhecido: ${argv.slice(0, 2).join(' ')}. Veja "pixdesk --help".`);
    return 2;
  }
  const rest = argv.slice(match.path.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Uso: ${match.usage}`);
    return 0;
  }
  try {
    return await match.run(rest, io);
  } catch (e) {
    if (isAppError(e)) {
      io.err(`erro: ${e.message.replace(/\n/g, ' ')}`);
      return e.code === 'CLI_USAGE' ? 2 : 1;
    }
    // A bug, not bad input: the profile's log keeps the stack and cause; stderr keeps its one line.
    const file = logErrorTo(resolveProfileDir(profileFlag(rest)), { command: match.path, err: e }, 'cli command failed unexpectedly', { shell: 'cli' });
    io.err(`erro: falha inesperada.${file ? ` Detalhes no log ${file}.` : ''} Tente novamente; se persistir, relate o problema com o comando usado.`);
    if (process.env.PIXDESK_DEBUG) io.err(String((e as Error)?.stack ?? e));
    return 1;
  }
}
