import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../main/core/events';
import { EVENT_CHANNEL, type PixdeskEvent } from '../../../main/core/contract/events';
import { OPS, channelOf } from '../../../main/core/contract/ops';
import { forwardEvents } from '../../../main/electron/events';
import { registerIpc } from '../../../main/electron/ipc';
import { createWindow } from '../../../main/electron/window';
import type { BrowserWindow } from 'electron';
import { asElectron, asFake, fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

interface ExposedBridge {
  shell: string;
  invoke(op: unknown, input: unknown): Promise<unknown>;
  subscribe(listener: unknown): () => void;
}

/** Load preload/index.ts afresh (as each window's renderer process does) and return what it exposed. */
async function loadPreload(): Promise<ExposedBridge> {
  vi.resetModules();
  await import('../../../preload/index');
  return fake.mainWorld.get('pixdesk') as ExposedBridge;
}

beforeEach(() => fake.reset());

describe('preload', () => {
  it('exposes exactly window.pixdesk with shell, invoke, subscribe, openDisplay, listPrinters and printSilently', async () => {
    const bridge = await loadPreload();
    expect([...fake.mainWorld.keys()]).toEqual(['pixdesk']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'listPrinters', 'openDisplay', 'printSilently', 'shell', 'subscribe']);
    expect(bridge.shell).toBe('electron');
  });

  it('an unknown operation never reaches ipcRenderer', async () => {
    const bridge = await loadPreload();
    for (const op of ['app:infox', 'constructor', '__proto__', 'pixdesk:app:info', '', 42, null, { toString: () => 'app:info' }]) {
      expect(await bridge.invoke(op, {})).toEqual({ ok: false, error: { code: 'UNKNOWN_OP', message: 'Operação desconhecida.' } });
    }
    expect(fake.rendererInvokes).toEqual([]);
  });

  it('a known operation goes on its own channel, and the answer comes back from the handler', async () => {
    asFake(createWindow());
    registerIpc(async (op) => ({ ok: true, value: op }));
    const bridge = await loadPreload();
    for (const op of OPS) expect(await bridge.invoke(op, {})).toEqual({ ok: true, value: op });
    expect(fake.rendererInvokes).toEqual(OPS.map(channelOf));
  });

  it('subscribe passes only {name, payload} of known events, never the IpcRendererEvent', async () => {
    const win = asFake(createWindow());
    const bridge = await loadPreload();
    const seen: unknown[] = [];
    const off = bridge.subscribe((e: unknown) => seen.push(e));
    win.webContents.send(EVENT_CHANNEL, { name: 'onboarding:changed', payload: { id: 'o1', status: 'done' }, extra: 'x' });
    win.webContents.send(EVENT_CHANNEL, { name: 'secret:leak', payload: { id: 'o2' } });
    win.webContents.send(EVENT_CHANNEL, { name: 'onboarding:changed', payload: 'not an object' });
    win.webContents.send(EVENT_CHANNEL, null);
    win.webContents.send('other-channel', { name: 'onboarding:changed', payload: { id: 'o3', status: 'x' } });
    expect(seen).toEqual([{ name: 'onboarding:changed', payload: { id: 'o1', status: 'done' } }]);
    off();
    win.webContents.send(EVENT_CHANNEL, { name: 'onboarding:changed', payload: { id: 'o4', status: 'done' } });
    expect(seen).toHaveLength(1);
    expect(fake.rendererListeners.get(EVENT_CHANNEL)).toEqual([]);
  });

  it('a throwing subscriber does not stop the others; a non-function is ignored', async () => {
    const win = asFake(createWindow());
    const bridge = await loadPreload();
    const seen: string[] = [];
    bridge.subscribe(() => {
      throw new Error('broken screen');
    });
    bridge.subscribe((e: PixdeskEvent) => seen.push(e.name === 'onboarding:changed' ? e.payload.id : e.name));
    expect(typeof bridge.subscribe('not a function')).toBe('function');
    win.webContents.send(EVENT_CHANNEL, { name: 'onboarding:changed', payload: { id: 'o1', status: 'done' } });
    expect(seen).toEqual(['o1']);
  });
});

describe('events to our windows', () => {
  it('the core bus reaches the page of our window through the preload, and stops when asked', async () => {
    const bus = new EventBus();
    const win = asFake(createWindow());
    const stop = forwardEvents(bus);
    const bridge = await loadPreload();
    const seen: unknown[] = [];
    bridge.subscribe((e: unknown) => seen.push(e));
    bus.publish('onboarding:changed', { id: 'o1', status: 'running' });
    expect(seen).toEqual([{ name: 'onboarding:changed', payload: { id: 'o1', status: 'running' } }]);
    stop();
    bus.publish('onboarding:changed', { id: 'o2', status: 'done' });
    expect(seen).toHaveLength(1);
    expect(bus.size).toBe(0);
    expect(win.webContents.getURL()).toBe('app://pixdesk/index.html');
  });

  it('sends only to windows whose current page is our origin, and skips destroyed ones', () => {
    const bus = new EventBus();
    const ours = asFake(createWindow({ route: '#/caixa' }));
    const navigated = asFake(createWindow());
    navigated.webContents.url = 'https://evil.example/';
    const lookalike = asFake(createWindow());
    lookalike.webContents.url = 'app://pixdesk.evil/index.html';
    const gone = asFake(createWindow());
    gone.destroy();
    forwardEvents(bus);
    bus.publish('onboarding:changed', { id: 'o1', status: 'done' });
    const sent = (w: ReturnType<typeof asFake>) => w.webContents.sent;
    expect(sent(ours)).toEqual([{ channel: EVENT_CHANNEL, args: [{ name: 'onboarding:changed', payload: { id: 'o1', status: 'done' } }] }]);
    expect(sent(navigated)).toEqual([]);
    expect(sent(lookalike)).toEqual([]);
    expect(sent(gone)).toEqual([]);
  });

  it('takes an explicit window list too', () => {
    const bus = new EventBus();
    const a = asFake(createWindow());
    const b = asFake(createWindow());
    forwardEvents(bus, () => [asElectron<BrowserWindow>(b)]);
    bus.publish('onboarding:changed', { id: 'o1', status: 'done' });
    expect(a.webContents.sent).toEqual([]);
    expect(b.webContents.sent).toHaveLength(1);
  });
});
