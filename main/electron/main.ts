import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { Core } from '../core/app';
import { logUnexpected } from '../core/log';
import { startAppApi, type ApiRuntime } from '../core/api-server';
import { AppError, isAppError } from '../core/errors';
import { explainKeyLoss } from '../core/vault/key-loss';
import { registerDisplayIpc } from './display-window';
import { registerPrintIpc } from './printing';
import { forwardEvents } from './events';
import { registerIpc, sessionOf } from './ipc';
import type { PixdeskEvent } from '../core/contract/events';
import { buildMenu } from './menu';
import { registerSchemePrivileges, serveRenderer } from './protocol';
import { SafeStorageKeyProvider } from './safe-storage-key';
import { runSelfCheck, selfCheckProfile } from './self-check';
import { createWindow, hardenContents, lockDownSession } from './window';

/** The Electron entry point (dist/main/electron.cjs): one profile, one Core, the contract over IPC. */

const BASIC_TEXT_ACCEPTED = 'vault.acceptBasicText';

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

/**
 * Open the profile's Core behind the OS keychain. A weak backend (Linux basic_text) and a changed backend
 * each need the person's explicit yes; a self-check run (temporary profile, no secrets) accepts basic_text
 * without asking so it can run on a headless machine.
 */
function openCore(selfCheck: boolean): Core {
  const profileDir = app.getPath('userData');
  const acceptedFile = path.join(profileDir, `${BASIC_TEXT_ACCEPTED}.flag`);
  let provider: SafeStorageKeyProvider;
  try {
    provider = new SafeStorageKeyProvider(safeStorage, process.platform, selfCheck || fs.existsSync(acceptedFile));
  } catch (e) {
    if (!(isAppError(e) && e.code === 'KEYCHAIN_BASIC_TEXT') || !askAcceptBasicText()) throw e;
    fs.mkdirSync(profileDir, { recursive: true });
    fs.writeFileSync(acceptedFile, new Date().toISOString());
    provider = new SafeStorageKeyProvider(safeStorage, process.platform, true);
  }
  const options = { profileDir, keyProvider: provider, shell: 'electron' as const, nativeBinding: nativeBinding(), version: app.getVersion() };
  try {
    return new Core(options);
  } catch (e) {
    if (!(isAppError(e) && e.code === 'VAULT_BACKEND_CHANGED')) throw e;
    if (offerPreviousKeychain(e.details?.recordedKind, e.details?.recordedBackend, provider.backend)) throw new AppError('RELAUNCHING', 'Reabrindo com o chaveiro anterior.');
    // Not reopened: the profile cannot be used in this session. Say what to do if the old keychain is gone for good.
    throw explainKeyLoss(new AppError('VAULT_BACKEND_UNREACHABLE', `Só o chaveiro "${String(e.details?.recordedBackend ?? 'anterior')}" abre a chave deste perfil, e ele não está acessível nesta sessão. Nada foi apagado.`), profileDir);
  }
}

/** Chromium's `--password-store` value for each Linux safeStorage backend it can be told to use. */
const PASSWORD_STORE: Record<string, string> = {
  gnome_libsecret: 'gnome-libsecret',
  kwallet: 'kwallet',
  kwallet5: 'kwallet5',
  kwallet6: 'kwallet6',
};

/**
 * The profile's data key is wrapped by the keychain backend that made it, and one Electron process reaches one
 * backend only: the new backend cannot open the old wrapping. On Linux the app can reopen itself on the previous
 * backend (Chromium's `--password-store`); elsewhere (another OS, another machine) it explains and quits. Nothing is
 * ever re-keyed or deleted here. True when the app is relaunching on the previous backend.
 */
