/**
 * Text rules of the BR Code: free-text fields (59 name, 60 city, 26-02 description) are written in
 * printable ASCII only (banks and BCB's tester reject "Maceió"), so accents are stripped (NFD + removal of
 * combining marks), a few letters and punctuation without a decomposition are transliterated, anything else
 * outside 0x20–0x7E is dropped and whitespace is collapsed. The order is: normalise, truncate, trim; lengths
 * are computed on the result.
 */

/** Letters and punctuation NFD does not reduce to ASCII. */
const TRANSLIT: Readonly<Record<string, string>> = {
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
  º: 'o',
  ª: 'a',
  '°': 'o',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '´': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '…': '...',
  '•': '-',
  '·': '.',
};

/** True when every character is printable ASCII (0x20–0x7E). */
export function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** True when `s` is printable ASCII with no leading/trailing space and no double space (already normal). */
function isAlreadyNormal(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (s.charCodeAt(0) === 0x20 || s.charCodeAt(n - 1) === 0x20) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
    const space = c === 0x20;
    if (space && prevSpace) return false;
    prevSpace = space;
  }
  return true;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Strip accents, transliterate, drop what is not printable ASCII, collapse whitespace, trim (NFD path). */
export function toPrintableAsciiSlow(input: string): string {
  const s = input.normalize('NFD');
  let out = '';
  let pendingSpace = false;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (isWhitespace(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    let piece: string | undefined;
    if (c > 0x20 && c < 0x7f) piece = ch;
    else if (c >= 0x0300 && c <= 0x036f) continue; // combining diacritical mark
    else piece = TRANSLIT[ch];
    if (piece === undefined) continue; // control characters, emoji, other scripts
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += piece;
  }
  return out;
}

/**
 * What each code point below U+0300 becomes (Latin-1 and Latin Extended-A/B cover Portuguese and almost
 * every name typed in Brazil), computed once from the NFD path so both paths agree: `null` for
 * whitespace, '' for dropped characters.
 */
const FAST_LIMIT = 0x300;
const FAST: (string | null)[] = [];
for (let c = 0; c < FAST_LIMIT; c++) {
  if (isWhitespace(c)) FAST.push(null);
  else FAST.push(toPrintableAsciiSlow(String.fromCharCode(c)));
}

/** Strip accents, transliterate, drop what is not printable ASCII, collapse whitespace, trim. */
export function toPrintableAscii(input: string): string {
  if (isAlreadyNormal(input)) return input;
  let out = '';
  let pendingSpace = false;
  let run = -1; // start of a run of printable non-space ASCII, copied with one slice
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      if (run < 0) {
        if (pendingSpace) {
          out += ' ';
          pendingSpace = false;
        }
        run = i;
      }
      continue;
    }
    if (run >= 0) {
      out += input.slice(run, i);
      run = -1;
    }
    if (c >= FAST_LIMIT) return toPrintableAsciiSlow(input);
    const piece = FAST[c] as string | null;
    if (piece === null) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (piece === '') continue;
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += piece;
  }
  if (run >= 0) out += run === 0 ? input : input.slice(run);
  return out;
}

/**
 * Normalise a free-text field for writing: printable ASCII, then truncate to `max`, then trim.
 * The result may be empty; the caller decides whether that is allowed.
 */
export function normaliseText(input: string, max: number): string {
  let s = toPrintableAscii(input);
  if (s.length > max) s = s.slice(0, max).trimEnd();
  return s;
}

/** True for a non-empty string of ASCII digits (no regex: this sits on the decode hot path). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
