import { normaliseText, toPrintableAscii } from '../../main/core/brcode/text';

/** A merchant name or city as the static QR will carry it, and why it differs from what was typed. */
export interface QrText {
  /** The text written into the BR Code (the engine's own normalisation: ASCII, whitespace collapsed, cut, trimmed). */
  shown: string;
  /** True when `shown` is not what the person typed (ignoring leading, trailing and repeated spaces). */
  changed: boolean;
  /** Letters lost their accents ("São" → "Sao"). */
  accents: boolean;
  /** Characters with no ASCII form were dropped (emoji, symbols). */
  dropped: boolean;
  /** The text was cut to the field's limit. */
  cut: boolean;
}

const COMBINING = /[\u0300-\u036f]/;

/**
 * How `typed` goes into a BR Code field of `max` characters, with the same function the encoder uses
 * (main/core/brcode/text.ts), so the hint under the field never disagrees with the QR.
 */
export function asInQr(typed: string, max: number): QrText {
  const collapsed = typed.trim().replace(/\s+/g, ' ');
  const shown = normaliseText(typed, max);
  const decomposed = collapsed.normalize('NFD');
  const accents = COMBINING.test(decomposed);
  let dropped = false;
  for (const ch of decomposed.replace(/[\u0300-\u036f]/g, '')) {
    if ((ch.codePointAt(0) ?? 0) > 0x7e && toPrintableAscii(ch) === '') {
      dropped = true;
      break;
    }
  }
  return { shown, changed: shown !== collapsed, accents, dropped, cut: toPrintableAscii(typed).length > max };
}
