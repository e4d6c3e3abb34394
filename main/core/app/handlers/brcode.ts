import { decode, decodeView, encodeStatic, parsePixKey, renderQrPng, renderQrSvg } from '../../brcode';
import type { Handlers } from '../../contract';
import type { SettingsStore } from '../settings';

type BrcodeHandlers = Pick<Handlers, 'brcode:build' | 'brcode:decode' | 'brcode:png'>;

/** Offline BR Code operations for the cashier ("QR Code rápido"): no network, no secrets. */
export function brcodeHandlers(settings: SettingsStore): BrcodeHandlers {
  return {
    'brcode:build': async (i) => {
      const key = parsePixKey(i.key);
      const payload = encodeStatic({
        key: key.key,
        name: i.name,
        city: i.city,
        amount: i.amount ?? null,
        description: i.description ?? null,
        txid: i.txid ?? null,
      });
      settings.set({ lastPixKey: i.key.trim() });
      return { payload, svg: await renderQrSvg(payload), keyType: key.type, key: key.key };
    },
    'brcode:decode': (i) => decodeView(decode(i.payload.trim())),
    'brcode:png': async (i) => ({ base64: (await renderQrPng(i.payload, { size: i.size ?? 512 })).toString('base64') }),
  };
}
