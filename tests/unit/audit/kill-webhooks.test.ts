import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmProfile } from '../charges/support';
import { call, startApi } from '../api/support';
import { buildChildren, integrityOk, spawnChild, spread, type RunningChild } from './kill-support';

/**
 * SIGKILL at random points of webhook delivery. A child PixDesk process (kill-webhook-child.ts) on a real profile
 * announces payments the profile recorded and sends their webhooks to receivers in this process — a slow one (holds the request, reads the
 * body slowly) and one that answers 500 now and then — and is killed at a seeded random instant, in the middle of a
 * POST (headers received, no answer yet) or right after a 2xx answer (before the row can be marked delivered). The
 * next child, on the same profile, carries on; a last one drains the queue. After each kill: integrity_check = ok,
 * no queued delivery lost or changed, one row per event and webhook; at the end every delivery reached its receiver
 * with a 2xx, a receiver saw an event acknowledged twice only for a kill in that window and always under the same
 * `x-pixdesk-delivery`, and every request carried valid signatures. PIXDESK_KILL_SEED=<seed> replays a run's choices
 * (kill modes, delays, answers); the machine's timing still varies.
 */
const SPEED = 200; // the sender's clock: 10 s of retry delay or 60 s of lease pass in 50 / 300 ms
const ROUNDS = 33;
const PER_LIFE = 1; // payments each child announces before it is killed (the rest is sending and retrying)
const CHARGES = 36;
const MODES = ['random', 'mid-POST', 'after-2xx'] as const;
type Mode = (typeof MODES)[number];

const seed = Number(process.env.PIXDESK_KILL_SEED) || crypto.randomInt(1, 2 ** 31 - 1);
let childJs: string;
let cleanup = () => {};
beforeAll(() => {
  const built = buildChildren(['kill-webhook-child']);
  childJs = built.js['kill-webhook-child']!;
  cleanup = built.cleanup;
});
afterAll(() => cleanup());

interface Req {
  /** Which child sent it (a request of a killed child is never answered afterwards). */
  life: number;
  path: '/slow' | '/flaky';
  delivery: string;
  headers: http.IncomingHttpHeaders;
  raw: string | null; // null: the body never arrived in full (the sender died)
  answered: number | null;
}

