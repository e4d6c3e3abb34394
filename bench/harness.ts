/** One recorded figure, as written to bench/results.json and BENCHMARKS.md. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value / baselineValue for throughputs (higher is better); baselineValue / value for times. */
  ratio: number;
}

/** Operations per second of `fn` over a fixed wall-clock budget, after a warm-up. */
export function throughput(fn: (i: number) => unknown, budgetMs = 1000): number {
  for (let i = 0; i < 2000; i++) fn(i);
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(budgetMs) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let k = 0; k < 200; k++) fn(n++);
    elapsed = process.hrtime.bigint() - start;
  }
  return n / (Number(elapsed) / 1e9);
}

/** Per-call durations in milliseconds for `runs` calls (sync or async). */
export async function durations(fn: (i: number) => unknown, runs: number, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

/** The q-quantile (0..1) of a sample, nearest-rank. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[idx] ?? NaN;
}

/** A benchmark suite: returns its figures, each with the baseline measured in the same run. */
export interface BenchSuite {
  name: string;
  run(): Promise<BenchResult[]>;
}
