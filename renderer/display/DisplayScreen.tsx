import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChargeView } from '../../main/core/contract';
import type { PixdeskEvent } from '../../main/core/contract/events';
import { call } from '../bridge';
import { formatBRL } from '../format';
import { messages } from '../messages';
import { formatCountdown, isOpen, useQrSvg, useSecondsLeft, useTillCharges, useTillInfo } from '../cashier/useTill';
import { maskPayerName } from './payer';
import { displaySoundOn, playPaidChime } from './sound';
import './display.css';

/** How long "Pagamento recebido" (and expired / cancelled) stays before the screen goes back to idle. */
const PAID_MS = 8_000;
const ENDED_MS = 5_000;

type View = { kind: 'idle' } | { kind: 'charge'; charge: ChargeView } | { kind: 'paid' | 'expired' | 'cancelled'; charge: ChargeView };

/**
 * The customer display (`#/display`, a second tab or, in Electron, a second window): what the person paying sees.
 * It follows this till's charges through the engine's events and shows the most recent open one, or the one Cobranças
 * sends to it again (`display:show`); nothing else
 * (no navigation, no admin data, no identifiers beyond what paying needs).
 */
export function DisplayScreen() {
  const m = messages.display;
  const info = useTillInfo();
  const [view, setView] = useState<View>({ kind: 'idle' });
  const ended = useRef<number | null>(null);

  const finish = useCallback((kind: 'paid' | 'expired' | 'cancelled', charge: ChargeView) => {
    if (ended.current) window.clearTimeout(ended.current);
    setView({ kind, charge });
    if (kind === 'paid' && displaySoundOn()) playPaidChime();
    ended.current = window.setTimeout(() => setView({ kind: 'idle' }), kind === 'paid' ? PAID_MS : ENDED_MS);
  }, []);

  // The handler reads the view through a ref: it decides, then sets once (no side effects inside an updater).
  const viewRef = useRef(view);
  viewRef.current = view;
  const onEvent = useCallback(
    (_e: PixdeskEvent, c: ChargeView) => {
      const v = viewRef.current;
      const shown = v.kind === 'idle' ? null : v.charge;
      if (isOpen(c)) {
        // A newer open charge of this till takes the screen; the shown one just refreshes.
        if (!shown || shown.id === c.id || c.createdAt >= shown.createdAt) {
          if (ended.current) window.clearTimeout(ended.current);
          setView({ kind: 'charge', charge: c });
        }
        return;
      }
      if (!shown || shown.id !== c.id) return;
      // The payer's name may arrive a moment after the payment (from the bank's list of received Pix).
      if (v.kind === 'paid' && c.status === 'paid') return setView({ kind: 'paid', charge: c });
      if (v.kind !== 'charge') return;
      if (c.status === 'paid' || c.status === 'expired' || c.status === 'cancelled') finish(c.status, c);
      else if (c.status === 'failed') setView({ kind: 'idle' });
    },
    [finish],
  );
  const charges = useTillCharges(info?.till ?? null, 5, onEvent);

  // Cobranças asked to show one charge of this till again (charges:showOnDisplay): it takes the screen, newest or not.
  const till = info?.till ?? null;
  useEffect(() => {
    if (till === null) return;
    let live = true;
    const unsubscribe = window.pixdesk?.subscribe?.((e) => {
      if (e.name !== 'display:show' || e.payload.till !== till) return;
      void call('charges:get', { id: e.payload.chargeId }).then((r) => {
        if (!live || !r.ok || !isOpen(r.value) || r.value.till !== till) return;
        if (ended.current) window.clearTimeout(ended.current);
        setView({ kind: 'charge', charge: r.value });
      });
    });
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [till]);

  // Opened after the charge was made: show the most recent open one of this till.
  const first = useRef(true);
  useEffect(() => {
    if (!first.current || charges.length === 0) return;
    first.current = false;
    const open = charges.find((c) => isOpen(c) && Date.parse(c.expiresAt) > Date.now());
    if (open) setView((v) => (v.kind === 'idle' ? { kind: 'charge', charge: open } : v));
  }, [charges]);

  useEffect(() => {
    document.title = m.title;
    return () => {
      if (ended.current) window.clearTimeout(ended.current);
    };
  }, [m.title]);

  // The customer screen shows the charge too: while it does, the engine asks the bank every 2 s (counted per screen),
  // even when the cashier has moved on (F2) from it.
  const watchId = view.kind === 'charge' && view.charge.kind === 'dynamic' ? view.charge.id : null;
  useEffect(() => {
    if (!watchId) return;
    void call('charges:watch', { id: watchId });
    return () => {
      void call('charges:unwatch', { id: watchId });
    };
  }, [watchId]);

  const merchant = info?.merchant ?? '';
  return (
    <main className="dsp" data-testid="display" data-state={view.kind}>
      {view.kind === 'idle' ? <Idle merchant={merchant} /> : null}
      {view.kind === 'charge' ? <Charge charge={view.charge} merchant={merchant} onExpired={() => finish('expired', view.charge)} /> : null}
      {view.kind === 'paid' ? (
        <div className="dsp-end dsp-paid" role="status">
          <div className="dsp-check" aria-hidden="true">
            ✓
          </div>
          <h1>{m.paid}</h1>
          <p className="dsp-amount">{formatBRL(view.charge.paidCents ?? view.charge.amountCents, 'cents')}</p>
          {maskPayerName(view.charge.payer?.name) ? <p className="dsp-payer" data-testid="display-payer">{maskPayerName(view.charge.payer?.name)}</p> : null}
          <p className="dsp-merchant">{m.thanks}</p>
        </div>
      ) : null}
      {view.kind === 'expired' || view.kind === 'cancelled' ? (
        <div className="dsp-end dsp-over" role="status">
          <h1>{view.kind === 'expired' ? m.expired : m.cancelled}</h1>
          <p className="dsp-merchant">{m.askAgain}</p>
        </div>
      ) : null}
    </main>
  );
}

function Idle({ merchant }: { merchant: string }) {
  const m = messages.display;
  return (
    <div className="dsp-idle">
      <p className="dsp-merchant-big">{merchant}</p>
      <h1>{m.payWithPix}</h1>
    </div>
  );
}

function Charge({ charge, merchant, onExpired }: { charge: ChargeView; merchant: string; onExpired: () => void }) {
  const m = messages.display;
  const qr = useQrSvg(charge.brCode);
  const left = useSecondsLeft(charge.expiresAt);
  const amount = formatBRL(charge.amountCents, 'cents');
  const fired = useRef(false);
  useEffect(() => {
    // The countdown reaching zero ends it here; the engine confirms with charge:expired (a late payment still wins).
    if (left === 0 && !fired.current) {
      fired.current = true;
      onExpired();
    }
  }, [left, onExpired]);
  useEffect(() => {
    if (qr) performance.mark('pixdesk:display-qr');
  }, [qr]);
  return (
    <div className="dsp-charge">
      <div className="dsp-qr-box">{qr ? <img className="dsp-qr" src={qr} alt={m.qrAlt(amount)} data-testid="display-qr" /> : null}</div>
      <div className="dsp-side">
        <p className="dsp-amount" data-testid="display-amount">
          {amount}
        </p>
        <p className="dsp-merchant">{merchant}</p>
        <p className="dsp-scan">{m.scan}</p>
        {left !== null ? (
          <p className="dsp-countdown" data-testid="display-countdown">
            {m.expiresIn(formatCountdown(left))}
          </p>
        ) : null}
        {charge.kind === 'static' ? <p className="dsp-scan">{m.offline}</p> : null}
      </div>
    </div>
  );
}
