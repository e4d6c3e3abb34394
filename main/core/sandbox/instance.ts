import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { AppError } from '../errors';
import type { RunningSandbox } from './server';
import { sandboxDir } from './state';
import { writePrivateFile } from './util';

/*
 * A `pixdesk sandbox serve` running for a profile records where it listens in `<profile>/sandbox/instance.json`
 * (0600, removed on exit), so the app and one-shot CLI commands of that profile use it — and faults set on it apply
 * to them — instead of starting their own in-process server.
 */

/** What `instance.json` holds. */
export interface SandboxInstance {
  pid: number;
  /** Random id answered by `GET /sandbox/health`: a reused pid with another server is not mistaken for this one. */
  instanceId: string;
  stsUrl: string;
  pixUrl: string;
  controlUrl: string;
  caFile: string;
  startedAt: string;
}

/** Path of a profile's instance record. */
export function instanceFile(profileDir: string): string {
  return path.join(sandboxDir(profileDir), 'instance.json');
}

/** Record a running server as the profile's instance (owner-only file, replaced atomically). */
export function writeInstanceFile(profileDir: string, sb: RunningSandbox): SandboxInstance {
  const rec: SandboxInstance = {
    pid: process.pid,
    instanceId: sb.instanceId,
    stsUrl: sb.stsUrl,
    pixUrl: sb.pixUrl,
    controlUrl: sb.controlUrl,
    caFile: sb.caFile,
    startedAt: new Date().toISOString(),
  };
  writePrivateFile(instanceFile(profileDir), `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}

/** Remove the record if it is still this instance's (another `serve` may have replaced it). */
export function removeInstanceFile(profileDir: string, instanceId: string): void {
  const rec = readInstanceFile(profileDir);
  if (rec?.instanceId === instanceId) fs.rmSync(instanceFile(profileDir), { force: true });
}

/** The record as written, or null when absent or unreadable. */
export function readInstanceFile(profileDir: string): SandboxInstance | null {
  try {
    const v = JSON.parse(fs.readFileSync(instanceFile(profileDir), 'utf8')) as Partial<SandboxInstance>;
    if (typeof v.pid !== 'number' || typeof v.instanceId !== 'string' || typeof v.controlUrl !== 'string' || typeof v.stsUrl !== 'string') return null;
    if (typeof v.pixUrl !== 'string' || typeof v.caFile !== 'string') return null;
    return v as SandboxInstance;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One JSON request to a sandbox's control routes (trusting only its CA). */
export function controlRequest(
  target: { controlUrl: string; caPem: string },
  method: string,
  pathAndQuery: string,
  body?: unknown,
  timeoutMs = 5000,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = https.request(
      `${target.controlUrl}${pathAndQuery}`,
      {
        method,
        ca: target.caPem,
        agent: false,
        timeout: timeoutMs,
        headers: data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/**
 * The profile's `pixdesk sandbox serve`, when its record exists, its pid is alive and `GET /sandbox/health` answers
 * with the same instance id within `timeoutMs`; otherwise null (a stale record is left for its owner to replace).
 */
export async function findLiveInstance(profileDir: string, timeoutMs = 1500): Promise<(SandboxInstance & { caPem: string }) | null> {
  const rec = readInstanceFile(profileDir);
  if (!rec || !pidAlive(rec.pid)) return null;
  let caPem: string;
  try {
    caPem = fs.readFileSync(rec.caFile, 'utf8');
  } catch {
    return null;
  }
  try {
    const r = await controlRequest({ controlUrl: rec.controlUrl, caPem }, 'GET', '/sandbox/health', undefined, timeoutMs);
    const j = r.json as { ok?: unknown; instanceId?: unknown } | null;
    return r.status === 200 && j?.ok === true && j.instanceId === rec.instanceId ? { ...rec, caPem } : null;
  } catch {
    return null;
  }
}

/** Answer of a control route as a value, or an AppError carrying the sandbox's pt-BR `mensagem`. */
export function controlResult<T>(r: { status: number; json: unknown }): T {
  if (r.status >= 200 && r.status < 300) return r.json as T;
  const j = (r.json ?? {}) as { codigo?: unknown; mensagem?: unknown };
  throw new AppError(
    typeof j.codigo === 'string' ? j.codigo : 'SANDBOX_CONTROL',
    typeof j.mensagem === 'string' ? j.mensagem : `O sandbox recusou o pedido (HTTP ${r.status}).`,
  );
}
