import fc from 'fast-check';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../../main/core/contract/limits';
import { CLIENT_ID, makeCredentialFixtures, XLSX_TYPE, type CredentialFixtures } from '../../fixtures/make-credential-fixtures';
import { checkImport, fuzzRuns, fuzzSeed, fuzzTimeout, ImportWorker, Tally, tokenWindows } from './fuzz-import-support';

/**
 * Hostile e-mails, bounded and seeded: the generated "Manual e Boas Vindas - PIX" messages (the attachment in base64,
 * in quoted-printable with an RFC 2231 name, forwarded as message/rfc822, without the sheet, the old encrypted
 * delivery) mutated at the MIME level — boundaries that do not match, vanish, repeat or hold regex characters,
 * base64 garbage, deep nesting and thousands of parts, header folding and line endings of every kind, enormous
 * headers and parameters, the attachment removed, odd charsets and transfer encodings, quoted-printable junk — and
 * at the byte level. parseEml answers in bounded time with at most 500 leaves and no more bytes than it was given;
 * the import finds the credential that was there or ends with a typed pt-BR error that never carries the token.
 * Each case runs in a worker with a deadline and a heap limit (fuzz-import-support.ts).
 */
const NOW = new Date();
let fx: CredentialFixtures;
let worker: ImportWorker;
let windows: string[];
const tally = new Tally();
const BASES = ['itau.eml', 'itau-rfc2231-qp.eml', 'forwarded.eml', 'no-attachment.eml', 'old-encrypted.eml'] as const;

beforeAll(() => {
  fx = makeCredentialFixtures(undefined, NOW);
  windows = [...tokenWindows(fx.token), ...tokenWindows(fx.tokenNoExp)];
  worker = new ImportWorker();
});
afterAll(async () => {
  await worker.close();
  fs.rmSync(fx.dir, { recursive: true, force: true });
  console.log(`e-mail fuzz: ${tally.total()} cases, slowest ${Math.round(worker.maxMs)} ms — ${tally.toString()}`);
});

/** Both properties of one mutated e-mail: parseEml bounded, and the import's result or typed error. */
async function emailCase(bytes: Buffer, what: string): Promise<void> {
  // parseEml only ever sees what the import lets through (at most MAX_IMPORT_BYTES); bigger ones are refused first.
  if (bytes.length <= MAX_IMPORT_BYTES) {
    const leaves = await worker.run({ op: 'parseEml', bytes, name: 'x.eml', nowMs: NOW.getTime() });
    tally.add(`parse:${leaves.kind}`);
    expect(leaves.kind, `${what}: ${JSON.stringify(leaves).slice(0, 300)}`).toBe('leaves');
    if (leaves.kind === 'leaves') {
      expect(leaves.count, what).toBeLessThanOrEqual(500);
      expect(leaves.bodyBytes, `${what}: decoded more than it was given`).toBeLessThanOrEqual(bytes.length);
    }
  }
  const a = await worker.run({ op: 'import', bytes, name: 'Manual e Boas Vindas - PIX.eml', nowMs: NOW.getTime() });
  tally.outcome(a);
  checkImport(a, { what, nowMs: NOW.getTime(), windows, tokens: new Set([fx.token]), clientIds: new Set([CLIENT_ID]) });
}

