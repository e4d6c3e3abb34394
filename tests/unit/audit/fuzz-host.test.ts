import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { startHost } from '../../../main/host/server';
import { openCore, tempProfile } from '../accounts/support';
import { rmProfile } from '../charges/support';
import { rawHttp } from './raw-http';

/**
 * Malformed HTTP to the browser host, bounded and seeded: random request lines, headers and bodies (and plain
 * random bytes) over raw TCP. The host never answers 500, never echoes a stack or a file path, and keeps serving
 * a well-formed request after each one.
 */
let core: Core;
let profileDir: string;
let staticDir: string;
let host: Awaited<ReturnType<typeof startHost>>;
const TOKEN = 'T'.repeat(32);

beforeAll(async () => {
  profileDir = tempProfile();
  core = openCore(profileDir, { shell: 'browser' });
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-fuzz-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<html><head></head><body></body></html>');
  host = await startHost({ dispatch: core.dispatcher(), staticDir, token: TOKEN, events: core.events });
});
afterAll(async () => {
  await host.close();
  await core.close();
  rmProfile(profileDir);
  fs.rmSync(staticDir, { recursive: true, force: true });
});

/** Send raw bytes and collect whatever comes back until the server closes or 1.5 s pass. */
async function raw(bytes: Buffer): Promise<string> {
  return (await rawHttp(host.port, bytes)).text;
}

const token = fc.stringMatching(/^[A-Za-z0-9:%./?=&#-]{0,30}$/);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'BREW', '', 'G\u0000ET'),
  target: fc.oneof(fc.constantFrom('/rpc/app:info', '/rpc/audit:list', '/events', '/session/handoff', '/../../etc/passwd', '/%2e%2e/%2e%2e/', '/?token=' + TOKEN, '*'), token.map((t) => `/${t}`)),
  version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', ''),
  headers: fc.array(fc.tuple(fc.constantFrom('Host', 'Origin', 'Content-Type', 'Content-Length', 'Transfer-Encoding', 'X-PixDesk-Session', 'Connection', 'X'), fc.oneof(token, fc.constant('127.0.0.1'), fc.constant('chunked'), fc.integer({ min: -5, max: 99999 }).map(String))), { maxLength: 6 }),
  body: fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })),
});

describe('malformed HTTP to the browser host', () => {
  it('never a 500, never a stack or path, and a good request still works after each', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(request.map((r) => Buffer.from(`${r.method} ${r.target} ${r.version}\r\n${r.headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${r.body}`, 'latin1')), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a))), async (bytes) => {
        sent++;
        const answer = await raw(bytes);
        expect(answer).not.toMatch(/^HTTP\/1\.[01] 5\d\d/m);
        expect(answer).not.toMatch(/\bat .+\.(ts|js):\d+|node:internal|\/tmp\/|\/home\//);
        const ok = await fetch(`http://127.0.0.1:${host.port}/`, { headers: { Host: `127.0.0.1:${host.port}` } });
        expect(ok.status).toBe(200);
        await ok.arrayBuffer();
      }),
      { numRuns: 150, seed: 1415 },
    );
    console.log(`malformed HTTP requests sent: ${sent}`);
  }, 120_000);
});
