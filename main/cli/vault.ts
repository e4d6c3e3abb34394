import { Core } from '../core/app';
import { AppError } from '../core/errors';
import { resolveProfileDir } from '../core/profile';
import { keychainReachable, MIN_PASSWORD_LENGTH, PasswordKeyProvider, Vault } from '../core/vault';
import { peekRecordedBackend, providerOfKind, type NodeKeyOptions } from '../core/vault/node-providers';
import { version } from '../../package.json';
import { parseOptions, type CliCommand, type CliIo } from './args';
import { askHidden, keychainFromEnv, nodeKeyProvider } from './unlock';

const STATUS_USAGE = 'pixdesk vault status [--profile DIR] [--json]';
const ROTATE_USAGE = 'pixdesk vault rotate [--profile DIR]';
const PROTECT_USAGE = 'pixdesk vault protect --with password|keychain|file [--profile DIR]   (nova senha: PIXDESK_NEW_PASSWORD ou digitada no terminal)';

/** How each backend is described to a person (same words as Ajustes). */
export function describeBackend(kind: string, backend: string): string {
  switch (kind) {
    case 'password':
      return 'senha de administrador (scrypt; a senha não fica guardada, é pedida ao abrir)';
    case 'keychain':
      return `chaveiro do sistema (${backend === 'macos-keychain' ? 'Keychain do macOS' : backend === 'windows-credential-manager' ? 'Gerenciador de Credenciais do Windows' : 'Secret Service: GNOME Keyring ou KWallet'})`;
    case 'file':
      return 'arquivo device.key no perfil (proteção mais fraca: só as permissões da pasta)';
    case 'safeStorage':
      return `chaveiro do sistema pelo aplicativo de desktop (${backend})`;
    default:
      return `${kind}/${backend}`;
  }
}

async function newPassword(env: NodeJS.ProcessEnv, io: CliIo): Promise<string> {
  const given = env.PIXDESK_NEW_PASSWORD;
  if (given) return given;
  if (!process.stdin.isTTY) throw new AppError('CLI_USAGE', 'Informe a nova senha em PIXDESK_NEW_PASSWORD ou rode o comando num terminal para digitá-la.');
  const a = await askHidden(`Nova senha de administrador (mínimo ${MIN_PASSWORD_LENGTH} caracteres): `, io);
  const b = await askHidden('Repita a nova senha: ', io);
  if (!a || a !== b) throw new AppError('CLI_USAGE', 'As senhas digitadas não conferem. Nada foi alterado.');
  return a;
}

/** `pixdesk vault …`: which protection the profile's keys have, and moving them to another one. */
export const vaultCommands: CliCommand[] = [
  {
    path: 'vault status',
    summary: 'diz o que protege as chaves do perfil',
    usage: STATUS_USAGE,
    run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, STATUS_USAGE);
      const profileDir = resolveProfileDir(values.profile);
      const recorded = peekRecordedBackend(profileDir);
      const kc = keychainFromEnv(process.env);
      const keychain = kc !== null && keychainReachable(kc);
      if (values.json) io.out(JSON.stringify({ profileDir, backend: recorded, keychainReachable: keychain }, null, 2));
      else {
        io.out(`perfil: ${profileDir}`);
        io.out(`proteção: ${recorded ? describeBackend(recorded.kind, recorded.backend) : 'perfil ainda não criado'}`);
        io.out(`chaveiro do sistema acessível: ${keychain ? 'sim' : 'não'}`);
      }
      return 0;
    },
  },
  {
    path: 'vault protect',
    summary: 'troca a proteção das chaves (senha, chaveiro ou arquivo)',
    usage: PROTECT_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, with: { type: 'string' } }, PROTECT_USAGE);
      const target = values.with;
      if (target !== 'password' && target !== 'keychain' && target !== 'file') {
        throw new AppError('CLI_USAGE', `--with deve ser password, keychain ou file.\nUso: ${PROTECT_USAGE}`);
      }
      const profileDir = resolveProfileDir(values.profile);
      // The current protection opens the key (a new one could not); only then is it wrapped under the new one.
      const { provider: from } = await nodeKeyProvider(profileDir, io);
      const opts: NodeKeyOptions = { profileDir, keychain: keychainFromEnv(process.env), password: () => null };
      const to = target === 'password' ? new PasswordKeyProvider(await newPassword(process.env, io)) : await providerOfKind(target, opts, 'create');
      const core = new Core({ profileDir, keyProvider: from, shell: 'cli', version });
      try {
        const moved = Vault.migrate(core.db, from, to);
        core.auditAs('shell:cli')('vault.protection_changed', null, { from: `${from.kind}/${from.backend}`, to: `${moved.backend.kind}/${moved.backend.backend}` });
        io.out(`Chaves do perfil protegidas agora por: ${describeBackend(moved.backend.kind, moved.backend.backend)}.`);
        if (target === 'password') io.out('Guarde a senha: sem ela os segredos deste perfil não abrem (o PixDesk não a guarda). Para o modo navegador ou a linha de comando sem terminal, use PIXDESK_PASSWORD.');
      } finally {
        await core.close();
      }
      return 0;
    },
  },
  {
    path: 'vault rotate',
    summary: 'troca a chave de dados do cofre e recifra todos os segredos numa transação',
    usage: ROTATE_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' } }, ROTATE_USAGE);
      const profileDir = resolveProfileDir(values.profile);
      const { provider } = await nodeKeyProvider(profileDir, io);
      const core = new Core({ profileDir, keyProvider: provider, shell: 'cli', version });
      try {
        const r = core.vault.rotateDataKey(core.db, provider);
        core.auditAs('shell:cli')('vault.key_rotated', null, { columns: r.columns, values: r.values });
        io.out(`Chave de dados trocada: ${r.values} segredos recifrados em ${r.columns} colunas, numa única transação.`);
      } finally {
        await core.close();
      }
      return 0;
    },
  },
];
