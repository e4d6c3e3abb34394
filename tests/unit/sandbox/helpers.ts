import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RunningSandbox } from '../../../main/core/sandbox';

export const run = promisify(execFile);

/** A fresh temporary folder (a profile, or a scratch dir for keys). */
export function tempDir(prefix = 'pixdesk-sandbox-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An RSA key made by openssl (PEM file path). */
export async function opensslKey(dir: string, name: string, bits = 2048): Promise<string> {
  const file = path.join(dir, `${name}.key`);
  await run('openssl', ['genrsa', '-out', file, String(bits)]);
  return file;
}

/** A CSR as Itaú's instructions make it (`-sha512`, subject CN=Client ID …), for an existing key. */
export async function opensslCsr(dir: string, keyFile: string, subject: string, name = 'req'): Promise<string> {
  const out = path.join(dir, `${name}.csr`);
  await run('openssl', ['req', '-new', '-key', keyFile, '-sha512', '-subj', subject, '-out', out]);
  return fs.readFileSync(out, 'utf8');
}

export const subjectFor = (clientId: string) => `/CN=${clientId}/OU=Padaria Sao Joao/L=Sao Paulo/ST=SP/C=BR`;

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked with zod schemas or toMatchObject
  json: any;
}

export interface Creds {
  certPem: string;
  keyPem: string;
}

/** A request to the sandbox with Node's https (trusting only the sandbox CA; optional client certificate). */
export function call(
  sb: RunningSandbox,
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; creds?: Creds } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: sb.caPem,
        cert: opts.creds?.certPem,
        key: opts.creds?.keyPem,
        agent: false,
        headers: { ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Split the STS answer (`Secret: <uuid>` line, then the PEM) as a client must. */
export function parseStsAnswer(text: string): { secret: string | null; certPem: string } {
  const at = text.indexOf('-----BEGIN CERTIFICATE-----');
  const head = text.slice(0, Math.max(0, at)).trim();
  const first = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? null;
  return { secret: first ? first.replace(/^Secret:\s*/i, '').trim() : null, certPem: text.slice(at) };
}

/** Exchange a temporary token for a certificate with Node's https (faster than curl for tests of later steps). */
export async function enroll(sb: RunningSandbox, token: string, csrPem: string): Promise<{ secret: string; certPem: string }> {
  const r = await call(sb, 'POST', `${sb.stsUrl}/seguranca/v1/certificado/solicitacao`, {
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
    body: csrPem,
  });
  if (r.status !== 200) throw new Error(`enroll failed: ${r.status} ${r.text}`);
  const p = parseStsAnswer(r.text);
  return { secret: p.secret!, certPem: p.certPem };
}

/** Get an access token over mTLS. */
export async function accessToken(sb: RunningSandbox, creds: Creds, clientId: string, secret: string): Promise<string> {
  const r = await call(sb, 'POST', `${sb.stsUrl}/api/oauth/token`, {
    creds,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
  });
  if (r.status !== 200) throw new Error(`token failed: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

/** A Pix API client bound to one enrolled client. */
export function pixClient(sb: RunningSandbox, creds: Creds, clientId: string, token: () => string) {
  return (method: string, pathAndQuery: string, body?: unknown, extra: Record<string, string> = {}) =>
    call(sb, method, `${sb.pixUrl}${pathAndQuery}`, {
      creds,
      headers: {
        authorization: `Bearer ${token()}`,
        'x-itau-apikey': clientId,
        'x-itau-correlationID': 'b3a4c5d6-0000-4000-8000-000000000001',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...extra,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
}

/** A valid txid (26–35 alphanumerics). */
export function newTxid(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

/** A movable clock for tests of expiry. */
export function clock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}

/** An enrolled sandbox client (certificate, secret, access token) with a Pix API client. */
export interface EnrolledClient {
  clientId: string;
  secret: string;
  creds: Creds;
  api: ReturnType<typeof pixClient>;
  refresh(): Promise<void>;
}

/** Enroll a new client through the real STS routes; `pixKey` is registered for it first. */
export async function enrolledClient(target: RunningSandbox, work: string, keyFile: string, pixKey?: string): Promise<EnrolledClient> {
  const { clientId, token } = target.state.issueToken();
  if (pixKey) target.state.keys.register(clientId, pixKey);
  const csr = await opensslCsr(work, keyFile, subjectFor(clientId), clientId);
  const { secret, certPem } = await enroll(target, token, csr);
  const creds = { certPem, keyPem: fs.readFileSync(keyFile, 'utf8') };
  let access = await accessToken(target, creds, clientId, secret);
  return {
    clientId,
    secret,
    creds,
    api: pixClient(target, creds, clientId, () => access),
    async refresh() {
      access = await accessToken(target, creds, clientId, secret);
    },
  };
}

/** POST/GET/DELETE a control route with a JSON body. */
export function control(sb: RunningSandbox, method: string, pathAndQuery: string, body?: unknown): Promise<HttpResult> {
  return call(sb, method, `${sb.controlUrl}${pathAndQuery}`, {
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
