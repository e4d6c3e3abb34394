import { useEffect, useState } from 'react';
import type { ChargeView, TillLocationView } from '../../main/core/contract';
import { formatBRL, formatDateTime } from '../format';
import { messages } from '../messages';
import { printPage } from './printing';
import { isOpen, useQrPng } from './useTill';

/** Paper sizes the print stylesheet lays out (cashier.css: named @page rules). */
export const PAPERS = ['58', '80', 'a4'] as const;
export type Paper = (typeof PAPERS)[number];

const PAPER_KEY = 'pixdesk.cashier.paper';

/** The paper chosen for this till (kept on this computer: it belongs to the printer attached here). */
export function usePaper(): [Paper, (p: Paper) => void] {
  const [paper, setPaper] = useState<Paper>(() => {
    const saved = safeStorage()?.getItem(PAPER_KEY);
    return (PAPERS as readonly string[]).includes(saved ?? '') ? (saved as Paper) : '80';
  });
  return [
    paper,
    (p) => {
      safeStorage()?.setItem(PAPER_KEY, p);
      setPaper(p);
    },
  ];
}

/** Validities a till offers (seconds): a counter charge is short-lived, so a QR left on screen soon stops working. */
export const VALIDITIES: readonly number[] = [120, 300, 900, 1800, 3600];
const VALIDITY_KEY = 'pixdesk.cashier.expiresIn';

/** How long this till's charges stay payable (kept on this computer; 5 minutes unless chosen). */
export function useValidity(): [number, (s: number) => void] {
  const [v, setV] = useState<number>(() => {
    const n = Number(safeStorage()?.getItem(VALIDITY_KEY));
    return Number.isInteger(n) && n > 0 && n <= 86_400 ? n : 300;
  });
  return [
    v,
    (s) => {
      safeStorage()?.setItem(VALIDITY_KEY, String(s));
      setV(s);
    },
  ];
}

/** An on/off choice of this till, kept on this computer. */
export function useStoredFlag(key: string): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => safeStorage()?.getItem(key) === 'on');
  return [
    on,
    (v) => {
      safeStorage()?.setItem(key, v ? 'on' : 'off');
      setOn(v);
    },
  ];
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * What Ctrl+P prints, hidden on screen: the QR while the charge is open, the receipt once paid (merchant, amount,
 * date/time in São Paulo, e2eid, txid). The QR image is main's PNG of the bank's BR Code.
 */
export function ChargePrint({ charge, merchant, paper }: { charge: ChargeView | null; merchant: string; paper: Paper }) {
  const m = messages.cashier;
  const qr = useQrPng(charge && isOpen(charge) ? charge.brCode : null, 512);
  if (!charge) return null;
  const amount = formatBRL(charge.amountCents, 'cents');
  if (charge.status === 'paid') {
    return (
      <div className={`cx-print paper-${paper}`} data-testid="cx-print" data-kind="receipt">
        <p className="cx-print-title">{m.receiptTitle}</p>
        <p className="cx-print-merchant">{merchant}</p>
        <p className="cx-print-amount">{formatBRL(charge.paidCents ?? charge.amountCents, 'cents')}</p>
        <dl>
          <dt>{m.printDate}</dt>
          <dd>{formatDateTime(charge.paidAt ?? charge.updatedAt)}</dd>
          {charge.payer?.name ? (
            <>
              <dt>{m.colPayer}</dt>
              <dd>{charge.payer.name}</dd>
            </>
          ) : null}
          <dt>{m.printE2e}</dt>
          <dd className="mono">{charge.e2eid}</dd>
          <dt>{m.printTxid}</dt>
          <dd className="mono">{charge.txid}</dd>
        </dl>
      </div>
    );
  }
  if (!isOpen(charge)) return null;
  return (
    <div className={`cx-print paper-${paper}`} data-testid="cx-print" data-kind="qr">
      <p className="cx-print-title">{m.chargeTitle}</p>
      <p className="cx-print-amount">{amount}</p>
      {qr ? <img src={qr} alt={m.qrAlt(amount)} /> : null}
      <p className="cx-print-merchant">{merchant}</p>
      <p className="cx-print-date">{formatDateTime(charge.createdAt)}</p>
      <p className="mono cx-print-payload">{charge.brCode}</p>
    </div>
  );
}

/**
 * The till's sticker ("QR fixo do caixa"): printed once and stuck on the counter; its QR reads the till's location,
 * which always carries the current charge. Opens the print dialog once the QR is drawn, and goes away after it.
 */
export function StickerPrint({ sticker, merchant, paper, onDone }: { sticker: TillLocationView; merchant: string; paper: Paper; onDone: () => void }) {
  const m = messages.cashier;
  const qr = useQrPng(sticker.brCode, 768);
  useEffect(() => {
    if (!qr) return;
    const after = () => onDone();
    window.addEventListener('afterprint', after, { once: true });
    // Let the image paint before the dialog takes the page.
    // Silent printing (Electron, printer in Ajustes) fires no afterprint: done once the job is sent.
    const t = window.setTimeout(() => void printPage().then((how) => how === 'silent' && after()), 50);
    return () => {
      window.clearTimeout(t);
      window.removeEventListener('afterprint', after);
    };
  }, [qr, onDone]);
  return (
    <div className={`cx-print paper-${paper}`} data-testid="cx-print" data-kind="sticker">
      <p className="cx-print-title">{m.chargeTitle}</p>
      {qr ? <img src={qr} alt={m.tillQrAlt(sticker.till)} /> : null}
      <p className="cx-print-merchant">{merchant}</p>
      <p className="cx-print-date">{sticker.till}</p>
      <p>{m.tillQrSticker}</p>
    </div>
  );
}