const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const crlf = fc.constantFrom('\r\n', '\n', '\r', '\n\r');
const boundaryText = fc.oneof(fc.constantFrom('', ' ', '(.*)+$^', '--', '=_?*[]\\', 'x'.repeat(200), '"', 'a b', '\u00e7\u00e3o', '----=_Part_1_'), fc.stringMatching(/^[-A-Za-z0-9'()+_,./:=? ]{1,70}$/));
const charset = fc.constantFrom('utf-16', 'x-unknown', '', '*', 'utf-7', 'ISO-2022-JP', 'utf-8*pt', 'windows-1252', '\u0000', 'a'.repeat(300));
const mutation = fc.oneof(
  fc.record({ k: fc.constant('boundary' as const), how: fc.constantFrom('mismatch', 'rename', 'unquote', 'dropClose', 'duplicate', 'trailingSpace', 'inBody', 'dropParam'), to: boundaryText, nth: fc.nat(3) }),
  fc.record({ k: fc.constant('base64' as const), junk: fc.oneof(fc.constantFrom('!!!', '====', '\r\n\r\n', '-_', '\u0000', '%%%%', ' '), fc.string({ maxLength: 8 })), spots: fc.array(at, { minLength: 1, maxLength: 10 }), join: fc.boolean() }),
  fc.record({ k: fc.constant('nest' as const), depth: fc.integer({ min: 1, max: 30 }), as: fc.constantFrom('multipart', 'rfc822', 'rfc822-base64', 'mixed') }),
  fc.record({ k: fc.constant('parts' as const), n: fc.oneof(fc.constantFrom(499, 500, 501, 3_000), fc.nat(800)), before: fc.boolean() }),
  fc.record({ k: fc.constant('fold' as const), spots: fc.array(at, { minLength: 1, maxLength: 20 }), eol: crlf, ws: fc.constantFrom(' ', '\t', '', '  \t') }),
  fc.record({ k: fc.constant('eol' as const), eol: crlf }),
  fc.record({ k: fc.constant('hugeHeader' as const), kind: fc.constantFrom('value', 'many', 'name', 'continuations', 'encodedWords', 'params'), n: fc.oneof(fc.constantFrom(16_384, 100_000, 2_000_000), fc.nat(20_000)) }),
  fc.record({ k: fc.constant('dropAttachment' as const), keepHeader: fc.boolean() }),
  fc.record({ k: fc.constant('charset' as const), cs: charset, where: fc.constantFrom('contentType', 'encodedWord', 'rfc2231') }),
  fc.record({ k: fc.constant('encoding' as const), to: fc.constantFrom('quoted-printable', '7bit', '8bit', 'binary', 'x-uuencode', 'BASE64', 'base64 ; junk', '', 'Quoted-Printable') }),
  fc.record({ k: fc.constant('qpJunk' as const), junk: fc.constantFrom('=ZZ', '=\r\n', '=', '=0', '==', '=\n=\n', '=3D=3D'), spots: fc.array(at, { minLength: 1, maxLength: 10 }) }),
  fc.record({ k: fc.constant('headerJunk' as const), line: fc.oneof(fc.constantFrom('sem dois pontos', ': vazio', '\u0000\u0000: x', 'Content-Type: multipart/mixed; boundary=', 'Content-Type: message/rfc822', 'Content-Type: ;;;;', 'Content-Disposition: attachment; filename*=\'\'%ZZ%', 'Content-Type: text/plain; name="=?UTF-8?B?####?="'), fc.string({ maxLength: 60 })), nth: fc.nat(10) }),
  fc.record({ k: fc.constant('bytes' as const), flips: fc.array(fc.tuple(at, fc.integer({ min: 1, max: 255 })), { maxLength: 16 }), cut: fc.option(at, { nil: undefined }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function boundaryOf(eml: string, nth: number): string | undefined {
  const all = [...eml.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1]!);
  return all.length ? all[nth % all.length] : undefined;
}

function spotsInsert(s: string, from: number, to: number, spots: number[], text: string): string {
  const pos = spots.map((f) => from + Math.floor(f * Math.max(0, to - from))).sort((a, b) => b - a);
  let out = s;
  for (const p of pos) out = out.slice(0, p) + text + out.slice(p);
  return out;
}

/** The range of the longest base64 or quoted-printable body (the workbook attachment). */
function attachmentRange(s: string): [number, number] {
  let best: [number, number] = [0, 0];
  for (const m of s.matchAll(/\r?\n\r?\n((?:[A-Za-z0-9+/=]{20,}\r?\n)+|(?:[^\r\n]*=\r?\n)+)/g)) {
    const start = m.index + m[0].length - m[1]!.length;
    if (m[1]!.length > best[1] - best[0]) best = [start, start + m[1]!.length];
  }
  return best;
}

function wrap(body: string, depth: number, as: string): string {
  let s = body;
  for (let i = 0; i < depth && s.length < MAX_IMPORT_BYTES; i++) {
    const kind = as === 'mixed' ? (i % 2 ? 'multipart' : 'rfc822') : as;
    const b = `nest${i}`;
    if (kind === 'multipart') s = `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${b}"\r\n\r\n--${b}\r\n${s}\r\n--${b}--\r\n`;
    else if (kind === 'rfc822') s = `From: a@b\r\nTo: c@d\r\nContent-Type: message/rfc822\r\n\r\n${s}`;
    else s = `From: a@b\r\nTo: c@d\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(s, 'latin1').toString('base64')}`;
  }
  return s;
}

function apply(eml: string, m: Mutation): string {
  const headEnd = eml.search(/\r?\n\r?\n/);
  switch (m.k) {
    case 'boundary': {
      const b = boundaryOf(eml, m.nth);
      if (!b) return eml;
      const q = b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      switch (m.how) {
        case 'mismatch':
          return eml.replace(new RegExp(`boundary="?${q}"?`), `boundary="${m.to}"`);
        case 'rename':
          return eml.split(b).join(m.to);
        case 'unquote':
          return eml.replace(`boundary="${b}"`, `boundary=${m.to || b}`);
        case 'dropClose':
          return eml.split(`--${b}--`).join('');
        case 'duplicate':
          return eml.replace(new RegExp(`(--${q}\\r?\\n)`, 'g'), '$1$1');
        case 'trailingSpace':
          return eml.replace(new RegExp(`(--${q})(\\r?\\n)`, 'g'), `$1 \t$2`);
        case 'inBody': {
          const [s, e] = attachmentRange(eml);
          return spotsInsert(eml, s, e, [0.5], `\r\n--${b}\r\n`);
        }
        case 'dropParam':
          return eml.replace(new RegExp(`;?\\s*boundary="?${q}"?`), '');
      }
      return eml;
    }
    case 'base64': {
      const [s, e] = attachmentRange(eml);
      const out = spotsInsert(eml, s, e, m.spots, m.junk);
      return m.join ? out.slice(0, s) + out.slice(s, e).replace(/\r?\n/g, '') + '\r\n' + out.slice(e) : out;
    }
    case 'nest':
      return wrap(eml, m.depth, m.as);
    case 'parts': {
      const b = boundaryOf(eml, 0);
      if (!b) return eml;
      const extra = Array.from({ length: m.n }, (_, i) => `--${b}\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="p${i}.txt"\r\n\r\nx\r\n`).join('');
      const i = m.before ? eml.indexOf(`--${b}`) : eml.lastIndexOf(`--${b}--`);
      return i < 0 ? eml : eml.slice(0, i) + extra + eml.slice(i);
    }
    case 'fold': {
      const head = eml.slice(0, Math.max(0, headEnd));
      const spaces = [...head.matchAll(/[ ;]/g)].map((x) => x.index);
      if (!spaces.length) return eml;
      let out = head;
      for (const p of [...new Set(m.spots.map((f) => spaces[Math.floor(f * spaces.length)]!))].sort((a, b) => b - a)) out = out.slice(0, p) + m.eol + m.ws + out.slice(p);
      return out + eml.slice(Math.max(0, headEnd));
    }
    case 'eol':
      return eml.replace(/\r\n/g, m.eol);
    case 'hugeHeader': {
      const n = m.n;
      const add =
        m.kind === 'value' ? `X-Grande: ${'a'.repeat(n)}\r\n`
        : m.kind === 'many' ? Array.from({ length: Math.min(n, 50_000) }, (_, i) => `X-H${i}: v`).join('\r\n') + '\r\n'
        : m.kind === 'name' ? `${'X'.repeat(n)}: v\r\n`
        : m.kind === 'continuations' ? `Content-Disposition: attachment; ${Array.from({ length: Math.min(n, 20_000) }, (_, i) => `filename*${i}*=%41`).join('; ')}\r\n`
        : m.kind === 'encodedWords' ? `Subject: ${'=?UTF-8?B?QQ==?= '.repeat(Math.min(n, 100_000))}\r\n`
        : `Content-Type: multipart/mixed; ${Array.from({ length: Math.min(n, 20_000) }, (_, i) => `p${i}="${'\\"'.repeat(3)}"`).join('; ')}\r\n`;
      return add + eml;
    }
    case 'dropAttachment': {
      const i = eml.search(/Content-Type: application\/vnd\.openxmlformats[^\r\n]*|Content-Disposition: attachment;\s*filename\*0\*/);
      if (i < 0) return eml;
      const [s, e] = attachmentRange(eml);
      return m.keepHeader ? eml.slice(0, s) + eml.slice(e) : eml.slice(0, i) + eml.slice(e);
    }
    case 'charset':
      if (m.where === 'contentType') return eml.replace(/charset=[^;\r\n]+/gi, `charset=${m.cs}`).replace(XLSX_TYPE, `${XLSX_TYPE}; charset="${m.cs}"`);
      if (m.where === 'encodedWord') return eml.replace(/=\?(UTF-8|ISO-8859-1)\?/gi, `=?${m.cs}?`);
      return eml.replace(/filename\*0\*=UTF-8''/, `filename*0*=${m.cs}''`);
    case 'encoding':
      return eml.replace(/(Content-Disposition: attachment;[^]*?|Content-Transfer-Encoding: )(base64|quoted-printable)(?=\r?\n)/i, (x, pre: string) => `${pre}${m.to}`);
    case 'qpJunk': {
      const [s, e] = attachmentRange(eml);
      return spotsInsert(eml, s, e, m.spots, m.junk);
    }
    case 'headerJunk': {
      const lines = eml.split('\r\n');
      const heads = lines.map((l, i) => (/^[A-Za-z-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
      const i = heads[m.nth % Math.max(1, heads.length)] ?? 0;
      lines.splice(i, 0, m.line);
      return lines.join('\r\n');
    }
    case 'bytes': {
      const b = Buffer.from(eml, 'latin1');
      for (const [f, x] of m.flips) b[Math.floor(f * b.length)]! ^= x;
      return (m.cut === undefined ? b : b.subarray(0, Math.floor(m.cut * b.length))).toString('latin1');
    }
  }
}

const shortJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 20)}…(${x.length})` : x));

describe('mutated credential e-mails', () => {
  it('MIME-level mutations, one to three at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BASES), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (base, ms) => {
        let eml = fx.bytes[base]!.toString('latin1');
        for (const m of ms) eml = apply(eml, m);
        await emailCase(Buffer.from(eml, 'latin1'), `${base} ${shortJson(ms)}`);
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed(1406), endOnFailure: true },
    );
  }, fuzzTimeout(90_000));

  it('the unmutated messages import (or fail) as their fixtures say', async () => {
    for (const base of BASES) {
      const a = await worker.run({ op: 'import', bytes: fx.bytes[base]!, name: base, nowMs: NOW.getTime() });
      const expected = { 'itau.eml': 'ok', 'itau-rfc2231-qp.eml': 'ok', 'forwarded.eml': 'ok', 'no-attachment.eml': 'EML_NO_ATTACHMENT', 'old-encrypted.eml': 'OLD_ENCRYPTED_DELIVERY' }[base];
      expect(a.kind === 'error' ? a.code : a.kind, base).toBe(expected);
    }
  });
});
