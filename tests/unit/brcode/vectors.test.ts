/**
 * Every public vector (tests/fixtures/brcode/brcode-public.json; sources in its README.md):
 *   1. decode(expected) reads it when crc_ok && tlv_ok (else throws BrCodeError), its fields agree with the
 *      vector's input, and our strict problems correspond one to one with `strict_pix_issues`;
 *   2. where `input` is given and our encoders can express it, encode → decode returns the normalised input
 *      with no problems (and, for the BCB examples, the very same payload).
 * Encodability by kind: our encoders write one Pix arrangement, static (key) or dynamic (url). They do not
 * write other arrangements (static-multi: 04/27/80 of other schemes), fss (26-03, Pix Saque/Troco, set by
 * the PSP), Pix Automático recurrence templates (80-99: *+rec, rec-only, composite), nor amount/txid in a
 * dynamic code (dynamic(legacy): both are violations today). For those, the Pix subset is encoded and the
 * extra parts are checked on the decoded vector instead. Vectors whose input breaks our rules (txid with
 * "-" or "_") must be refused with a BrCodeError naming the field, never written.
 */
import { describe, expect, it } from 'vitest';
import {
  BrCodeError,
  decode,
  encodeDynamic,
  encodeStatic,
  normaliseAmount,
  normaliseText,
  parsePixKey,
  type Decoded,
  type DynamicInput,
  type StaticInput,
  type TlvField,
} from '../../../main/core/brcode';
import { loadVectors, type Vector } from './helpers';

const vectors = loadVectors();

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Amount as the source libraries wrote it: number (0 = open amount in pix-utils) or string. */
function amountOf(input: Record<string, unknown>): string | null {
  const a = input.amount ?? input.value;
  if (typeof a === 'number') return a === 0 ? null : a.toFixed(2);
  return str(a);
}

function singleUseOf(input: Record<string, unknown>): boolean {
  return input.poi === '12' || input.oneTime === true;
}

function staticInput(input: Record<string, unknown>): StaticInput {
  const txid = str(input.txid) ?? str(input.transactionId);
  return {
    key: str(input.key) as string,
    name: str(input.name) as string,
    city: str(input.city) as string,
    amount: amountOf(input),
    txid: txid === '' ? null : txid,
    description: str(input.description) ?? str(input.message),
    postalCode: str(input.postal) ?? str(input.cep),
    singleUse: singleUseOf(input),
  };
}

function dynamicInput(input: Record<string, unknown>): DynamicInput {
  return {
    url: str(input.url) as string,
    name: str(input.name) as string,
    city: str(input.city) as string,
    postalCode: str(input.postal) ?? str(input.cep),
    singleUse: singleUseOf(input),
  };
}

/** What decode must return for a static input, by our normalisation rules. */
function normalisedStatic(i: StaticInput) {
  return {
    pixKey: parsePixKey(i.key).key,
    url: null,
    merchantName: normaliseText(i.name, 25),
    merchantCity: normaliseText(i.city, 15),
    postalCode: i.postalCode ?? null,
    amount: normaliseAmount(i.amount),
    txid: i.txid ?? '***',
    description: i.description ? normaliseText(i.description, 72) : null,
    singleUse: i.singleUse === true,
  };
}

