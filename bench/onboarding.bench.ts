import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../main/core/app';
import { generatePrivateKeyPemForge } from '../main/core/pki/csr';
import { writeTokenSheet, type RunningSandbox } from '../main/core/sandbox';
import { FileKeyProvider } from '../main/core/vault';
import { durations, quantile, type BenchResult, type BenchSuite } from './harness';

/**
 * Import of Itaú's spreadsheet → first access token, against the local sandbox (real HTTPS/mTLS on loopback):
 * xlsx parse, RSA-2048 key, SHA-512 CSR, STS exchange, certificate verification, sealed storage, OAuth token.
 * Baseline, same run: the same flow with node-forge's pure-JS RSA key generation.
 */
async function measure(runs: number, keyGenerator?: () => string): Promise<number[]> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-onb-'));
  const core = new Core({
    profileDir,
    keyProvider: new FileKeyProvider({ profileDir, machineId: 'bench' }),
    shell: 'cli',
    ...(keyGenerator ? { keyGenerator } : {}),
  });
  // The profile's own sandbox, as a new user's sandbox account uses it (started in-process, loopback mTLS).
  const sb: RunningSandbox = await core.sandbox.get();
  // Sheets are prepared outside the timed section: the bank's e-mail exists before the person drops it.
  const sheets: Buffer[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const file = path.join(profileDir, `t${i}.xlsx`);
    writeTokenSheet(file, sb.state.issueToken({}));
    sheets.push(fs.readFileSync(file));
  }
  let next = 0;
  try {
    return await durations(async () => {
      const bytes = sheets[next++]!;
      const s = core.onboarding.importFile(bytes, 'Credencial e Token.xlsx');
      const done = await core.onboarding.run(s.id, {
        name: 'Bench', company: 'Empresa Bench', city: 'Sao Paulo', state: 'SP', environment: 'sandbox',
      });
      if (done.step !== 'done') throw new Error(`onboarding ended at ${done.step}`);
    }, runs, 2);
  } finally {
    await core.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export const onboardingSuite: BenchSuite = {
  name: 'onboarding',
  async run(): Promise<BenchResult[]> {
    const ours = await measure(25);
    const forge = await measure(6, generatePrivateKeyPemForge);
    const baseline = 'same flow with node-forge pure-JS RSA keygen';
    return [
      {
        name: 'onboarding import→first access token, median (native RSA keygen)',
        value: median(ours),
        unit: 'ms',
        baseline,
        baselineValue: median(forge),
        ratio: median(forge) / median(ours),
      },
      {
        name: 'onboarding import→first access token, p95 (native RSA keygen)',
        value: quantile(ours, 0.95),
        unit: 'ms',
        baseline: `${baseline}, p95`,
        baselineValue: quantile(forge, 0.95),
        ratio: quantile(forge, 0.95) / quantile(ours, 0.95),
      },
    ];
  },
};
