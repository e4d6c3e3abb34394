/**
 * A small fake of the Electron APIs main/electron and preload use, for vitest (the Electron runtime cannot
 * run on the build machines). Each test file does
 *
 *   vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
 *
 * The fake keeps Electron's observable rules where our code depends on them: ipcMain.handle refuses a second
 * handler, protocol.handle a second scheme handler; safeStorage really encrypts (AES-256-GCM under a key of
 * its own, so a different keychain cannot decrypt); net.fetch reads real files (and, like Chromium, lists a
 * directory); IPC arguments are structured-cloned; webContents.send reaches the preload's ipcRenderer only
 * for the window the preload lives in. One instance lives on globalThis so `vi.resetModules()` (used to boot
 * main.ts afresh) does not split the state between the test and the code under test.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** The event object Electron passes to will-navigate, before-quit, … */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => { action: string };
type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
type ProtocolHandler = (request: Request) => Response | Promise<Response>;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** A keychain: encryptString/decryptString really transform, under this instance's own key. */
export class FakeSafeStorage {
  private readonly key: Buffer;
  constructor(
    public available = true,
    public backend = 'gnome_libsecret',
    key?: Buffer,
  ) {
    this.key = key ?? crypto.randomBytes(32);
  }
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, c.getAuthTag(), body]);
  }
  decryptString(data: Buffer): string {
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', this.key, data.subarray(3, 15));
      d.setAuthTag(data.subarray(15, 31));
      return Buffer.concat([d.update(data.subarray(31)), d.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  }
  /** Same key material, another backend name (what Chromium reports can change while the key stays). */
  withBackend(backend: string): FakeSafeStorage {
    return new FakeSafeStorage(this.available, backend, this.key);
  }
}

class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  url = '';
  destroyed = false;
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  constructor(private readonly state: FakeState) {
    super();
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    if (this.state.preloadContents() === this) this.state.deliverToRenderer(channel, args);
  }
  /** The machine's printers (FakeState.printers), as Electron lists them. */
  getPrintersAsync(): Promise<{ name: string; displayName: string; description: string; options: Record<string, string> }[]> {
    return Promise.resolve(this.state.printers.map((p) => ({ ...p, description: '', options: {} })));
  }
  /** Records the job; answers as Chromium would: success, or the failure FakeState.printFailure names. */
  print(options: Record<string, unknown>, callback?: (success: boolean, failureReason: string) => void): void {
    this.state.printJobs.push({ contents: this.id, options: { ...options } });
    const failure = this.state.printFailure;
    setTimeout(() => callback?.(failure === null, failure ?? ''), 0);
  }
  executeJavaScript(code: string): Promise<unknown> {
    this.state.scripts.push(code);
    return this.state.evaluateInPage(this, code);
  }
  /** Helpers for tests: what Chromium would ask our guards. True when the guard let it through. */
  tryNavigate(url: string, kind: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const e = fakeEvent();
    this.emit(kind, e, url);
    return !e.defaultPrevented;
  }
  tryOpenWindow(url: string): { action: string } | null {
    return this.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }) ?? null;
  }
  tryAttachWebview(): boolean {
    const e = fakeEvent();
    this.emit('will-attach-webview', e, { preload: '/tmp/evil.js', nodeIntegration: true }, { src: 'https://evil.example' });
    return !e.defaultPrevented;
  }
}

