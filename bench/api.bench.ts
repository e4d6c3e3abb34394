import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiRuntime } from '../main/core/api-server';
import type { ChargeBody } from '../main/core/api-server/charge-api';
import { toHttpError } from '../main/core/api-server/http-errors';
import { Core } from '../main/core/app';
import { writeTokenSheet } from '../main/core/sandbox';
import { FileKeyProvider } from '../main/core/vault';
import type { BenchResult, BenchSuite } from './harness';

/*
 * The local API under sustained load, measured by autocannon in a SECOND process (so the load generator does not
 * share the server's event loop), with an app whose rate limit is raised out of the way:
 *   - GET /api/v1/charge/{id}: AppID check, SQLite read, OpenPix-shaped JSON;
 *   - POST /api/v1/charge: a new dynamic charge per request at the sandbox (HTTPS/mTLS, its own process, like the
 *     bank), unique correlationID per request (autocannon's [<id>] replacement).
 * Baseline in the same run: the same two routes on a bare node:http handler calling the same ChargeApi — what the
 * framework (routing, schemas, hooks, rate limiting) costs on top of the work itself.
 */

const root = path.resolve(__dirname, '..', '..');
const DURATION_S = Number(process.env.API_BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;

interface Load {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function autocannon(url: string, args: string[]): Promise<Load> {
  const bin = path.join(root, 'node_modules', 'autocannon', 'autocannon.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION_S), ...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop()!) as { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number };
        resolve({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
      } catch (e) {
        reject(new Error(`autocannon output unreadable: ${String(e)} ${out.slice(0, 200)}`));
      }
    });
  });
}

