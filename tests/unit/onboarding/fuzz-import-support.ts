/**
 * Shared harness of the hostile-input fuzz of the credential import (fuzz-sheets.test.ts, fuzz-eml.test.ts).
 *
 * Each case runs in a worker thread (fuzz-import-worker.ts, bundled with esbuild) with a deadline and a heap
 * limit: a case that hangs is stopped and reported as a hang, one that exhausts memory as a crash, instead of
 * hanging or killing the test run. {@link checkImport} holds the property every case must keep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { expect } from 'vitest';

export type FuzzRequest = { op: 'import' | 'parseEml'; bytes: Uint8Array; name: string; nowMs: number };
export type FuzzAnswer =
  | { kind: 'ok'; ms: number; credential: { clientId: string; token: string; tokenSha256: string; tokenExpiresAt: string; expirySource: string; warnings: string[]; source: string } }
  | { kind: 'error'; ms: number; name: string; code: string; message: string; appError: boolean }
  | { kind: 'leaves'; ms: number; count: number; names: string[]; bodyBytes: number }
  | { kind: 'hang'; ms: number }
  | { kind: 'crash'; ms: number; message: string };

/** Per-case deadline: the real sheet imports in a few milliseconds; anything near this is a hang. */
export const CASE_DEADLINE_MS = 4_000;
/** Heap of the worker: a case that needs more is a memory bug. */
export const WORKER_HEAP_MB = 384;

/** Iterations: fixed per run, raised for a long run with `FUZZ_RUNS=<n>`. */
export function fuzzRuns(base: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : base;
}

/** A test's time limit: the given one, or an hour for a long run (`FUZZ_RUNS` set). */
export function fuzzTimeout(ms: number): number {
  return process.env.FUZZ_RUNS ? 3_600_000 : ms;
}

/** Seed of a run: fixed unless `FUZZ_SEED` asks for another (printed on failure by fast-check). */
export function fuzzSeed(base: number): number {
  const n = Number(process.env.FUZZ_SEED);
  return Number.isInteger(n) ? n : base;
}

const root = path.resolve(__dirname, '..', '..', '..');