function offerPreviousKeychain(recordedKind: unknown, recordedBackend: unknown, current: string): boolean {
  const store = recordedKind === 'safeStorage' && typeof recordedBackend === 'string' ? PASSWORD_STORE[recordedBackend] : undefined;
  const alreadyTried = process.argv.some((a) => a.startsWith('--password-store'));
  const canReopen = process.platform === 'linux' && store !== undefined && !alreadyTried;
  const was = typeof recordedBackend === 'string' ? recordedBackend : 'desconhecido';
  const choice = dialog.showMessageBoxSync({
    type: 'warning',
    title: 'O chaveiro do sistema mudou',
    message: `Este perfil foi protegido pelo chaveiro "${was}", mas o sistema agora oferece "${current}".`,
    detail: canReopen
      ? 'Só o chaveiro anterior abre a chave deste perfil. O PixDesk pode reabrir usando o chaveiro anterior agora; nada foi apagado.'
      : 'Só o chaveiro anterior abre a chave deste perfil, e ele não está acessível nesta sessão (outro usuário, outra máquina ou o chaveiro foi removido). Nada foi apagado: abra o PixDesk onde esse chaveiro funciona. Se ele não existe mais, a próxima mensagem diz como seguir com um backup.',
    buttons: canReopen ? ['Sair', 'Reabrir com o chaveiro anterior'] : ['Sair'],
    defaultId: 0,
    cancelId: 0,
  });
  if (canReopen && choice === 1) {
    app.relaunch({ args: [...process.argv.slice(1), `--password-store=${store}`] });
    app.exit(0);
    return true;
  }
  return false;
}

/** Close the local API, then the Core (renewal timer, sandbox, SQLite) before the process goes, then let the quit continue. */
function closeOnQuit(core: Core, stopEvents: () => void, api: Promise<ApiRuntime | null>): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    stopEvents();
    void api
      .then((rt) => rt?.stop())
      .catch(() => undefined)
      .then(() => core.close())
      .catch(() => undefined)
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

function start(selfCheckDir: string | null): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(() => {
      lockDownSession();
      serveRenderer(path.join(__dirname, '..', 'renderer'));
      const core = openCore(selfCheckDir !== null);
      registerIpc(core.dispatcher(logUnexpected(core.log)));
      registerDisplayIpc();
      registerPrintIpc(() => core.settings.get().printerName);
      const stopEvents = forwardEvents(core.events, undefined, (contents, e) => core.eventAllowed(sessionOf(contents), e as PixdeskEvent));
      buildMenu();
      const win = createWindow();
      core.renewal.start();
      core.charges.start();
      // The OpenPix-compatible local API for partner systems (127.0.0.1; PIXDESK_API_PORT, "off" to turn it off).
      const api = selfCheckDir !== null ? Promise.resolve(null) : startAppApi(core, process.env.PIXDESK_API_PORT, (line) => core.log.warn(line));
      closeOnQuit(core, stopEvents, api);
      if (selfCheckDir !== null) void runSelfCheck(win, { exit: (code) => app.exit(code) });
    })
    .catch((e: unknown) => {
      if (isAppError(e) && e.code === 'RELAUNCHING') return;
      const message = isAppError(e) ? e.message : 'Erro inesperado ao abrir o perfil.';
      if (selfCheckDir !== null) console.error(`PIXDESK_SELF_CHECK fail ${message}`);
      else dialog.showErrorBox('PixDesk não pôde iniciar', message);
      app.exit(1);
    });
}

/** Module entry: decide the mode (normal or self-check), register the scheme, take the single-instance lock. */
function main(): void {
  let selfCheckDir: string | null;
  try {
    selfCheckDir = selfCheckProfile(process.env);
  } catch (e) {
    console.error(`PIXDESK_SELF_CHECK fail ${e instanceof Error ? e.message : String(e)}`);
    app.exit(2);
    return;
  }
  registerSchemePrivileges();
  // A self-check never touches the person's profile: its folder replaces userData before anything opens.
  if (selfCheckDir !== null) app.setPath('userData', selfCheckDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  start(selfCheckDir);
}

main();