class FakeBrowserWindow extends EventEmitter {
  static state: FakeState;
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.state.windows.filter((w) => !w.destroyed);
  }
  readonly webContents: FakeWebContents;
  readonly loadedUrls: string[] = [];
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    const state = FakeBrowserWindow.state;
    this.webContents = new FakeWebContents(state);
    state.windows.push(this);
    state.app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.url = url;
    setImmediate(() => {
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    });
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  private readyResolve: () => void = () => undefined;
  private readyPromise: Promise<void> = Promise.resolve();
  constructor(private readonly state: FakeState) {
    super();
  }
  reset(): void {
    this.removeAllListeners();
    this.readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));
  }
  /** Test helper: Electron finished initialising. */
  becomeReady(): void {
    this.readyResolve();
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  getPath(name: string): string {
    const p = this.state.paths.get(name);
    if (p === undefined) throw new Error(`fake app.getPath: ${name} not set`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.state.paths.set(name, value);
  }
  getAppPath(): string {
    return this.state.paths.get('appPath') ?? process.cwd();
  }
  getVersion(): string {
    return '45.0.0-fake';
  }
  requestSingleInstanceLock(): boolean {
    return this.state.singleInstance;
  }
  quit(): void {
    const e = fakeEvent();
    this.emit('before-quit', e);
    if (!e.defaultPrevented) this.state.quits++;
  }
  exit(code = 0): void {
    this.state.exitCodes.push(code);
  }
  relaunch(options: { args?: string[] } = {}): void {
    this.state.relaunches.push(options.args ?? []);
  }
}

/** Every piece of fake state, reset in place between tests. */
class FakeState {
  readonly app = new FakeApp(this);
  windows: FakeBrowserWindow[] = [];
  /** What screen.getAllDisplays() reports (the primary, id 1, first); a test adds a second monitor. */
  displays: { id: number; bounds: { x: number; y: number; width: number; height: number } }[] = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }];
  paths = new Map<string, string>();
  singleInstance = true;
  quits = 0;
  exitCodes: number[] = [];
  relaunches: string[][] = [];
  handlers = new Map<string, InvokeHandler>();
  protocolHandlers = new Map<string, ProtocolHandler>();
  privilegedSchemes: unknown[] = [];
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: unknown) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  keychain = new FakeSafeStorage();
  opened: string[] = [];
  dialogAnswers: number[] = [];
  dialogs: Record<string, unknown>[] = [];
  errorBoxes: { title: string; content: string }[] = [];
  menu: { template: unknown[] } | null = null;
  mainWorld = new Map<string, unknown>();
  rendererListeners = new Map<string, RendererListener[]>();
  rendererInvokes: string[] = [];
  scripts: string[] = [];
  /** The frame URL the preload's calls come from; default: the first window's current URL. */
  preloadFrameUrl: string | null = null;
  /** What webContents.getPrintersAsync() lists, the jobs webContents.print() got, and a failure it reports. */
  printers: { name: string; displayName: string }[] = [];
  printJobs: { contents: number; options: Record<string, unknown> }[] = [];
  printFailure: string | null = null;

  reset(): void {
    this.displays = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }];
    this.app.reset();
    this.app.isPackaged = true;
    this.windows = [];
    this.paths = new Map();
    this.singleInstance = true;
    this.quits = 0;
    this.exitCodes = [];
    this.relaunches = [];
    this.handlers = new Map();
    this.protocolHandlers = new Map();
    this.privilegedSchemes = [];
    this.permissionRequest = null;
    this.permissionCheck = null;
    this.keychain = new FakeSafeStorage();
    this.opened = [];
    this.dialogAnswers = [];
    this.dialogs = [];
    this.errorBoxes = [];
    this.menu = null;
    this.mainWorld = new Map();
    this.rendererListeners = new Map();
    this.rendererInvokes = [];
    this.scripts = [];
    this.preloadFrameUrl = null;
    this.printers = [];
    this.printJobs = [];
    this.printFailure = null;
  }

  /** A web contents no BrowserWindow made (a devtools or stray contents, as Electron can create). */
  newContents(): FakeWebContents {
    return new FakeWebContents(this);
  }

  preloadContents(): FakeWebContents | undefined {
    return this.windows[0]?.webContents;
  }

  /** ipcMain side of an invoke: the registered handler, called as Electron would, with cloned arguments. */
  async invoke(frameUrl: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const event = { sender: this.preloadContents(), senderFrame: frameUrl === null ? null : { url: frameUrl }, processId: 1, frameId: 1 };
    return structuredClone(await handler(event, ...structuredClone(args)));
  }

  deliverToRenderer(channel: string, args: unknown[]): void {
    const event = { sender: 'ipcRenderer', senderId: 0, ports: [] };
    for (const listener of [...(this.rendererListeners.get(channel) ?? [])]) listener(event, ...structuredClone(args));
  }

  /** The page's main world: only what the preload exposed, plus `location`. No require, no process. */
  evaluateInPage(contents: FakeWebContents, code: string): Promise<unknown> {
    const window = Object.fromEntries(this.mainWorld);
    const result: unknown = vm.runInNewContext(code, { window, location: { href: contents.url } });
    return Promise.resolve(result);
  }
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

