import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult, BenchSuite } from './harness';
import { brcodeSuite } from './brcode.bench';
import { onboardingSuite } from './onboarding.bench';
import { chargesSuite } from './charges.bench';
import { apiSuite } from './api.bench';
import { chargesListSuite } from './charges-list.bench';
import { cashierSuite } from './cashier.bench';
import { chargesScrollSuite } from './charges-scroll.bench';
import { backupSuite } from './backup.bench';

/** Suites register here; each measures PixDesk and its baseline side by side in this same run. */
const suites: BenchSuite[] = [brcodeSuite, onboardingSuite, chargesSuite, apiSuite, chargesListSuite, cashierSuite, chargesScrollSuite, backupSuite];

async function main(): Promise<void> {
  const only = process.argv[2];
  const results: BenchResult[] = [];
  const machine = `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  console.log(`machine: ${machine}`);
  for (const s of suites) {
    if (only && s.name !== only) continue;
    console.log(`\n# ${s.name}`);
    const rs = await s.run();
    for (const r of rs) {
      console.log(
        `${r.name}: ${fmt(r.value)} ${r.unit}  | ${r.baseline}: ${fmt(r.baselineValue)} ${r.unit}  | ratio ${r.ratio.toFixed(2)}×`,
      );
    }
    results.push(...rs);
  }
  const file = path.resolve(__dirname, '..', '..', 'bench', 'results.json');
  // A partial run (one suite) replaces only its own figures.
  let previous: BenchResult[] = [];
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult[];
  } catch {
    previous = [];
  }
  const names = new Set(results.map((r) => r.name));
  const merged = only ? [...previous.filter((r) => !names.has(r.name)), ...results] : results;
  fs.writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(3);
}

void main();
