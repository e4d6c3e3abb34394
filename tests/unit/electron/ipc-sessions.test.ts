import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallContext } from '../../../main/core/auth';
import { channelOf } from '../../../main/core/contract/ops';
import { registerIpc, sessionOf } from '../../../main/electron/ipc';
import { createWindow } from '../../../main/electron/window';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

/** Who is logged in travels per webContents: every IPC call carries its sender's session to the dispatcher. */
describe('IPC sessions per webContents', () => {
  beforeEach(() => fake.reset());

  it('each call carries the session of the contents that sent it; another contents has its own', async () => {
    createWindow();
    const seen: CallContext[] = [];
    registerIpc(async (_op, _input, ctx) => {
      seen.push(ctx ?? {});
      return { ok: true, value: null };
    });
    await fake.invoke('app://pixdesk/index.html', channelOf('auth:status'), {});
    await fake.invoke('app://pixdesk/index.html', channelOf('accounts:list'), {});
    expect(seen).toHaveLength(2);
    const first = seen[0]!.session;
    expect(first).toBeDefined();
    expect(seen[1]!.session).toBe(first); // same window, same session
    first!.logIn({ id: 'u1', name: 'Ana', role: 'admin' }, Date.now());

    const other = sessionOf(fake.newContents());
    expect(other).not.toBe(first);
    expect(other.user).toBeNull(); // a second window logs in on its own
    expect(sessionOf(fake.preloadContents())).toBe(first);
    expect(sessionOf(undefined).user).toBeNull(); // no contents: a throwaway, logged-out session
  });
});
