import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../core/contract/dispatch';
import { OPS, type Handlers } from '../core/contract';
import { startHost, type RunningHost } from './server';

/** Slow and idle clients are cut: headers, body and keep-alive deadlines, and a cap on open connections. */
let host: RunningHost;
let dir: string;
const handlers = {
  ...(Object.fromEntries(OPS.map((op) => [op, () => null])) as unknown as Handlers),
  'app:info': () => ({ name: 'PixDesk', version: 't', shell: 'browser', environment: 'sandbox', profileDir: '/x', keyBackend: 'k' }),
} as Handlers;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-slow-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<html><head></head></html>');
  host = await startHost({
    dispatch: createDispatcher(handlers),
    staticDir: dir,
    token: 'T'.repeat(32),
    limits: { headersMs: 300, requestMs: 600, keepAliveMs: 300, bodyIdleMs: 300, maxConnections: 3, checkIntervalMs: 50 },
  });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A raw socket: what it received, and when the server closed it. */
function connect(): Promise<{ sock: net.Socket; data: () => string; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let data = '';
    const sock = net.connect(host.port, '127.0.0.1', () => resolve({ sock, data: () => data, closed }));
    sock.on('data', (d) => (data += d.toString()));
    sock.on('error', () => undefined);
    const closed = new Promise<number>((r) => sock.on('close', () => r(Date.now() - started)));
  });
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not cut within ${ms} ms`)), ms))]);

async function session(): Promise<string> {
  const page = await (await fetch(host.url)).text();
  return /content="([^"]+)"/.exec(page)![1]!;
}

describe('host timeouts', () => {
  it('cuts a client that never finishes its headers', async () => {
    const c = await connect();
    c.sock.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Slow: `);
    const ms = await within(c.closed, 3000);
    expect(ms).toBeLessThan(3000);
    expect(c.data()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a body that stalls half-way with 408', async () => {
    const s = await session();
    const c = await connect();
    c.sock.write(
      `POST /rpc/app:info HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: http://127.0.0.1:${host.port}\r\nX-PixDesk-Session: ${s}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
    );
    await within(c.closed, 3000);
    expect(c.data()).toMatch(/^HTTP\/1\.1 408/);
    expect(c.data()).toContain('parou no meio');
  });

  it('closes an idle keep-alive socket', async () => {
    const c = await connect();
    c.sock.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: keep-alive\r\n\r\n`);
    await within(c.closed, 3000);
    expect(c.data()).toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses connections beyond the cap, and accepts again once one closes', async () => {
    const held = await Promise.all([connect(), connect(), connect()]);
    const extra = await connect();
    const ms = await within(extra.closed, 1000);
    expect(ms).toBeLessThan(1000);
    expect(extra.data()).toBe('');
    held[0]!.sock.destroy();
    await held[0]!.closed;
    await new Promise((r) => setTimeout(r, 50));
    const ok = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(ok.status).toBe(200);
    for (const h of held) h.sock.destroy();
  });
});