function buildFake(): { fake: FakeState; electronModule: Record<string, unknown> } {
  const fake = new FakeState();
  fake.reset();
  FakeBrowserWindow.state = fake;
  const electronModule: Record<string, unknown> = {
    app: fake.app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle(channel: string, handler: InvokeHandler) {
        if (fake.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        fake.handlers.set(channel, handler);
      },
      removeHandler(channel: string) {
        fake.handlers.delete(channel);
      },
    },
    ipcRenderer: {
      invoke(channel: string, ...args: unknown[]) {
        fake.rendererInvokes.push(channel);
        return fake.invoke(fake.preloadFrameUrl ?? fake.preloadContents()?.url ?? '', channel, ...args);
      },
      on(channel: string, listener: RendererListener) {
        fake.rendererListeners.set(channel, [...(fake.rendererListeners.get(channel) ?? []), listener]);
      },
      removeListener(channel: string, listener: RendererListener) {
        fake.rendererListeners.set(channel, (fake.rendererListeners.get(channel) ?? []).filter((l) => l !== listener));
      },
    },
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        if (fake.mainWorld.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
        fake.mainWorld.set(key, api);
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        fake.privilegedSchemes.push(...schemes);
      },
      handle(scheme: string, handler: ProtocolHandler) {
        if (fake.protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
        fake.protocolHandlers.set(scheme, handler);
      },
    },
    net: {
      /** Only file: URLs (the app never fetches the network from main through net). */
      async fetch(url: string): Promise<Response> {
        if (!url.startsWith('file:')) throw new TypeError('net::ERR_BLOCKED_BY_FAKE');
        const file = fileURLToPath(url);
        if (!fs.existsSync(file)) throw new TypeError('net::ERR_FILE_NOT_FOUND');
        if (fs.statSync(file).isDirectory()) {
          const listing = fs.readdirSync(file).map((n) => `<a href="${n}">${n}</a>`).join('\n');
          return new Response(`<html><body>${listing}</body></html>`, { headers: { 'Content-Type': 'text/html' } });
        }
        const type = MIME[path.extname(file)] ?? 'application/octet-stream';
        return new Response(fs.readFileSync(file), { headers: { 'Content-Type': type } });
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler(h: FakeState['permissionRequest']) {
          fake.permissionRequest = h;
        },
        setPermissionCheckHandler(h: FakeState['permissionCheck']) {
          fake.permissionCheck = h;
        },
      },
    },
    // Delegates to the current fake keychain so a test can swap it between boots.
    safeStorage: {
      isEncryptionAvailable: () => fake.keychain.isEncryptionAvailable(),
      getSelectedStorageBackend: () => fake.keychain.getSelectedStorageBackend(),
      encryptString: (s: string) => fake.keychain.encryptString(s),
      decryptString: (b: Buffer) => fake.keychain.decryptString(b),
    },
    shell: {
      openExternal(url: string) {
        fake.opened.push(url);
        return Promise.resolve();
      },
    },
    dialog: {
      showMessageBoxSync(options: Record<string, unknown>) {
        fake.dialogs.push(options);
        return fake.dialogAnswers.shift() ?? (options.cancelId as number | undefined) ?? 0;
      },
      showErrorBox(title: string, content: string) {
        fake.errorBoxes.push({ title, content });
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu(menu: { template: unknown[] } | null) {
        fake.menu = menu;
      },
    },
    screen: {
      getPrimaryDisplay: () => ({ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
      getAllDisplays: () => fake.displays,
    },
  };
  return { fake, electronModule };
}

const holder = globalThis as { __pixdeskFakeElectron?: ReturnType<typeof buildFake> };
const built = (holder.__pixdeskFakeElectron ??= buildFake());

/** The fake's state and helpers (reset with `fake.reset()` in beforeEach). */
export const fake = built.fake;
/** What `vi.mock('electron', …)` returns. */
export const electronModule = built.electronModule;
export type { FakeBrowserWindow, FakeWebContents };

/** Turn the event loop until `predicate` holds (no timers, no sleeps); fails after `turns` turns. */
export async function until(predicate: () => boolean, turns = 2000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (predicate()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not reached');
}

/** The fake behind a value typed with Electron's own types (what createWindow returns under the mock). */
export function asFake(win: unknown): FakeBrowserWindow {
  if (!(win instanceof FakeBrowserWindow)) throw new Error('not a fake window');
  return win;
}

/** A fake handed to code typed for Electron's real objects. */
export function asElectron<T>(fakeObject: FakeWebContents | FakeBrowserWindow): T {
  return fakeObject as unknown as T;
}
