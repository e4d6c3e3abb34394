import type { SafeStorage } from 'electron';
import { AppError } from '../core/errors';
import type { KeyProvider } from '../core/vault';

/**
 * The vault's `KeyProvider` on Electron: the data key is wrapped by the OS keychain through safeStorage
 * (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux). Linux's `basic_text` backend uses a
 * fixed password — not a device-bound key — so it is refused unless the person accepted it explicitly.
 */
export class SafeStorageKeyProvider implements KeyProvider {
  readonly kind = 'safeStorage';
  readonly backend: string;

  constructor(private readonly safeStorage: SafeStorage, platform: NodeJS.Platform, acceptBasicText: boolean) {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        'O cofre de senhas do sistema não está disponível. Desbloqueie o chaveiro da sessão (ou instale o gnome-keyring/kwallet) e abra o PixDesk de novo.',
      );
    }
    this.backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform;
    if (this.backend === 'basic_text' && !acceptBasicText) {
      throw new AppError(
        'KEYCHAIN_BASIC_TEXT',
        'Este Linux não tem um chaveiro seguro ativo: o Electron usaria uma senha fixa (basic_text) e os segredos ficariam protegidos só pelas permissões do arquivo.',
      );
    }
  }

  wrap(dataKey: Buffer): Buffer {
    return this.safeStorage.encryptString(dataKey.toString('base64'));
  }

  unwrap(wrapped: Buffer): Buffer {
    try {
      return Buffer.from(this.safeStorage.decryptString(wrapped), 'base64');
    } catch {
      throw new AppError(
        'VAULT_WRONG_DEVICE',
        'O chaveiro do sistema não abriu a chave deste perfil (outro usuário ou outra máquina). Nada foi apagado.',
      );
    }
  }
}
