import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subscribeStream } from '../../renderer/event-stream';
import type { PixdeskEvent } from '../core/contract/events';
import { createDispatcher } from '../core/contract/dispatch';
import { EventBus } from '../core/events';
import { FORM, openCore, sandboxSheet, tempProfile } from '../../tests/unit/accounts/support';
import { startHost, type HostOptions, type RunningHost } from './server';
import { SessionStore } from './sessions';

/** `GET /events` over real HTTP, read by the renderer's own stream client (fetch + body reader). */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function staticDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-ev-'));
  fs.writeFileSync(path.join(d, 'index.html'), '<html><head></head><body></body></html>');
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

async function host(extra: Partial<HostOptions> & { events: HostOptions['events'] }): Promise<RunningHost> {
  const h = await startHost({ dispatch: createDispatcher({} as never), staticDir: staticDir(), token: 'T'.repeat(32), ...extra });
  cleanups.push(() => h.close());
  return h;
}

async function sessionOf(h: RunningHost): Promise<string> {
  const page = await (await fetch(h.url)).text();
  return /content="([^"]+)"/.exec(page)![1]!;
}

function raw(h: RunningHost, headers: Record<string, string>): Promise<{ status: number; firstChunk: string; res: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: h.port, path: '/events', headers: { Host: `127.0.0.1:${h.port}`, ...headers }, setHost: false }, (res) => {
      let seen = '';
      res.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('heartbeat') || res.statusCode !== 200) resolve({ status: res.statusCode ?? 0, firstChunk: seen, res });
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, firstChunk: seen, res }));
    });
    req.on('error', reject);
    cleanups.push(() => void req.destroy());
  });
}

function collect(h: RunningHost | { port: number }, secret: () => string, onState?: (s: string) => void) {
  const got: PixdeskEvent[] = [];
  const stop = subscribeStream(
    { url: `http://127.0.0.1:${h.port}/events`, headers: () => ({ 'X-PixDesk-Session': secret() }), fetch: (u, i) => fetch(u, i), minDelayMs: 50, maxDelayMs: 200, ...(onState ? { onState } : {}) },
    (e) => got.push(e),
  );
  cleanups.push(stop);
  return got;
}

describe('GET /events', () => {
  it('is refused without a session, from a foreign Origin or Host, and when the stream cap is reached', async () => {
    const bus = new EventBus();
    const h = await host({ events: bus, streams: { maxStreams: 2, heartbeatMs: 30 } });
    const s = await sessionOf(h);
    expect((await raw(h, {})).status).toBe(401);
    expect((await raw(h, { 'X-PixDesk-Session': 'A'.repeat(43) })).status).toBe(401);
    expect((await raw(h, { 'X-PixDesk-Session': s, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw(h, { 'X-PixDesk-Session': s, Host: 'evil.example' })).status).toBe(421);
    const a = await raw(h, { 'X-PixDesk-Session': s });
    const b = await raw(h, { 'X-PixDesk-Session': s });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(a.firstChunk).toContain(': heartbeat');
    const third = await raw(h, { 'X-PixDesk-Session': s });
    expect(third.status).toBe(429);
    expect(JSON.parse(third.firstChunk).error.code).toBe('TOO_MANY_STREAMS');
    // A closed stream frees its place and unsubscribes from the bus.
    a.res.destroy();
    await expect.poll(() => bus.size).toBe(1);
    expect((await raw(h, { 'X-PixDesk-Session': s })).status).toBe(200);
  });

  it('delivers published events to the page and reconnects after the host restarts', async () => {
    const bus = new EventBus();
    const sessions = new SessionStore();
    const first = await startHost({ dispatch: createDispatcher({} as never), staticDir: staticDir(), token: 'T'.repeat(32), events: bus, sessions });
    const secret = await sessionOf(first);
    const states: string[] = [];
    const got = collect(first, () => secret, (st) => states.push(st));
    await expect.poll(() => bus.size).toBe(1);
    bus.publish('onboarding:changed', { id: 'a', status: 'prepared' });
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual({ name: 'onboarding:changed', payload: { id: 'a', status: 'prepared' } });

    // The host goes away and comes back on the same port: the client retries with backoff and resumes.
    await first.close();
    await expect.poll(() => bus.size).toBe(0);
    const second = await startHost({ dispatch: createDispatcher({} as never), staticDir: staticDir(), token: 'T'.repeat(32), events: bus, sessions, port: first.port });
    cleanups.push(() => second.close());
    await expect.poll(() => bus.size, { timeout: 5000 }).toBe(1);
    bus.publish('onboarding:changed', { id: 'a', status: 'done' });
    await expect.poll(() => got.length).toBe(2);
    expect(states.filter((s) => s === 'open').length).toBe(2);
    expect(states).toContain('retrying');
  });

  it('carries onboarding:changed for every step of a real onboarding driven over /rpc', async () => {
    const dir = tempProfile();
    const core = openCore(dir);
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => core.close());
    const h = await startHost({ dispatch: createDispatcher(core.handlers()), staticDir: staticDir(), token: 'T'.repeat(32), events: core.events });
    cleanups.push(() => h.close());
    const secret = await sessionOf(h);
    // Services of the Core (webhooks, till locations) subscribe too: wait for the stream's own subscription.
    const before = core.events.size;
    const got = collect(h, () => secret);
    await expect.poll(() => core.events.size).toBe(before + 1);
    const rpc = async (op: string, input: unknown) => {
      const r = await fetch(`http://127.0.0.1:${h.port}/rpc/${op}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${h.port}`, 'X-PixDesk-Session': secret },
        body: JSON.stringify(input),
      });
      return (await r.json()) as { ok: boolean; value: { id: string; step: string } };
    };
    const { bytes } = await sandboxSheet(core);
    const imported = await rpc('onboarding:importFile', { fileName: 'Credencial e Token.xlsx', dataBase64: bytes.toString('base64') });
    const done = await rpc('onboarding:run', { id: imported.value.id, form: FORM });
    expect(done.value.step).toBe('done');
    const onboarding = () => got.flatMap((e) => (e.name === 'onboarding:changed' ? [e.payload] : []));
    const steps = () => onboarding().filter((p) => p.id === imported.value.id).map((p) => p.status);
    await expect.poll(steps).toEqual(expect.arrayContaining(['imported', 'prepared', 'requesting', 'response_stored', 'account_created', 'done']));
    // Ids and steps only: nothing else travels.
    for (const p of onboarding()) expect(Object.keys(p).sort()).toEqual(['id', 'status']);
  });
});
