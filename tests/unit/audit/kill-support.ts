import Database from 'better-sqlite3';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { expect } from 'vitest';

/**
 * The harness shared by the kill-point tests (kill-points.test.ts, kill-webhooks.test.ts): child scripts bundled
 * once with esbuild, spawned with plain node, SIGKILLed from outside (no cleanup and no finally block runs in the
 * child, as with a power cut), and the SQLite file checked afterwards.
 */
export const root = path.resolve(__dirname, '..', '..', '..');

/** Bundle child scripts of this folder (`name.ts` → `<tmp>/name.cjs`); `cleanup()` removes them. */
export function buildChildren(names: string[]): { js: Record<string, string>; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-kill-'));
  const js: Record<string, string> = {};
  for (const name of names) {
    js[name] = path.join(dir, `${name}.cjs`);
    buildSync({ entryPoints: [path.join(__dirname, `${name}.ts`)], bundle: true, platform: 'node', packages: 'external', format: 'cjs', outfile: js[name], absWorkingDir: root, logLevel: 'error' });
  }
  return { js, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A deterministic spread of "random" numbers (the same run for the same seed: a failure can be replayed). */
export function spread(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

export interface RunningChild {
  child: ChildProcessWithoutNullStreams;
  /** Everything it wrote so far (stdout and stderr). */
  out: () => string;
  exited: Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }>;
  kill: () => void;
}

/** Start a child script; `onOut` sees its output as it grows (to arm a kill on a line). */
export function spawnChild(script: string, args: string[], onOut?: (out: string) => void): RunningChild {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    onOut?.(out);
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ signal, code, out })));
  return { child, out: () => out, exited, kill: () => void child.kill('SIGKILL') };
}

/**
 * Run a child; `killAfterMs` after its first line containing `armOn` (default "ready") SIGKILLs it from outside.
 * Resolves with its output.
 */
export function runChild(script: string, args: string[], killAfterMs?: number, armOn = 'ready'): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  let armed = false;
  const c = spawnChild(script, args, (out) => {
    if (!armed && killAfterMs !== undefined && out.includes(armOn)) {
      armed = true;
      setTimeout(c.kill, killAfterMs);
    }
  });
  return c.exited;
}

export function integrityOk(file: string): void {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}
