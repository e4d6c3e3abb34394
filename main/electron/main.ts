import { app, dialog, safeStorage } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { Core } from '../core/app';
import { createDispatcher } from '../core/contract/dispatch';
import { isAppError } from '../core/errors';
import { SafeStorageKeyProvider } from './safe-storage-key';
import { registerIpc } from './ipc';
import { registerSchemePrivileges, serveRenderer } from './protocol';
import { createWindow, lockDownSession } from './window';
import { buildMenu } from './menu';

const BASIC_TEXT_ACCEPTED = 'vault.acceptBasicText';

registerSchemePrivileges();
if (!app.requestSingleInstanceLock()) app.quit();

/** Electron's own build of better-sqlite3 in development (npm start); packaged apps are rebuilt by electron-builder. */
function nativeBinding(): string | undefined {
  const dev = path.join(app.getAppPath(), 'native', 'electron', 'better_sqlite3.node');
  return !app.isPackaged && fs.existsSync(dev) ? dev : undefined;
}

/** Ask (in pt-BR) before trusting a weak key backend; the answer is recorded in the profile. */
function askAcceptBasicText(): boolean {
  const choice = dialog.showMessageBoxSync({
    type: 'warning',
    title: 'Chaveiro do sistema indisponível',
    message: 'Este Linux não tem um chaveiro seguro (GNOME Keyring ou KWallet) ativo.',
    detail:
      'Sem ele, as chaves privadas e os segredos das contas ficariam protegidos apenas pelas permissões de arquivo deste usuário. Recomendamos instalar e desbloquear o chaveiro e abrir o PixDesk de novo.',
    buttons: ['Sair', 'Continuar mesmo assim'],
    defaultId: 0,
    cancelId: 0,
  });
  return choice === 1;
}

function openCore(): Core {
  const profileDir = app.getPath('userData');
  const acceptedFile = path.join(profileDir, `${BASIC_TEXT_ACCEPTED}.flag`);
  let accepted = fs.existsSync(acceptedFile);
  let provider: SafeStorageKeyProvider;
  try {
    provider = new SafeStorageKeyProvider(safeStorage, process.platform, accepted);
  } catch (e) {
    if (!(isAppError(e) && e.code === 'KEYCHAIN_BASIC_TEXT') || !askAcceptBasicText()) throw e;
    fs.mkdirSync(profileDir, { recursive: true });
    fs.writeFileSync(acceptedFile, new Date().toISOString());
    accepted = true;
    provider = new SafeStorageKeyProvider(safeStorage, process.platform, accepted);
  }
  try {
    return new Core({ profileDir, keyProvider: provider, shell: 'electron', nativeBinding: nativeBinding(), version: app.getVersion() });
  } catch (e) {
    if (!(isAppError(e) && e.code === 'VAULT_BACKEND_CHANGED')) throw e;
    const choice = dialog.showMessageBoxSync({
      type: 'warning',
      title: 'O chaveiro do sistema mudou',
      message: e.message,
      buttons: ['Sair', 'Aceitar o novo chaveiro'],
      defaultId: 0,
      cancelId: 0,
    });
    if (choice !== 1) throw e;
    return new Core({
      profileDir,
      keyProvider: provider,
      shell: 'electron',
      nativeBinding: nativeBinding(),
      acceptBackendChange: true,
      version: app.getVersion(),
    });
  }
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app
  .whenReady()
  .then(() => {
    lockDownSession();
    serveRenderer(path.join(__dirname, '..', 'renderer'));
    const core = openCore();
    registerIpc(createDispatcher(core.handlers(), (op) => console.error(`[pixdesk] erro inesperado em ${op}`)));
    buildMenu();
    createWindow();
    core.renewal.start();
    core.charges.start();
    app.on('before-quit', () => void core.close());
  })
  .catch((e: unknown) => {
    dialog.showErrorBox('PixDesk não pôde iniciar', isAppError(e) ? e.message : 'Erro inesperado ao abrir o perfil.');
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
