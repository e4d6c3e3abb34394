/**
 * Worker thread of the import fuzz (tests/unit/onboarding/fuzz-import-support.ts bundles it with esbuild): runs
 * one import per message, so a case that hangs or runs out of memory is stopped by the parent instead of the test.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../main/core/errors';
import { importCredentialFile } from '../../../main/core/onboarding/credential-import';
import { parseEml } from '../../../main/core/onboarding/eml';
import type { FuzzRequest, FuzzAnswer } from './fuzz-import-support';

parentPort!.on('message', (m: FuzzRequest) => {
  const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  const t0 = performance.now();
  let a: FuzzAnswer;
  try {
    if (m.op === 'parseEml') {
      const leaves = parseEml(bytes);
      a = { kind: 'leaves', ms: 0, count: leaves.length, names: leaves.map((l) => l.fileName ?? '').slice(0, 20), bodyBytes: leaves.reduce((n, l) => n + l.body.length, 0) };
    } else {
      const c = importCredentialFile(bytes, m.name, new Date(m.nowMs));
      a = { kind: 'ok', ms: 0, credential: { clientId: c.clientId, token: c.token, tokenSha256: c.tokenSha256, tokenExpiresAt: c.tokenExpiresAt, expirySource: c.expirySource, warnings: c.warnings, source: JSON.stringify(c.source) } };
    }
  } catch (e) {
    const err = e as { name?: unknown; code?: unknown; message?: unknown };
    a = { kind: 'error', ms: 0, name: String(err?.name), code: typeof err?.code === 'string' ? err.code : '', message: String(err?.message ?? e), appError: e instanceof AppError };
  }
  a.ms = performance.now() - t0;
  parentPort!.postMessage(a);
});
