/**
 * Tolerant reading of TLV lengths. The manual counts a value's length in characters, and valid payloads are
 * ASCII, where every way of counting agrees. Payloads written by other generators with accents or emoji in
 * a value disagree: JavaScript counts UTF-16 code units, Python code points, C/Go/PHP UTF-8 bytes, and a few
 * count a decomposed "Í" (I + combining accent, NFD) as one letter. Such a code is still a real charge, so the
 * reader accepts whichever counting makes the payload read, and reports it as a problem.
 *
 * Order: characters first (the manual's rule, and JavaScript's count, which agrees with code points outside
 * emoji), then code points, then UTF-8 bytes, then characters after NFC composition. The CRC cannot decide
 * between them: it covers the UTF-8 bytes of everything before its own value whatever the lengths say, so a
 * valid CRC proves the text arrived intact, not how it was counted. A counting is taken only when the
 * whole payload reads and ends in a CRC field; one that also finds the Pix template wins over one that does
 * not. Fallbacks run only for non-ASCII payloads the character scan could not read, so the ASCII hot path is
 * unchanged.
 */
import { isPrintableAscii } from './text';
import { scanTlv, scanTlvCounting } from './tlv';
import type { TlvField } from './types';

/** How the lengths of a payload were counted. */
export type Counting = 'characters' | 'code-points' | 'bytes' | 'composed';

export interface Reading {
  counting: Counting;
  fields: TlvField[];
  /** The Pix merchant account templates found (see decode.ts); [] when none or no CRC field. */
  templates: TlvField[];
  /** The text the values were sliced from (the NFC form for `composed`, else the payload itself). */
  text: string;
}

function endsWithCrc(fields: readonly TlvField[]): boolean {
  const last = fields[fields.length - 1];
  return last !== undefined && last.id === '63' && last.length === 4;
}

function hasAstral(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) return true;
  }
  return false;
}

/**
 * Read `s` as TLV with the first counting that works (see the file comment). Returns null when no counting
 * reads it at all. `findTemplates` is decode.ts's Pix template search, passed in to keep this module below it.
 */
export function readTlv(s: string, findTemplates: (fields: readonly TlvField[]) => TlvField[]): Reading | null {
  // Hot path (every valid payload): one scan, no closure.
  const primary = scanTlv(s, 0, s.length, true);
  if (primary && endsWithCrc(primary)) {
    const templates = findTemplates(primary);
    if (templates.length) return { counting: 'characters', fields: primary, templates, text: s };
  }
  let best: Reading | null = null;
  let bestRank = -1;
  const consider = (counting: Counting, fields: TlvField[] | null, text: string): boolean => {
    if (!fields) return false;
    const crc = endsWithCrc(fields);
    const templates = crc ? findTemplates(fields) : [];
    const rank = templates.length ? 2 : crc ? 1 : 0;
    if (rank > bestRank) {
      best = { counting, fields, templates, text };
      bestRank = rank;
    }
    return rank === 2;
  };
  consider('characters', primary, s);
  // Every counting agrees on ASCII: nothing else to try (and nothing slower on the common path).
  if (isPrintableAscii(s)) return best;
  if (hasAstral(s) && consider('code-points', scanTlvCounting(s, 'codepoint', true), s)) return best;
  if (consider('bytes', scanTlvCounting(s, 'utf8', true), s)) return best;
  const nfc = s.normalize('NFC');
  if (nfc !== s) consider('composed', scanTlv(nfc, 0, nfc.length, true), nfc);
  return best;
}

/** First field (depth first, templates' subfields named `26-02`) whose value is not printable ASCII. */
function firstNonAscii(fields: readonly TlvField[], parent = ''): { name: string; field: TlvField } | null {
  for (const f of fields) {
    if (f.children) {
      const inner = firstNonAscii(f.children, f.id);
      if (inner) return inner;
    } else if (!isPrintableAscii(f.value)) {
      return { name: parent ? `${parent}-${f.id}` : `campo ${f.id}`, field: f };
    }
  }
  return null;
}

/**
 * The pt-BR problem for a payload read with a counting other than the manual's characters, naming the first
 * non-ASCII value and its declared length; null for `characters` (its non-ASCII values are reported by
 * validate.ts like any other).
 */
export function countingProblem(r: Reading): string | null {
  if (r.counting === 'characters') return null;
  const hit = firstNonAscii(r.fields);
  const v = hit?.field.value ?? '';
  const declared = hit ? ` (${hit.name} "${v}" declara ${String(hit.field.length).padStart(2, '0')}` : '';
  const advice = 'Leitores que seguem o manual recusam este código: peça a quem o gerou um código sem acentos nem emoji.';
  switch (r.counting) {
    case 'bytes':
      return `os tamanhos dos campos contam bytes (UTF-8), não caracteres como pede o manual${hit ? `${declared} e tem ${Array.from(v).length} caracteres)` : ''}. ${advice}`;
    case 'code-points':
      return `os tamanhos dos campos contam cada emoji como 1 caractere, e a maioria dos leitores conta 2${hit ? `${declared}; contando cada emoji como 2 seriam ${v.length})` : ''}. ${advice}`;
    case 'composed':
      return `o código traz acentos decompostos (letra e acento separados) e os tamanhos contam a letra acentuada como 1 caractere${hit ? `${declared}; com os acentos separados seriam ${v.normalize('NFD').length})` : ''}. ${advice}`;
  }
}