function normalisedDynamic(i: DynamicInput) {
  return {
    pixKey: null,
    url: i.url.replace(/^https:\/\//i, ''),
    merchantName: normaliseText(i.name, 25),
    merchantCity: normaliseText(i.city, 15),
    postalCode: i.postalCode ?? null,
    amount: null,
    txid: '***',
    description: null,
    singleUse: i.singleUse === true,
  };
}

function core(d: Decoded) {
  const { pixKey, url, merchantName, merchantCity, postalCode, amount, txid, description, singleUse } = d;
  return { pixKey, url, merchantName, merchantCity, postalCode, amount, txid, description, singleUse };
}

/** Our pt-BR problem that corresponds to each English issue of the vectors file. */
function issuePattern(issue: string): RegExp {
  if (/^GUI written as/.test(issue)) return /^GUI do campo \d\d escrito "BR\.GOV\.BCB\.PIX"/;
  const txid = /^62-05 '(.*)' not \[A-Za-z0-9\]\{1,25\} or \*\*\*$/.exec(issue);
  if (txid) return new RegExp(`^txid \\(62-05\\) "${(txid[1] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" fora do formato`);
  if (/^dynamic code carries a txid/.test(issue)) return /^código dinâmico traz txid "/;
  if (/^dynamic code carries 54 amount/.test(issue)) return /^código dinâmico traz valor no campo 54/;
  throw new Error(`unmapped vector issue (extend issuePattern): ${issue}`);
}

/** Recurrence (Pix Automático) template in 80–99: GUI br.gov.bcb.pix + 25 location. */
function recUrl(d: Decoded): string | null {
  const t = d.fields.find((x: TlvField) => Number(x.id) >= 80 && x.children?.some((c) => c.id === '00' && c.value.toLowerCase() === 'br.gov.bcb.pix'));
  return t?.children?.find((c) => c.id === '25')?.value ?? null;
}

function expectEncodeRoundTrip(payload: string, expected: ReturnType<typeof normalisedStatic> | ReturnType<typeof normalisedDynamic>) {
  const back = decode(payload);
  expect(core(back)).toEqual(expected);
  expect(back.problems).toEqual([]);
}

describe('public BR Code vectors', () => {
  it('has the vectors file with every kind we handle', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
    const known = ['static', 'dynamic', 'dynamic+rec', 'static-multi', 'dynamic(legacy)', 'composite', 'static+fss', 'static+rec', 'rec-only'];
    for (const v of vectors) expect(known, `unknown kind ${v.kind}: add its handling`).toContain(v.kind);
  });

  describe.each(vectors.map((v, i) => [`#${i} ${v.kind}: ${v.source.slice(0, 60)}`, v] as [string, Vector]))('%s', (_, v) => {
    it('decodes as the vector says (crc_ok / tlv_ok / strict issues)', () => {
      if (!v.crc_ok || !v.tlv_ok) {
        expect(() => decode(v.expected)).toThrow(BrCodeError);
        return;
      }
      const d = decode(v.expected);
      expect(d.crc).toBe(v.expected.slice(-4));
      const patterns = v.strict_pix_issues.map(issuePattern);
      expect(d.problems, JSON.stringify(d.problems)).toHaveLength(v.strict_pix_issues.length);
      for (const p of patterns) expect(d.problems.filter((x) => p.test(x)), `${p} in ${JSON.stringify(d.problems)}`).toHaveLength(1);
    });

    const input = v.input;
    if (!v.crc_ok || !v.tlv_ok || Object.keys(input).length === 0) return;

    it('decoded fields agree with the vector input', () => {
      const d = decode(v.expected);
      // Source libraries upper-case names; compare modulo case after our text normalisation.
      if (input.name !== undefined) expect(d.merchantName.toUpperCase()).toBe(normaliseText(str(input.name) as string, 25).toUpperCase());
      if (input.city !== undefined) expect(d.merchantCity.toUpperCase()).toBe(normaliseText(str(input.city) as string, 15).toUpperCase());
      if (input.key !== undefined) expect(d.pixKey).toBe(input.key);
      if (input.url !== undefined) expect(d.url).toBe(input.url);
      if (input.urlRec !== undefined) expect(recUrl(d)).toBe(input.urlRec);
      if (input.fss !== undefined) expect(d.fields.find((x) => x.children?.some((c) => c.value.toLowerCase() === 'br.gov.bcb.pix'))?.children?.find((c) => c.id === '03')?.value).toBe(input.fss);
      const amount = amountOf(input);
      expect(d.amount).toBe(amount);
      const txid = str(input.txid) ?? str(input.transactionId);
      expect(d.txid).toBe(txid ? txid : '***');
      expect(d.description).toBe(str(input.description) ?? str(input.message));
      expect(d.postalCode).toBe(str(input.postal) ?? str(input.cep));
      if (input.poi !== undefined || input.oneTime !== undefined) expect(d.singleUse).toBe(singleUseOf(input));
    });

    const isStatic = typeof input.key === 'string';
    const isDynamic = typeof input.url === 'string';
    if (!isStatic && !isDynamic) {
      it('is not encodable by our encoders (no key, no url: recurrence only) — decoded instead', () => {
        const d = decode(v.expected);
        expect(d.pixKey).toBeNull();
        expect(d.url).toBeNull();
        expect(recUrl(d)).not.toBeNull();
      });
      return;
    }

    if (isStatic) {
      const si = staticInput(input);
      const breaksTxid = si.txid !== null && si.txid !== undefined && si.txid !== '***' && !/^[A-Za-z0-9]{1,25}$/.test(si.txid);
      if (breaksTxid) {
        it('is refused by encodeStatic: the txid breaks [A-Za-z0-9]{1,25} (BrCodeError naming the txid)', () => {
          let err: unknown;
          try {
            encodeStatic(si);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(BrCodeError);
          expect((err as BrCodeError).code).toBe('BRCODE_INPUT');
          expect((err as BrCodeError).message).toMatch(/txid/);
          expect((err as BrCodeError).details).toEqual({ field: 'txid' });
        });
        return;
      }
      it(`encodes the Pix ${v.kind === 'static' ? 'input' : 'subset (key, name, city, amount, txid, description)'} and decodes it back normalised, with no problems`, () => {
        const payload = encodeStatic(si);
        expectEncodeRoundTrip(payload, normalisedStatic(si));
        // Where the vector's own normalisation equals ours (BCB examples), the payload is the same bytes.
        if (v.kind === 'static' && v.strict_pix_issues.length === 0 && JSON.stringify(core(decode(v.expected))) === JSON.stringify(normalisedStatic(si))) {
          expect(payload).toBe(v.expected);
        }
      });
    } else {
      it(`encodes the dynamic ${v.kind === 'dynamic' ? 'input' : 'subset (url, name, city, single use)'} and decodes it back normalised, with no problems`, () => {
        const di = dynamicInput(input);
        const payload = encodeDynamic(di);
        expectEncodeRoundTrip(payload, normalisedDynamic(di));
        if (v.kind === 'dynamic' && JSON.stringify(core(decode(v.expected))) === JSON.stringify(normalisedDynamic(di))) {
          expect(payload).toBe(v.expected);
        }
      });
    }
  });

  it('reproduces the BCB static and dynamic examples byte for byte', () => {
    const bcbStatic = vectors.find((v) => v.kind === 'static' && v.source.startsWith('BCB'));
    const bcbDynamic = vectors.find((v) => v.kind === 'dynamic' && v.source.startsWith('BCB'));
    expect(bcbStatic && bcbDynamic).toBeTruthy();
    expect(encodeStatic(staticInput(bcbStatic!.input))).toBe(bcbStatic!.expected);
    expect(encodeDynamic(dynamicInput(bcbDynamic!.input))).toBe(bcbDynamic!.expected);
  });

  it('reproduces pix-utils static vectors byte for byte once names are given upper-case', () => {
    const v = vectors.find((x) => x.expected.endsWith('63040DC6'));
    expect(v).toBeDefined();
    const si = staticInput(v!.input);
    expect(encodeStatic({ ...si, name: si.name.toUpperCase() })).toBe(v!.expected);
  });
});
