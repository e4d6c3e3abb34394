import { useEffect, useMemo, useRef, useState } from 'react';
import { renderQrSvgSync } from '../../main/core/brcode/qr';
import type { ChargeView } from '../../main/core/contract';
import type { PixdeskEvent } from '../../main/core/contract/events';
import { call } from '../bridge';
import { svgDataUrl } from './files';

/** Who this till is and whose name the customer reads: Ajustes first, else the default account's company. */
export interface TillInfo {
  till: string;
  merchant: string;
  hasAccount: boolean;
}

/** Load the till's name and the merchant name (null until known); again whenever `refresh` changes. */
export function useTillInfo(refresh: unknown = null): TillInfo | null {
  const [info, setInfo] = useState<TillInfo | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([call('settings:get', {}), call('accounts:list', {})]).then(([s, a]) => {
      if (!live) return;
      const accounts = a.ok ? a.value.filter((x) => x.active) : [];
      const main = accounts.find((x) => x.isDefault) ?? accounts[0];
      const till = s.ok ? s.value.tillName : 'Caixa 1';
      const merchant = (s.ok && s.value.merchantName.trim()) || main?.company || '';
      setInfo({ till, merchant, hasAccount: accounts.length > 0 });
    });
    return () => {
      live = false;
    };
  }, [refresh]);
  return info;
}

/** True for the events that carry a charge (every `charge:*`). */
export function chargeOf(e: PixdeskEvent): ChargeView | null {
  return e.name.startsWith('charge:') ? (e.payload as { charge: ChargeView }).charge : null;
}

/**
 * The last charges of `till`, newest first, kept live by the engine's events (no polling): a charge of this till
 * in any event replaces the one with its id, or enters the list. `onEvent` sees each event of this till first.
 */
export function useTillCharges(till: string | null, limit = 10, onEvent?: (e: PixdeskEvent, charge: ChargeView) => void): ChargeView[] {
  const [list, setList] = useState<ChargeView[]>([]);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (till === null) return;
    let live = true;
    const merge = (c: ChargeView) =>
      setList((old) => {
        const rest = old.filter((x) => x.id !== c.id);
        return [c, ...rest].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, limit);
      });
    // Subscribe before listing, so a charge created in between is not missed (merge is idempotent by id).
    const unsubscribe = window.pixdesk?.subscribe?.((e) => {
      const c = chargeOf(e);
      if (!live || !c || c.till !== till) return;
      merge(c);
      handler.current?.(e, c);
    });
    void call('charges:list', { till, limit }).then((r) => {
      if (!live || !r.ok) return;
      for (const c of r.value.items.reverse()) merge(c);
    });
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [till, limit]);

  return list;
}

/** Seconds left until `iso` (0 when past), refreshed a few times a second; null without a time. */
export function useSecondsLeft(iso: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const t = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(t);
  }, [iso]);
  if (!iso) return null;
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
}

/** "4:59", "1:02:03". */
export function formatCountdown(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The QR of a BR Code as a PNG data URL, drawn by main (the authority for what the customer scans). */
export function useQrPng(brCode: string | null, size = 768): string | null {
  const [png, setPng] = useState<{ code: string; url: string } | null>(null);
  useEffect(() => {
    if (!brCode) return;
    let live = true;
    void call('brcode:png', { payload: brCode, size }).then((r) => {
      if (live && r.ok) setPng({ code: brCode, url: `data:image/png;base64,${r.value.base64}` });
    });
    return () => {
      live = false;
    };
  }, [brCode, size]);
  return brCode && png?.code === brCode ? png.url : null;
}

/**
 * The QR of a BR Code main gave us (the bank's Pix Copia e Cola), drawn here with the pure QR engine, in the same
 * frame: what is on screen needs no round trip. Printed sheets keep main's PNG (`useQrPng`).
 */
export function useQrSvg(brCode: string | null): string | null {
  return useMemo(() => {
    if (!brCode) return null;
    try {
      return svgDataUrl(renderQrSvgSync(brCode, { size: 1024 }));
    } catch {
      return null;
    }
  }, [brCode]);
}

/** Open states: the customer can still pay. */
export function isOpen(c: ChargeView): boolean {
  return c.status === 'active' || c.status === 'pending_confirmation';
}
