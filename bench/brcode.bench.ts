/**
 * BR Code engine vs pix-utils (the most used JS Pix library), measured side by side in one run:
 *   - encode + CRC throughput: encodeStatic(input) vs createStaticPix(params).toBRCode()
 *   - decode throughput:       decode(payload)     vs parsePix(payload)
 *   - payload → SVG p95:       renderQrSvg(payload) vs qrcode.toString(payload, {type: 'svg'}) with default
 *     options (pix-utils has no SVG path of its own; its toImage() is a PNG data URL from the same package)
 * Each pair runs in alternating rounds over the same 256 varied inputs; the median round is reported.
 */
import { createStaticPix, hasError, parsePix } from 'pix-utils';
import QRCode from 'qrcode';
import { decode, encodeStatic, renderQrSvg, type StaticInput } from '../main/core/brcode';
import { durations, quantile, throughput, type BenchResult, type BenchSuite } from './harness';

const N = 256;
const ROUNDS = 3;

const NAMES = ['Padaria São João', 'Açougue Boi Gordo', 'Mercadinho Irmãos Araújo', 'Fulano de Tal', 'Pastelaria Ki-Delícia', 'JOSÉ DA SILVA ME'];
const CITIES = ['São Paulo', 'Maceió', 'BRASILIA', 'Florianópolis', 'Belém', 'Rio de Janeiro'];
const KEYS = [
  '123e4567-e12b-12d1-a456-426655440000',
  'financeiro@padaria.com.br',
  '+5511912345678',
  '12345678909',
  '11222333000181',
  '4004901d-bd85-4769-8e52-cb4c42c506dc',
];

interface Case {
  ours: StaticInput;
  theirs: Parameters<typeof createStaticPix>[0];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < N; i++) {
    const cents = 100 + ((i * 7919) % 99_900);
    const amount = i % 5 === 0 ? null : `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const txid = i % 3 === 0 ? null : `PED${i}X${(i * 104729) % 1_000_000}`;
    const description = i % 4 === 0 ? `Pedido ${i} balcão` : null;
    const ours: StaticInput = {
      key: KEYS[i % KEYS.length] as string,
      name: `${NAMES[i % NAMES.length] as string} ${i}`.slice(0, 25),
      city: CITIES[i % CITIES.length] as string,
      amount,
      txid,
      description,
    };
    out.push({
      ours,
      theirs: {
        pixKey: ours.key,
        merchantName: ours.name,
        merchantCity: ours.city,
        transactionAmount: amount === null ? 0 : Number(amount),
        ...(txid ? { txid } : {}),
        ...(description ? { infoAdicional: description } : {}),
      },
    });
  }
  return out;
}

function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

async function throughputPair(ours: (i: number) => unknown, theirs: (i: number) => unknown): Promise<[number, number]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    b.push(throughput(theirs, 700));
    a.push(throughput(ours, 700));
    await new Promise((res) => setImmediate(res));
  }
  return [median(a), median(b)];
}

export const brcodeSuite: BenchSuite = {
  name: 'brcode',
  async run(): Promise<BenchResult[]> {
    const cs = cases();
    const payloads = cs.map((c) => encodeStatic(c.ours));
    // Sanity: both libraries must succeed on every input, so the figures compare equal work.
    for (let i = 0; i < N; i++) {
      const c = cs[i] as Case;
      const theirs = createStaticPix(c.theirs);
      if (hasError(theirs)) throw new Error(`pix-utils refused case ${i}: ${theirs.message}`);
      const parsed = parsePix(payloads[i] as string);
      if (hasError(parsed)) throw new Error(`pix-utils could not parse our payload ${i}: ${parsed.message}`);
      if (decode(theirs.toBRCode()).merchantCity === '') throw new Error(`could not decode pix-utils payload ${i}`);
    }
    const results: BenchResult[] = [];

    const [encOurs, encTheirs] = await throughputPair(
      (i) => encodeStatic((cs[i % N] as Case).ours),
      (i) => {
        const p = createStaticPix((cs[i % N] as Case).theirs);
        return hasError(p) ? p : p.toBRCode();
      },
    );
    results.push({
      name: 'brcode encodeStatic (+CRC)',
      value: encOurs,
      unit: 'ops/s',
      baseline: 'pix-utils createStaticPix().toBRCode()',
      baselineValue: encTheirs,
      ratio: encOurs / encTheirs,
    });

    const [decOurs, decTheirs] = await throughputPair(
      (i) => decode(payloads[i % N] as string),
      (i) => parsePix(payloads[i % N] as string),
    );
    results.push({
      name: 'brcode decode (+strict validation)',
      value: decOurs,
      unit: 'ops/s',
      baseline: 'pix-utils parsePix()',
      baselineValue: decTheirs,
      ratio: decOurs / decTheirs,
    });

    const runs = 1500;
    const p95Ours: number[] = [];
    const p95Theirs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const theirs = await durations((i) => QRCode.toString(payloads[(i * 31) % N] as string, { type: 'svg' }), runs, 50);
      const ours = await durations((i) => renderQrSvg(payloads[(i * 31) % N] as string), runs, 50);
      p95Theirs.push(quantile(theirs, 0.95));
      p95Ours.push(quantile(ours, 0.95));
    }
    const svgOurs = median(p95Ours);
    const svgTheirs = median(p95Theirs);
    results.push({
      name: 'brcode payload→SVG p95',
      value: svgOurs,
      unit: 'ms',
      baseline: 'qrcode.toString(svg) naive defaults (pix-utils has no SVG path)',
      baselineValue: svgTheirs,
      ratio: svgTheirs / svgOurs,
    });
    return results;
  },
};
