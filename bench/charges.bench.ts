import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../main/core/app';
import { ChargeEngine, type TokenSource } from '../main/core/charges';
import { createStsClient } from '../main/core/itau/sts-client';
import { writeTokenSheet } from '../main/core/sandbox';
import { FileKeyProvider } from '../main/core/vault';
import type { BenchResult, BenchSuite } from './harness';

/*
 * Charges against the profile's local sandbox (real HTTPS + mTLS on loopback, in this process):
 * - 1,000 dynamic charges (stored, PUT /cob, answer applied) with the shared token cache, counting the access-token
 *   requests the sandbox received; baseline, same run: a token fetched from the STS for every charge.
 * - reconciliation of 10,000 received Pix (GET /pix pages of 1,000, stored and matched); baseline, same run: pages
 *   of 100 (the API's default page size).
 */

const CHARGES = 1000;
const BASELINE_CHARGES = 300;
const PIX = 10_000;

export async function profileWithAccount(): Promise<{ core: Core; accountId: string; clientId: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-chg-'));
  const core = new Core({ profileDir: dir, keyProvider: new FileKeyProvider({ profileDir: dir, machineId: 'bench' }), shell: 'cli' });
  const sb = await core.sandbox.get();
  const file = path.join(dir, 't.xlsx');
  writeTokenSheet(file, sb.state.issueToken({}));
  const s = core.onboarding.importFile(fs.readFileSync(file), 'Credencial e Token.xlsx');
  const done = await core.onboarding.run(s.id, { name: 'Bench', company: 'Empresa Bench', city: 'Sao Paulo', state: 'SP', environment: 'sandbox' });
  const accountId = done.accountId!;
  return { core, accountId, clientId: core.accounts.get(accountId).clientId, dir };
}

async function createMany(engine: ChargeEngine, n: number): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const v = await engine.charges.create({ amountCents: 100 + i, description: `bench ${i}` });
    if (v.status !== 'active') throw new Error(`charge ${i} ended ${v.status}`);
  }
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function chargeFigures(): Promise<BenchResult[]> {
  const p = await profileWithAccount();
  try {
    await createMany(p.core.charges, 20); // warm-up: TLS session, prepared statements, JIT
    await p.core.sandbox.resetStats();
    p.core.tokens.invalidate(p.accountId); // start cold: the run must fetch its own token
    const secs = await createMany(p.core.charges, CHARGES);
    const tokens = await p.core.sandbox.tokenRequests(p.clientId);

    // Baseline: the same engine, but every bank call asks the STS for a fresh token (what a client without a cache does).
    const perCall: TokenSource = {
      get: async (id) => {
        const ep = await p.core.endpointsOf(p.core.accounts.get(id));
        return (await createStsClient(ep).accessToken(p.core.accounts.credentials(id))).accessToken;
      },
      invalidate: () => undefined,
    };
    const naive = new ChargeEngine({
      db: p.core.db, accounts: p.core.accounts, tokens: perCall, endpoints: (id) => p.core.endpointsOf(p.core.accounts.get(id)),
      events: p.core.events, now: () => new Date(), till: () => 'Caixa 1',
    });
    await p.core.sandbox.resetStats();
    const baseSecs = await createMany(naive, BASELINE_CHARGES);
    const baseTokens = await p.core.sandbox.tokenRequests(p.clientId);
    const ours = CHARGES / secs;
    const theirs = BASELINE_CHARGES / baseSecs;
    console.log(`  ${CHARGES} charges in ${secs.toFixed(2)} s with ${tokens} token request(s); baseline ${BASELINE_CHARGES} charges in ${baseSecs.toFixed(2)} s with ${baseTokens}`);
    return [
      {
        name: `access-token requests for ${CHARGES.toLocaleString('en-US')} charges (token cache)`,
        value: tokens,
        unit: 'requests',
        baseline: `token per charge: requests for ${CHARGES.toLocaleString('en-US')} charges (measured ${baseTokens} for ${BASELINE_CHARGES})`,
        baselineValue: (baseTokens / BASELINE_CHARGES) * CHARGES,
        ratio: ((baseTokens / BASELINE_CHARGES) * CHARGES) / Math.max(1, tokens),
      },
      {
        name: 'charge creation throughput (store + PUT /cob over mTLS + apply), sequential',
        value: ours,
        unit: 'charges/s',
        baseline: 'same, fetching an access token for every charge',
        baselineValue: theirs,
        ratio: ours / theirs,
      },
    ];
  } finally {
    await p.core.close();
    fs.rmSync(p.dir, { recursive: true, force: true });
  }
}

async function reconcileOnce(pageSize: number): Promise<{ ms: number; peakMb: number }> {
  const p = await profileWithAccount();
  try {
    const now = Date.now();
    await p.core.sandbox.seedPix({ clientId: p.clientId, count: PIX, fromMs: now - 5 * 60_000, toMs: now - 1000, txidEvery: 10 });
    const engine = new ChargeEngine({
      db: p.core.db, accounts: p.core.accounts, tokens: p.core.tokens, endpoints: (id) => p.core.endpointsOf(p.core.accounts.get(id)),
      events: p.core.events, now: () => new Date(), till: () => 'Caixa 1', pageSize,
    });
    await p.core.tokens.get(p.accountId);
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const t = process.hrtime.bigint();
    const r = await engine.reconciler.run(p.accountId);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (r.fresh !== PIX) throw new Error(`reconciled ${r.fresh} of ${PIX}`);
    return { ms, peakMb: (peak - base) / 2 ** 20 };
  } finally {
    await p.core.close();
    fs.rmSync(p.dir, { recursive: true, force: true });
  }
}

async function reconcileFigures(): Promise<BenchResult[]> {
  const ours = await reconcileOnce(1000);
  const small = await reconcileOnce(100);
  console.log(`  10,000 Pix: ${ours.ms.toFixed(0)} ms, heap +${ours.peakMb.toFixed(1)} MiB; pages of 100: ${small.ms.toFixed(0)} ms, +${small.peakMb.toFixed(1)} MiB`);
  return [
    { name: 'reconciliation of 10,000 received Pix (GET /pix pages of 1,000, stored + matched)', value: ours.ms, unit: 'ms', baseline: 'same with pages of 100 (API default)', baselineValue: small.ms, ratio: small.ms / ours.ms },
    { name: 'reconciliation of 10,000 received Pix, peak heap growth', value: ours.peakMb, unit: 'MiB', baseline: 'same with pages of 100', baselineValue: small.peakMb, ratio: small.peakMb / Math.max(0.001, ours.peakMb) },
  ];
}

export const chargesSuite: BenchSuite = {
  name: 'charges',
  async run(): Promise<BenchResult[]> {
    return [...(await chargeFigures()), ...(await reconcileFigures())];
  },
};
