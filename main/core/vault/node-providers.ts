import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { profileFiles } from '../profile';
import { FileKeyProvider, type KeyProvider } from './key-provider';
import { KeychainKeyProvider, keychainReachable, type KeychainEntryFactory } from './keychain-provider';
import { PasswordKeyProvider } from './password-provider';
import type { RecordedBackend } from './index';

/**
 * Choosing the vault's key provider without Electron (CLI, browser host). Order for a NEW profile:
 * 1. the admin password, when one is given for it (kiosks: `PIXDESK_PASSWORD`);
 * 2. the OS keychain, when one answers (macOS Keychain, Windows Credential Manager, Secret Service);
 * 3. last, the key file beside the database (0600, mixed with the machine id) — with a warning, because anyone
 *    who can read the profile folder as this user can open it.
 * An EXISTING profile always gets the provider recorded in it (a different one could not open its wrapping);
 * moving between them is `pixdesk vault protect`, which needs the old one.
 */
export interface NodeKeyOptions {
  profileDir: string;
  /**
   * The admin password: `create` for a new profile (only an explicit one, never a prompt), `unlock` for a profile
   * protected by it (env var, or a prompt where a terminal is attached). Null when none.
   */
  password: (purpose: 'create' | 'unlock') => Promise<string | null> | string | null;
  /** The OS keychain, or null where none should be tried. */
  keychain: KeychainEntryFactory | null;
  machineId?: string;
}

export interface ChosenProvider {
  provider: KeyProvider;
  /** Set for the key-file fallback: say it where the person sees it. */
  warning: string | null;
}

export const FILE_FALLBACK_WARNING =
  'aviso: nenhum chaveiro do sistema acessível e nenhuma senha de administrador definida; as chaves deste perfil ficam protegidas só pelo arquivo device.key e pelas permissões da pasta. Para proteger com senha, rode "pixdesk vault protect --with password".';

/** The backend recorded in a profile's database, without migrating or creating anything. */
export function peekRecordedBackend(profileDir: string): RecordedBackend | null {
  const file = path.join(profileDir, profileFiles.appDb);
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const t = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vault_meta'").get();
    if (!t) return null;
    const r = db.prepare('SELECT provider, backend FROM vault_meta WHERE id = 1').get() as { provider: string; backend: string } | undefined;
    return r ? { kind: r.provider, backend: r.backend } : null;
  } finally {
    db.close();
  }
}

/** A provider of the given kind, or an explanation of why it cannot be had here. */
export async function providerOfKind(kind: string, o: NodeKeyOptions, purpose: 'create' | 'unlock'): Promise<KeyProvider> {
  switch (kind) {
    case 'password': {
      const pw = await o.password(purpose);
      if (!pw) {
        throw new AppError(
          'VAULT_PASSWORD_NEEDED',
          'Este perfil é protegido pela senha de administrador. Defina a variável PIXDESK_PASSWORD ou rode o comando num terminal para digitá-la.',
        );
      }
      return new PasswordKeyProvider(pw);
    }
    case 'keychain':
      if (!o.keychain || !keychainReachable(o.keychain)) {
        throw new AppError(
          'KEYCHAIN_UNAVAILABLE',
          'A chave deste perfil está no chaveiro do sistema, que não respondeu. Desbloqueie o chaveiro da sessão (GNOME Keyring/KWallet no Linux) e tente de novo. Nada foi apagado.',
        );
      }
      return new KeychainKeyProvider(o.keychain);
    case 'file':
      return new FileKeyProvider({ profileDir: o.profileDir, ...(o.machineId ? { machineId: o.machineId } : {}) });
    default:
      throw new AppError(
        'VAULT_BACKEND_UNREACHABLE',
        `Este perfil é protegido por "${kind}" (o aplicativo de desktop, via chaveiro do Electron), que a linha de comando e o modo navegador não acessam. Abra-o no aplicativo de desktop. Nada foi apagado.`,
      );
  }
}

/** The provider for this profile: the recorded one, or for a new profile the best one available here. */
export async function chooseNodeKeyProvider(o: NodeKeyOptions): Promise<ChosenProvider> {
  const recorded = peekRecordedBackend(o.profileDir);
  if (recorded) {
    const provider = await providerOfKind(recorded.kind, o, 'unlock');
    return { provider, warning: null };
  }
  const pw = await o.password('create');
  if (pw) return { provider: new PasswordKeyProvider(pw), warning: null };
  if (o.keychain && keychainReachable(o.keychain)) return { provider: new KeychainKeyProvider(o.keychain), warning: null };
  return { provider: await providerOfKind('file', o, 'create'), warning: FILE_FALLBACK_WARNING };
}