/** The receivers: `/slow` and `/flaky` on one loopback server; hooks let the test kill the sender at chosen moments. */
async function receivers(rnd: () => number) {
  const reqs: Req[] = [];
  const failsInRow = new Map<string, number>();
  const hooks: { onHeaders?: (r: Req) => void; onBodyPart?: (r: Req) => void; onAnswered?: (r: Req) => void } = {};
  const sender = { life: 0, alive: false };
  const server = http.createServer((req, res) => {
    const r: Req = { life: sender.life, path: req.url === '/slow' ? '/slow' : '/flaky', delivery: String(req.headers['x-pixdesk-delivery']), headers: req.headers, raw: null, answered: null };
    reqs.push(r);
    hooks.onHeaders?.(r);
    const chunks: Buffer[] = [];
    const answer = (status: number) => {
      if (res.destroyed || !sender.alive || r.life !== sender.life) return void res.destroy(); // its sender is dead
      res.on('finish', () => {
        r.answered = status;
        hooks.onAnswered?.(r);
      });
      res.writeHead(status).end(status === 200 ? 'ok' : 'erro');
    };
    if (r.path === '/slow') {
      // Read the body a few bytes at a time, with pauses, then hold the answer a little.
      req.pause();
      const readSome = () => {
        if (req.destroyed) return;
        let c: Buffer | null;
        let n = 0;
        while (n < 2 && (c = req.read(256) as Buffer | null)) {
          chunks.push(c);
          n++;
        }
        if (chunks.length) hooks.onBodyPart?.(r);
        if (req.readableEnded) return;
        setTimeout(readSome, 2 + Math.floor(rnd() * 6));
      };
      req.on('readable', () => undefined);
      req.on('end', () => {
        r.raw = Buffer.concat(chunks).toString('utf8');
        setTimeout(() => answer(200), 5 + Math.floor(rnd() * 40));
      });
      setTimeout(readSome, 5 + Math.floor(rnd() * 20));
    } else {
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        r.raw = Buffer.concat(chunks).toString('utf8');
        const k = failsInRow.get(r.delivery) ?? 0;
        // 500 about one time in four, never more than three times in a row for a delivery (the retry budget is 8).
        const fail = k < 3 && rnd() < 0.25;
        failsInRow.set(r.delivery, fail ? k + 1 : 0);
        answer(fail ? 500 : 200);
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    reqs,
    hooks,
    sender,
    slow: `${base}/slow`,
    flaky: `${base}/flaky`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Row {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  status: string;
  attempts: number;
}

function readRows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, webhook_id, event, body, status, attempts FROM webhook_deliveries').all() as Row[];
  } finally {
    db.close();
  }
}

const chargeOf = (body: string) => (JSON.parse(body) as { charge: { globalID: string } }).charge.globalID;

describe('webhook kill points', () => {
  it('killed at random instants, mid-POST and right after a 2xx: no delivery lost or duplicated in the queue, redeliveries keep their id and signatures', async () => {
    console.log(`webhook kill points: seed ${seed} (replay with PIXDESK_KILL_SEED=${seed})`);
    const started = Date.now();
    const rnd = spread(seed);
    const rx = await receivers(spread(seed + 1));
    const api = await startApi({ serve: { webhooks: false } });
    const { profileDir } = api;
    const file = path.join(profileDir, 'pixdesk.sqlite');
    try {
      // Payments recorded by the profile (made through the API, paid at the sandbox, seen by the charges engine).
      const { appId } = api.app('ERP');
      const record = async (i: number) => {
        const r = await call(api.url, '/api/v1/charge', { appId, body: { correlationID: `kill-${i}`, value: 100 + i } });
        expect(r.status).toBe(200);
        const id = (r.json!.charge as { globalID: string }).globalID;
        await api.core.sandbox.pay({ txid: api.core.charges.charges.view(id).txid, payerName: 'Ana' });
        expect((await api.core.charges.charges.poll(id)).view.status).toBe('paid');
      };
      for (let i = 0; i < CHARGES; i += 6) await Promise.all([0, 1, 2, 3, 4, 5].map((k) => record(i + k)));
      // The partner's webhooks (registered after, so nothing is queued yet): payments to a slow receiver and to a
      // flaky one, received Pix to the flaky one. The children announce the payments and send.
      const secretOf = new Map<string, string>();
      for (const [event, url] of [['OPENPIX:CHARGE_COMPLETED', rx.slow], ['OPENPIX:CHARGE_COMPLETED', rx.flaky], ['OPENPIX:TRANSACTION_RECEIVED', rx.flaky]] as const) {
        const r = await call(api.url, '/api/v1/webhook', { appId, body: { webhook: { event, url } } });
        expect(r.status).toBe(200);
        const w = r.json!.webhook as { id: string; hmacSecret: string };
        secretOf.set(w.id, w.hmacSecret);
      }
      await api.close(true);
      expect(readRows(file)).toEqual([]);
      const v0 = Date.now();
      const r0 = Date.now();
      const tried: Record<Mode, number> = { random: 0, 'mid-POST': 0, 'after-2xx': 0 };
      const seen = new Map<string, Row>();
      const queuedCharges = new Set<string>();
      const window = new Set<string>(); // deliveries acknowledged (2xx) whose row was not marked delivered at the kill
      let midPostOpen = 0; // mid-POST kills that found a request without an answer

      for (let round = 0; round < ROUNDS; round++) {
        const mode = MODES[round % MODES.length]!;
        let child: RunningChild | null = null;
        let killed = false;
        const kill = () => {
          if (killed || !child) return;
          killed = true;
          rx.sender.alive = false;
          child.kill();
        };
        const nth = 1 + Math.floor(rnd() * (mode === 'mid-POST' ? 2 : 3));
        const atBody = rnd() < 0.5; // mid-POST: at the headers, or once part of the body was read
        const delay = Math.floor(rnd() * 250);
        const from = rx.reqs.length;
        let count = 0;
        rx.hooks.onHeaders = mode === 'mid-POST' && !atBody ? (r) => r.path === '/slow' && ++count === nth && kill() : undefined;
        rx.hooks.onBodyPart = mode === 'mid-POST' && atBody ? (r) => r.path === '/slow' && r.raw === null && rx.reqs.indexOf(r) >= from && ++count === nth && kill() : undefined;
        rx.hooks.onAnswered = mode === 'after-2xx' ? (r) => r.answered === 200 && rx.reqs.indexOf(r) >= from && ++count === nth && kill() : undefined;
        rx.sender.life++;
        rx.sender.alive = true;
        let backstop: NodeJS.Timeout | undefined;
        let fellBack = false;
        child = spawnChild(childJs, [profileDir, String(v0), String(r0), String(SPEED), String(PER_LIFE)], (out) => {
          if (!out.includes('ready') || backstop) return;
          // random: at a random instant; the others at their moment, or after 0.8 s if it never came (counted random).
          backstop = setTimeout(() => {
            fellBack = !killed && mode !== 'random';
            kill();
          }, mode === 'random' ? delay : 800);
        });
        const r = await child.exited;
        clearTimeout(backstop);
        rx.hooks.onHeaders = rx.hooks.onBodyPart = rx.hooks.onAnswered = undefined;
        expect(r.signal, r.out).toBe('SIGKILL');
        tried[fellBack ? 'random' : mode]++;
        if (mode === 'mid-POST' && rx.reqs.slice(from).some((q) => q.answered === null)) midPostOpen++;
        for (const m of r.out.matchAll(/queued (\S+)/g)) queuedCharges.add(m[1]!);

        integrityOk(file);
        const rows = readRows(file);
        const byId = new Map(rows.map((x) => [x.id, x]));
        for (const [id, before] of seen) {
          const now = byId.get(id);
          expect(now, `delivery ${id} lost`).toBeDefined();
          expect(now!.body).toBe(before.body);
          if (before.status === 'delivered') expect(now!.status).toBe('delivered');
        }
        for (const x of rows) seen.set(x.id, x);
        // One row per event occurrence and webhook (a payment announced again adds nothing).
        const keys = rows.map((x) => `${x.webhook_id} ${x.event} ${chargeOf(x.body)}`);
        expect(new Set(keys).size).toBe(rows.length);
        // Every payment the child reported announced has its three deliveries queued.
        for (const c of queuedCharges) expect(rows.filter((x) => chargeOf(x.body) === c), `deliveries of ${c}`).toHaveLength(3);
        // Marked delivered only after a 2xx; a 2xx not yet marked is the crash window (it will be sent again).
        const acked = new Set(rx.reqs.filter((q) => q.answered === 200).map((q) => q.delivery));
        for (const x of rows) {
          if (x.status === 'delivered') expect(acked.has(x.id), `delivered without a 2xx: ${x.id}`).toBe(true);
          else if (acked.has(x.id)) window.add(x.id);
        }
      }

      // A last start drains the queue.
      rx.sender.life++;
      rx.sender.alive = true;
      const last = spawnChild(childJs, [profileDir, String(v0), String(r0), String(SPEED), '0']);
      const end = await last.exited;
      expect(end.out).toContain('drained');
      expect(end.code).toBe(0);
      integrityOk(file);

      const rows = readRows(file);
      expect(rows).toHaveLength(CHARGES * 3); // every payment: completed to both receivers, received Pix to one
      expect(rows.filter((x) => x.status !== 'delivered')).toEqual([]);
      for (const [id] of seen) expect(rows.some((x) => x.id === id)).toBe(true);

      // The receivers: every delivery acknowledged; twice only in the crash window; one id per event and URL.
      const pubs = (() => {
        const db = new Database(file, { readonly: true });
        try {
          return new Map((db.prepare('SELECT key_identifier, public_pem FROM webhook_keys').all() as { key_identifier: string; public_pem: string }[]).map((k) => [k.key_identifier, k.public_pem]));
        } finally {
          db.close();
        }
      })();
      const rowById = new Map(rows.map((x) => [x.id, x]));
      const idsOfEvent = new Map<string, Set<string>>();
      let redelivered = 0;
      for (const q of rx.reqs) {
        const row = rowById.get(q.delivery);
        expect(row, `request with unknown x-pixdesk-delivery ${q.delivery}`).toBeDefined();
        if (q.raw === null) continue; // cut by the kill before the body was in
        expect(q.raw).toBe(row!.body);
        const ev = `${q.path} ${row!.event} ${chargeOf(q.raw)}`;
        idsOfEvent.set(ev, (idsOfEvent.get(ev) ?? new Set()).add(q.delivery));
        const pem = pubs.get(String(q.headers['x-webhook-key-id']));
        expect(pem).toBeDefined();
        expect(crypto.verify('sha256', Buffer.from(q.raw), pem!, Buffer.from(String(q.headers['x-webhook-signature']), 'base64')), 'x-webhook-signature').toBe(true);
        const mac = crypto.createHmac('sha1', secretOf.get(row!.webhook_id)!).update(q.raw).digest('base64');
        expect(q.headers['x-openpix-signature'], 'X-OpenPix-Signature').toBe(mac);
      }
      for (const ids of idsOfEvent.values()) expect(ids.size).toBe(1);
      for (const x of rows) {
        const oks = rx.reqs.filter((q) => q.delivery === x.id && q.answered === 200).length;
        expect(oks, `2xx answers for ${x.id}`).toBeGreaterThanOrEqual(1);
        // x-pixdesk-attempt goes 1, 2, … and repeats only for a send cut by a kill; the last one is the one recorded.
        const tries = rx.reqs.filter((q) => q.delivery === x.id).map((q) => Number(q.headers['x-pixdesk-attempt']));
        expect(tries[0]).toBe(1);
        for (let i = 1; i < tries.length; i++) expect(tries[i]! - tries[i - 1]!, `x-pixdesk-attempt of ${x.id}: ${tries.join(',')}`).toBeOneOf([0, 1]);
        expect(x.attempts).toBe(tries[tries.length - 1]);
        if (oks > 1) {
          redelivered++;
          expect(window.has(x.id), `${x.id} acknowledged ${oks} times outside the crash window`).toBe(true);
        }
      }

      const total = tried.random + tried['mid-POST'] + tried['after-2xx'];
      console.log(
        `webhook kill points tried: ${total} (random ${tried.random}, mid-POST ${tried['mid-POST']} — ${midPostOpen} with a POST open, after a 2xx ${tried['after-2xx']}); ` +
          `${rows.length} deliveries, ${rx.reqs.length} requests, ${rx.reqs.filter((q) => q.answered === 500).length} answered 500, ` +
          `${window.size} acknowledged but not yet marked at a kill, ${redelivered} redelivered with the same id; ${Date.now() - started} ms`,
      );
      expect(total).toBeGreaterThanOrEqual(30);
      expect(tried['mid-POST'] + tried['after-2xx']).toBeGreaterThanOrEqual(10);
      expect(midPostOpen).toBeGreaterThan(0);
      expect(window.size).toBeGreaterThan(0); // the crash window was really hit
    } finally {
      await api.close(true);
      await rx.close();
      rmProfile(profileDir);
    }
  }, 60_000);
});
