import { useEffect, useRef, useState } from 'react';
import { call } from '../bridge';
import { messages } from '../messages';
import { useApp } from '../store';

export interface MerchantDefaults {
  merchantName: string;
  merchantCity: string;
  lastPixKey: string;
}

/** The settings "QR Code rápido" starts from (null until `settings:get` answers). */
export function useMerchantDefaults(): MerchantDefaults | null {
  const notify = useApp((s) => s.notify);
  const [defaults, setDefaults] = useState<MerchantDefaults | null>(null);
  useEffect(() => {
    let alive = true;
    void call('settings:get', {}).then((r) => {
      if (!alive) return;
      if (r.ok) setDefaults({ merchantName: r.value.merchantName, merchantCity: r.value.merchantCity, lastPixKey: r.value.lastPixKey });
      else {
        notify('error', r.error.message);
        setDefaults({ merchantName: '', merchantCity: '', lastPixKey: '' });
      }
    });
    return () => {
      alive = false;
    };
  }, [notify]);
  return defaults;
}

/**
 * Save the merchant name and city back to the settings once the person stops typing (`delayMs`), only when
 * they changed. A pending save still runs when the screen closes.
 */
export function useSaveMerchant(name: string, city: string, initial: { name: string; city: string }, delayMs = 600): void {
  const notify = useApp((s) => s.notify);
  const saved = useRef({ name: initial.name.trim(), city: initial.city.trim() });
  const latest = useRef<(() => void) | null>(null);

  useEffect(() => {
    const next = { name: name.trim(), city: city.trim() };
    if (next.name === saved.current.name && next.city === saved.current.city) {
      latest.current = null;
      return;
    }
    const save = () => {
      latest.current = null;
      saved.current = next;
      void call('settings:set', { merchantName: next.name, merchantCity: next.city }).then((r) => {
        if (!r.ok) notify('error', `${messages.quickQr.settingsSaveFailed} ${r.error.message}`);
      });
    };
    latest.current = save;
    const t = window.setTimeout(save, delayMs);
    return () => window.clearTimeout(t);
  }, [name, city, delayMs, notify]);

  // Flush on unmount (leaving Caixa right after typing must not lose the name).
  useEffect(() => () => latest.current?.(), []);
}
