/**
 * Amount entry like a card machine, for the Caixa's "Cobrar" mode. The field keeps what was typed (`raw`, digits
 * and at most one comma) and everything else is derived from it, so Backspace always undoes the last key:
 *
 * - only digits: they fill from the cents ("1" → 0,01, "1050" → 10,50), as on a card machine;
 * - a comma or a period switches to decimal entry: the digits typed so far are the reais and the next (at most
 *   two) are the cents, so "10,5" is R$ 10,50 — never R$ 1,05.
 *
 * Pure (no DOM), so the same rules run in the page and in the unit tests.
 */

/** Whole reais digits kept: R$ 999.999.999,99 is the most a till types (the Pix API carries more). */
const MAX_INT_DIGITS = 9;
/** Cents mode: reais digits plus the two of the cents. */
const MAX_CENT_DIGITS = MAX_INT_DIGITS + 2;

/** What the field shows and what it is worth. */
export interface AmountValue {
  /** The text in the field: "10,50", "10,", "10,5", "1.234,56"; "" when nothing was typed. */
  display: string;
  /** Integer cents (0 when empty). */
  cents: number;
  /** True once a comma or period was typed. */
  decimal: boolean;
}

const thousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** The value of a raw entry (as built by `typeKey`). */
export function readEntry(raw: string): AmountValue {
  const comma = raw.indexOf(',');
  if (comma < 0) {
    const digits = raw.replace(/^0+/, '');
    if (!digits) return { display: raw ? '0,00' : '', cents: 0, decimal: false };
    const padded = digits.padStart(3, '0');
    return { display: `${thousands(padded.slice(0, -2).replace(/^0+(?=\d)/, ''))},${padded.slice(-2)}`, cents: Number(digits), decimal: false };
  }
  const int = raw.slice(0, comma).replace(/^0+(?=\d)/, '') || '0';
  const frac = raw.slice(comma + 1);
  return { display: `${thousands(int)},${frac}`, cents: Number(int) * 100 + Number(frac.padEnd(2, '0')), decimal: true };
}

/**
 * The raw entry after one key: a digit, "," or "." (decimal entry), "Backspace", "Delete" or "Escape" (clears).
 * Keys that do not fit (a second comma, a third decimal, too many digits, letters) leave it unchanged.
 */
export function typeKey(raw: string, key: string): string {
  if (key === 'Backspace') return raw.slice(0, -1);
  if (key === 'Delete' || key === 'Escape') return '';
  if (key === ',' || key === '.') return raw.includes(',') ? raw : `${raw || '0'},`;
  if (!/^\d$/.test(key)) return raw;
  const comma = raw.indexOf(',');
  if (comma >= 0) return raw.length - comma - 1 >= 2 ? raw : raw + key;
  const digits = (raw + key).replace(/^0+/, '');
  // Leading zeros add nothing in cents mode; keep one so "0" then "," reads as "0,".
  if (digits.length > MAX_CENT_DIGITS) return raw;
  return digits || '0';
}

/**
 * A pasted or dropped text as a raw entry: "10,50", "10.5", "1.234,56", "R$ 12,00" or plain digits (read as
 * cents, like typing them). Null when it is not an amount; the field then keeps what it had.
 */
export function entryFromText(text: string): string | null {
  const t = text.replace(/^\s*R\$\s*/i, '').trim();
  let m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{0,2}))?$/.exec(t);
  if (!m) {
    // "10.5" (a period as the decimal separator, as in the bank's format).
    const p = /^(\d+)\.(\d{1,2})$/.exec(t);
    if (p) m = [t, p[1] as string, p[2] as string] as unknown as RegExpExecArray;
  }
  if (!m) return null;
  const int = (m[1] as string).replace(/\./g, '');
  const frac = m[2];
  if (frac === undefined) {
    const digits = int.replace(/^0+/, '');
    return digits.length > MAX_CENT_DIGITS ? null : digits;
  }
  const intDigits = int.replace(/^0+(?=\d)/, '');
  return intDigits.length > MAX_INT_DIGITS ? null : `${intDigits},${frac}`;
}

/** The raw entry for an amount in cents (decimal form, so it reads back the same): 1050 → "10,50". */
export function entryFromCents(cents: number): string {
  return cents > 0 ? `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}` : '';
}