/** A worker that imports one file per call, restarted after a hang or a crash. */
export class ImportWorker {
  private worker: Worker | null = null;
  private readonly file: string;
  private readonly dir: string;
  /** Cases answered, and the slowest one. */
  cases = 0;
  maxMs = 0;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-fuzz-import-'));
    this.file = path.join(this.dir, 'worker.cjs');
    buildSync({
      entryPoints: [path.join(root, 'tests/unit/onboarding/fuzz-import-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: this.file,
      absWorkingDir: root,
      logLevel: 'error',
    });
  }

  private spawn(): Worker {
    this.worker ??= new Worker(this.file, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 64 } });
    return this.worker;
  }

  /** Run one case; never rejects. */
  run(req: FuzzRequest): Promise<FuzzAnswer> {
    const w = this.spawn();
    const t0 = Date.now();
    return new Promise<FuzzAnswer>((resolve) => {
      const finish = (a: FuzzAnswer, kill: boolean) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill) {
          this.worker = null;
          void w.terminate();
        }
        this.cases++;
        this.maxMs = Math.max(this.maxMs, a.ms);
        resolve(a);
      };
      const onMessage = (a: FuzzAnswer) => finish(a, false);
      const onError = (e: Error) => finish({ kind: 'crash', ms: Date.now() - t0, message: `${(e as { code?: string }).code ?? ''} ${e.message}` }, true);
      const onExit = (code: number) => finish({ kind: 'crash', ms: Date.now() - t0, message: `worker exited (${code})` }, true);
      const timer = setTimeout(() => finish({ kind: 'hang', ms: Date.now() - t0 }, true), CASE_DEADLINE_MS);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(req);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** English (or a developer's) text that must never reach a person: the messages are pt-BR sentences. */
const NOT_PT_BR = /\b(Expected|Invalid|invalid|Cannot|cannot|undefined|null|NaN|TypeError|RangeError|SyntaxError|Error:|at \S+\.(ts|js|cjs):\d+|node_modules|Unexpected|Unsupported|Bad |not a )\b/;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

/** Windows of a token that identify it (payload and signature; the `{"alg":…}` header is the same in every token). */
export function tokenWindows(token: string, width = 16): string[] {
  const body = token.slice(token.indexOf('.') + 1);
  const out: string[] = [];
  for (let i = 0; i + width <= body.length; i += 4) out.push(body.slice(i, i + width));
  return out;
}

/** True when a text carries a JWT or a piece of one of the secret tokens. */
export function leaksSecret(text: string, windows: readonly string[]): boolean {
  return JWT.test(text) || windows.some((w) => text.includes(w));
}

/** Error codes every case may end with (the importer's own, all with a pt-BR message). */
export const IMPORT_CODES = new Set([
  'FILE_EMPTY', 'FILE_TOO_LARGE', 'FILE_IS_PDF', 'FILE_IS_IMAGE', 'FILE_IS_TEXT', 'FILE_IS_OUTLOOK_MSG', 'FILE_NOT_WORKBOOK',
  'WORKBOOK_UNREADABLE', 'WORKBOOK_ENCRYPTED', 'WORKBOOK_EMPTY', 'OLD_ENCRYPTED_DELIVERY', 'EML_NO_ATTACHMENT',
  'CREDENTIALS_NOT_FOUND', 'CLIENT_ID_MISSING', 'CLIENT_ID_INVALID', 'CLIENT_ID_AMBIGUOUS', 'TOKEN_MISSING', 'TOKEN_NOT_JWT',
  'TOKEN_AMBIGUOUS', 'TOKEN_TRUNCATED', 'TOKEN_CLIENT_MISMATCH', 'TOKEN_EXPIRED',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The property of one import: a valid credential (a UUID, a token that was in the input, a future expiry), or one
 * of the importer's typed errors with a pt-BR message; never an internal failure, a hang, a crash, or a message
 * or warning carrying the token. `allowed` lists the tokens and Client IDs the input really held.
 */
export function checkImport(a: FuzzAnswer, ctx: { what: string; nowMs: number; windows: readonly string[]; tokens?: ReadonlySet<string>; clientIds?: ReadonlySet<string> }): void {
  const what = ctx.what.slice(0, 300);
  expect(a.kind, `${what}: ${JSON.stringify(a).slice(0, 300)}`).not.toBe('hang');
  expect(a.kind, `${what}: ${JSON.stringify(a).slice(0, 300)}`).not.toBe('crash');
  if (a.kind === 'ok') {
    const c = a.credential;
    expect(c.clientId, what).toMatch(UUID);
    if (ctx.clientIds) expect(ctx.clientIds.has(c.clientId), `${what}: Client ID ${c.clientId} was not in the input`).toBe(true);
    if (ctx.tokens) expect(ctx.tokens.has(c.token), `${what}: a token that was not in the input`).toBe(true);
    expect(Date.parse(c.tokenExpiresAt), what).toBeGreaterThan(ctx.nowMs);
    for (const w of c.warnings) {
      expect(leaksSecret(w, ctx.windows), `${what}: warning carries the token: ${w.slice(0, 200)}`).toBe(false);
      expect(w, what).not.toMatch(NOT_PT_BR);
    }
    expect(leaksSecret(c.source, ctx.windows), `${what}: source carries the token`).toBe(false);
    return;
  }
  if (a.kind !== 'error') throw new Error(`${what}: unexpected answer ${a.kind}`);
  expect(a.appError, `${what}: not an AppError: ${a.name} ${a.message.slice(0, 200)}`).toBe(true);
  expect(a.code, `${what}: internal failure: ${a.message}`).not.toBe('IMPORT_INTERNAL');
  expect(IMPORT_CODES.has(a.code), `${what}: unknown code ${a.code}`).toBe(true);
  expect(a.message.length, what).toBeGreaterThan(20);
  expect(a.message, `${what}: ${a.message.slice(0, 300)}`).not.toMatch(NOT_PT_BR);
  expect(leaksSecret(a.message, ctx.windows), `${what}: message carries the token: ${a.message.slice(0, 300)}`).toBe(false);
}

/** Tally of outcomes by kind or error code, printed at the end of a run. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  outcome(a: FuzzAnswer): void {
    this.add(a.kind === 'error' ? a.code : a.kind);
  }
  total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  toString(): string {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}=${n}`).join(' ');
  }
}
