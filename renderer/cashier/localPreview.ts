import { encodeStatic } from '../../main/core/brcode/encode';
import { parsePixKey } from '../../main/core/brcode/pix-key';
import { renderQrSvgSync } from '../../main/core/brcode/qr';
import type { BuiltBrCode } from '../../main/core/contract';
import type { QuickQrInput } from './types';

/**
 * The live preview of "QR Code rápido", encoded and drawn here in the page with the same pure BR Code engine main
 * uses (main/core/brcode: no Node import), so a keypress shows its QR in the same frame instead of after a debounce
 * and a round trip. Main stays the authority: what is copied, downloaded, printed or saved comes from `brcode:build`.
 * Null when the input does not make a code (main's answer then says why, on the field).
 */
export function previewBrCode(input: QuickQrInput): BuiltBrCode | null {
  if (!input.key.trim() || !input.name.trim() || !input.city.trim()) return null;
  try {
    const key = parsePixKey(input.key.trim());
    const payload = encodeStatic({
      key: key.key,
      name: input.name,
      city: input.city,
      amount: input.amount,
      description: input.description.trim() === '' ? null : input.description,
      txid: null,
    });
    return { payload, svg: renderQrSvgSync(payload), keyType: key.type, key: key.key };
  } catch {
    return null;
  }
}

/** The benchmark's baseline switch (bench/cashier.bench.ts): "off" shows only main's debounced answer, as before. */
export function previewEnabled(): boolean {
  try {
    return window.localStorage.getItem('pixdesk.quickQr.preview') !== 'off';
  } catch {
    return true;
  }
}