function waitLine(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`sandbox did not start: ${buf}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve(m[0]);
      }
    });
  });
}

/** The same two routes on node:http, calling the very ChargeApi the fastify server uses. */
function bareServer(rt: ApiRuntime, core: Core): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const app = core.apps.authenticate(req.headers.authorization);
    if (!app) return send(401, { error: 'AppID inválido' });
    core.apps.recordUse(app.id, req.socket.remoteAddress ?? '');
    const url = req.url ?? '/';
    if (req.method === 'GET' && url.startsWith('/api/v1/charge/')) {
      try {
        return send(200, rt.charges.get(app, decodeURIComponent(url.slice('/api/v1/charge/'.length))));
      } catch (e) {
        const h = toHttpError(e);
        return send(h.status, { error: h.message });
      }
    }
    if (req.method === 'POST' && url.startsWith('/api/v1/charge')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let b: ChargeBody;
        try {
          b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChargeBody;
        } catch {
          return send(400, { error: 'JSON inválido' });
        }
        if (typeof b.correlationID !== 'string' || !Number.isInteger(b.value)) return send(400, { error: 'campos inválidos' });
        rt.charges.create(app, b, false).then(
          (r) => send(r.status, r.body),
          (e: unknown) => {
            const h = toHttpError(e);
            send(h.status, { error: h.message });
          },
        );
      });
      return;
    }
    send(404, { error: 'rota' });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) })),
  );
}

/** The work behind POST without any HTTP in front: CONNECTIONS callers creating charges back to back. */
async function engineAlone(core: Core, ms: number): Promise<{ rps: number; p99: number }> {
  const lat: number[] = [];
  const end = Date.now() + ms;
  const worker = async () => {
    while (Date.now() < end) {
      const t = performance.now();
      await core.charges.charges.create({ amountCents: 100, description: 'bench' });
      lat.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  lat.sort((a, b) => a - b);
  return { rps: lat.length / ((performance.now() - t0) / 1000), p99: lat[Math.ceil(lat.length * 0.99) - 1] ?? NaN };
}

export const apiSuite: BenchSuite = {
  name: 'api',
  async run(): Promise<BenchResult[]> {
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-api-'));
    // The sandbox bank in its own process, as the real bank is elsewhere; the Core below finds it via instance.json.
    const sandbox = spawn(process.execPath, [path.join(root, 'dist', 'main', 'cli.cjs'), 'sandbox', 'serve', '--profile', profileDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitLine(sandbox, /control: \S+/);
    const core = new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId: 'bench' }), shell: 'cli' });
    let rt: ApiRuntime | null = null;
    let bare: { url: string; close: () => Promise<void> } | null = null;
    try {
      const sb = await core.sandbox.get();
      const sheet = path.join(profileDir, 'token.xlsx');
      writeTokenSheet(sheet, sb.state.issueToken({}));
      const s = core.onboarding.importFile(fs.readFileSync(sheet), 'Credencial e Token.xlsx');
      await core.onboarding.run(s.id, { name: 'Bench', company: 'Empresa Bench', city: 'Sao Paulo', state: 'SP', environment: 'sandbox' });
      const { appId } = core.apps.create({ name: 'Bench', scopes: ['CHARGE_POST', 'CHARGE_GET'], rateLimitPerMinute: 10_000_000 });
      rt = await ApiRuntime.start(core, { port: 0, webhooks: false });
      bare = await bareServer(rt, core);
      const made = await fetch(`${rt.url}/api/v1/charge`, { method: 'POST', headers: { authorization: appId, 'content-type': 'application/json' }, body: JSON.stringify({ correlationID: 'bench-get', value: 1050 }) });
      const id = ((await made.json()) as { charge: { globalID: string } }).charge.globalID;
      const auth = ['-H', `authorization=${appId}`];
      const post = ['-m', 'POST', '-H', 'content-type=application/json', '-I', '-b', '{"correlationID":"[<id>]","value":100,"comment":"bench"}', ...auth];

      const getOurs = await autocannon(`${rt.url}/api/v1/charge/${id}`, auth);
      const getBare = await autocannon(`${bare.url}/api/v1/charge/${id}`, auth);
      const postOurs = await autocannon(`${rt.url}/api/v1/charge`, post);
      const postBare = await autocannon(`${bare.url}/api/v1/charge`, post);
      const engine = await engineAlone(core, DURATION_S * 1000);
      console.log(`  engine alone (no HTTP, ${CONNECTIONS} concurrent creates): ${Math.round(engine.rps)} charges/s, p99 ${engine.p99.toFixed(0)} ms`);
      for (const [n, l] of [['GET fastify', getOurs], ['GET bare', getBare], ['POST fastify', postOurs], ['POST bare', postBare]] as const) {
        console.log(`  ${n}: ${Math.round(l.rps)} req/s, p99 ${l.p99} ms, non-2xx ${l.non2xx}, errors ${l.errors}`);
        if (l.non2xx || l.errors) throw new Error(`${n}: ${l.non2xx} non-2xx answers and ${l.errors} errors — the figures would not be of successful requests`);
      }
      const base = 'same route on a bare node:http handler (same ChargeApi)';
      const note = `${CONNECTIONS} connections, ${DURATION_S} s, autocannon in a second process`;
      return [
        { name: `API GET /api/v1/charge/{id} throughput (${note})`, value: getOurs.rps, unit: 'req/s', baseline: base, baselineValue: getBare.rps, ratio: getOurs.rps / getBare.rps },
        { name: 'API GET /api/v1/charge/{id} p99 latency', value: getOurs.p99, unit: 'ms', baseline: base, baselineValue: getBare.p99, ratio: getBare.p99 / Math.max(getOurs.p99, 0.001) },
        { name: `API POST /api/v1/charge against the sandbox throughput (${note})`, value: postOurs.rps, unit: 'req/s', baseline: base, baselineValue: postBare.rps, ratio: postOurs.rps / postBare.rps },
        { name: 'API POST /api/v1/charge p99 latency', value: postOurs.p99, unit: 'ms', baseline: base, baselineValue: postBare.p99, ratio: postBare.p99 / Math.max(postOurs.p99, 0.001) },
        { name: 'API POST /api/v1/charge throughput vs the charges engine alone', value: postOurs.rps, unit: 'req/s', baseline: `ChargeService.create called directly, ${CONNECTIONS} at a time (no HTTP)`, baselineValue: engine.rps, ratio: postOurs.rps / engine.rps },
      ];
    } finally {
      await bare?.close();
      await rt?.stop();
      await core.close();
      sandbox.kill('SIGTERM');
      await new Promise((r) => sandbox.once('exit', r));
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  },
};
