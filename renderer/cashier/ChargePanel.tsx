import { useCallback, useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { ChargeView } from '../../main/core/contract';
import type { PixdeskEvent } from '../../main/core/contract/events';
import { call } from '../bridge';
import { formatBRL } from '../format';
import { openTab } from '../host-session';
import { messages } from '../messages';
import { useApp } from '../store';
import { entryFromText, readEntry, typeKey } from './amountEntry';
import { ChargePrint, StickerPrint, usePaper, useStoredFlag, useValidity, PAPERS, VALIDITIES, type Paper } from './ChargePrint';
import type { TillLocationView } from '../../main/core/contract';
import { printPage } from './printing';
import { RecentCharges } from './RecentCharges';
import { displaySoundOn, setDisplaySound } from '../display/sound';
import { formatCountdown, isOpen, useQrSvg, useSecondsLeft, useTillCharges, type TillInfo } from './useTill';
import './cashier.css';

/**
 * Errors after which the offline charge is offered (the bank could not be used right now). Anything else (a bad
 * amount, a key the bank refuses) is shown as it is: an offline code would not fix it.
 */
const OFFLINE_WORTHY = new Set(['CHARGE_PENDING', 'BANK_UNAVAILABLE', 'BANK_BUSY', 'CERT_EXPIRED', 'NETWORK', 'TIMEOUT', 'OFFLINE']);

/** Keys the amount field takes itself (everything else, e.g. Tab and the shortcuts, passes through). */
const ENTRY_KEYS = /^(\d|,|\.|Backspace|Delete)$/;

/**
 * Caixa, mode "Cobrar": a dynamic charge through the default account, keyboard only. The amount field has the
 * focus; Enter charges, Esc cancels the open charge (at the bank too), F2 starts a new one, Ctrl+P prints, F9
 * opens the customer display. The charge on screen is watched (the engine asks the bank every 2 s) and every
 * status below comes from the engine's events.
 */
export function ChargePanel({ info }: { info: TillInfo }) {
  const m = messages.cashier;
  const notify = useApp((s) => s.notify);
  const [raw, setRaw] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState<ChargeView | null>(null);
  const [offline, setOffline] = useState<{ cents: number; message: string } | null>(null);
  const [paper, setPaper] = usePaper();
  const [sound, setSound] = useState(displaySoundOn);
  const [validity, setValidity] = useValidity();
  const [tillQr, setTillQr] = useStoredFlag('pixdesk.cashier.tillQr');
  const [sticker, setSticker] = useState<TillLocationView | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const value = readEntry(raw);

  const onEvent = useCallback((_e: PixdeskEvent, c: ChargeView) => {
    setCurrent((cur) => (cur && cur.id === c.id ? c : cur));
  }, []);
  const recent = useTillCharges(info.till, 10, onEvent);

  const focusAmount = () => window.setTimeout(() => input.current?.focus(), 0);
  useEffect(() => {
    input.current?.focus();
  }, []);

  // While a charge is open on screen the engine polls the bank for it every 2 s (counted per screen).
  const watchId = current && (isOpen(current) || current.status === 'creating') ? current.id : null;
  useEffect(() => {
    if (!watchId) return;
    void call('charges:watch', { id: watchId });
    return () => {
      void call('charges:unwatch', { id: watchId });
    };
  }, [watchId]);

  async function create(asOffline = false): Promise<void> {
    const cents = asOffline && offline ? offline.cents : value.cents;
    if (cents <= 0) {
      setError(m.zero);
      focusAmount();
      return;
    }
    if (busy) return;
    setBusy(true);
    setError(null);
    performance.mark('pixdesk:charge-enter');
    if (asOffline) {
      // The dynamic attempt that is still pending must not also reach the customer later: cancel it first.
      for (const c of recent.filter((x) => x.status === 'creating')) await call('charges:cancel', { id: c.id });
    }
    const r = await call('charges:create', {
      amountCents: cents,
      till: info.till,
      expiresIn: validity,
      ...(asOffline ? { offline: true } : tillQr ? { tillQr: true } : {}),
    });
    setBusy(false);
    if (r.ok) {
      setCurrent(r.value);
      setRaw('');
      setOffline(null);
    } else if (!asOffline && OFFLINE_WORTHY.has(r.error.code)) {
      setOffline({ cents, message: r.error.message });
    } else {
      setError(r.error.code === 'TILL_BUSY' ? `${r.error.message} ${m.tillBusyHint}` : r.error.message);
      // The open charge of the till comes back on screen, so Esc can cancel it.
      const open = r.error.code === 'TILL_BUSY' ? recent.find((c) => isOpen(c) && c.location) : undefined;
      if (open) setCurrent(open);
    }
    focusAmount();
  }

  async function cancelCurrent(): Promise<void> {
    if (!current || !(isOpen(current) || current.status === 'creating')) return;
    const r = await call('charges:cancel', { id: current.id });
    if (r.ok) setCurrent(r.value);
    else notify('error', `${m.cancelFailed} ${r.error.message}`);
    focusAmount();
  }

  function newCharge(): void {
    setCurrent(null);
    setRaw('');
    setError(null);
    setOffline(null);
    focusAmount();
  }

  /** Print the till's sticker: its location is made at the bank the first time, then always the same QR. */
  async function printSticker(): Promise<void> {
    const r = await call('tills:location', { till: info.till });
    if (r.ok) setSticker(r.value);
    else notify('error', r.error.message);
    focusAmount();
  }

  async function openDisplay(): Promise<void> {
    const bridge = window.pixdesk;
    const ok = bridge?.shell === 'electron' && bridge.openDisplay ? await bridge.openDisplay() : await openTab('#/display');
    notify(ok ? 'ok' : 'error', ok ? m.displayOpened : m.displayFailed);
    focusAmount();
  }

  const tillQrRef = useRef(tillQr);
  tillQrRef.current = tillQr;
  // Shortcuts work wherever the focus is on this screen: nothing here needs the mouse.
  const keys = useRef<(e: globalThis.KeyboardEvent) => void>(() => undefined);
  keys.current = (e) => {
    if (e.key === 'F2') {
      e.preventDefault();
      newCharge();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (offline) {
        setOffline(null);
        focusAmount();
      } else if (current && (isOpen(current) || current.status === 'creating')) void cancelCurrent();
      else setRaw('');
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'p') {
      e.preventDefault();
      void printPage();
    } else if (e.key === 'F9') {
      e.preventDefault();
      void openDisplay();
    } else if (e.key === 'F6') {
      e.preventDefault();
      setTillQr(!tillQrRef.current);
    } else if (e.key === 'F7') {
      e.preventDefault();
      void printSticker();
    } else if (e.key === 'F8' && offline) {
      e.preventDefault();
      void create(true);
    }
  };
  useEffect(() => {
    const h = (e: globalThis.KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      void create(false);
    } else if (ENTRY_KEYS.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      setRaw((r) => typeKey(r, e.key));
      setError(null);
    }
  }

  function onPaste(e: ClipboardEvent<HTMLInputElement>): void {
    e.preventDefault();
    const next = entryFromText(e.clipboardData.getData('text'));
    if (next !== null) setRaw(next);
  }

  return (
    <div className="cx">
      <section className="cx-card cx-entry" aria-labelledby="cx-entry-title">
        <h2 id="cx-entry-title">{m.chargeTab}</h2>
        <p className="muted">{m.chargeHint}</p>
        {!info.hasAccount ? <div className="alert error">{m.noAccount}</div> : null}
        <label htmlFor="cx-amount" className="cx-label">
          {m.amount}
        </label>
        <div className={`cx-amount-field${error ? ' has-error' : ''}`}>
          <span aria-hidden="true">R$</span>
          <input
            id="cx-amount"
            ref={input}
            value={value.display}
            inputMode="decimal"
            autoComplete="off"
            placeholder="0,00"
            aria-describedby={error ? 'cx-amount-error' : 'cx-amount-help'}
            aria-invalid={error ? true : undefined}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            onChange={(e) => {
              // Input that did not come as keys (autofill, IME, a test's fill): read it as pasted text.
              const next = entryFromText(e.target.value);
              if (next !== null) setRaw(next);
            }}
          />
        </div>
        {error ? (
          <p id="cx-amount-error" className="cx-error" role="alert">
            {error}
          </p>
        ) : (
          <small id="cx-amount-help" className="muted">
            {m.amountHelp}
          </small>
        )}
        {busy ? <p className="muted" role="status">{m.creating}</p> : null}
        {offline ? (
          <div className="cx-offline" role="alertdialog" aria-labelledby="cx-offline-title" data-testid="offline-offer">
            <h3 id="cx-offline-title">{m.offlineTitle}</h3>
            <p>{offline.message}</p>
            <p>{m.offlineBody}</p>
            <div className="cx-actions">
              <button type="button" className="primary" onClick={() => void create(true)}>
                {m.offlineAccept} <kbd>{m.keys.f8}</kbd>
              </button>
              <button type="button" onClick={() => setOffline(null)}>
                {m.offlineBack} <kbd>{m.keys.esc}</kbd>
              </button>
            </div>
          </div>
        ) : null}
        <Shortcuts />
        <div className="cx-tools">
          <button type="button" onClick={() => void openDisplay()}>
            {m.openDisplay} <kbd>{m.keys.f9}</kbd>
          </button>
          <label className="cx-sound">
            <input type="checkbox" checked={tillQr} onChange={(e) => setTillQr(e.target.checked)} />
            {m.tillQr} <kbd>{m.keys.f6}</kbd>
          </label>
          <button type="button" onClick={() => void printSticker()}>
            {m.tillQrPrint} <kbd>{m.keys.f7}</kbd>
          </button>
          <label className="cx-sound">
            <input
              type="checkbox"
              checked={sound}
              onChange={(e) => {
                setDisplaySound(e.target.checked);
                setSound(e.target.checked);
              }}
            />
            {m.sound}
          </label>
          <label className="cx-paper">
            {m.validity}
            <select value={validity} onChange={(e) => setValidity(Number(e.target.value))}>
              {(VALIDITIES.includes(validity) ? VALIDITIES : [validity, ...VALIDITIES]).map((v) => (
                <option key={v} value={v}>
                  {m.validityOption(v)}
                </option>
              ))}
            </select>
          </label>
          <label className="cx-paper">
            {m.paper}
            <select value={paper} onChange={(e) => setPaper(e.target.value as Paper)}>
              {PAPERS.map((p) => (
                <option key={p} value={p}>
                  {m.papers[p]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </section>
      <section className="cx-card cx-current" aria-labelledby="cx-current-title">
        <h2 id="cx-current-title">{m.currentTitle}</h2>
        <p className="muted">{m.till(info.till)}</p>
        {current ? <CurrentCharge charge={current} /> : <p className="muted">{m.currentEmpty}</p>}
      </section>
      <RecentCharges charges={recent} />
      {sticker ? (
        <StickerPrint sticker={sticker} merchant={info.merchant} paper={paper} onDone={() => setSticker(null)} />
      ) : (
        <ChargePrint charge={current} merchant={info.merchant} paper={paper} />
      )}
    </div>
  );
}

function Shortcuts() {
  const m = messages.cashier;
  const rows: [string, string][] = [
    [m.keys.enter, m.keyEnter],
    [m.keys.esc, m.keyEsc],
    [m.keys.f2, m.keyF2],
    [m.keys.print, m.keyPrint],
    [m.keys.f4, m.keyF4],
    [m.keys.f9, m.keyF9],
    [m.keys.f3, m.keyF3],
    [m.keys.f6, m.keyF6],
    [m.keys.f7, m.keyF7],
  ];
  return (
    <dl className="cx-shortcuts" aria-label={m.shortcutsTitle} data-testid="cx-shortcuts">
      {rows.map(([k, what]) => (
        <div key={k}>
          <dt>
            <kbd>{k}</kbd>
          </dt>
          <dd>{what}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The charge on screen: QR, amount, live status and countdown. */
function CurrentCharge({ charge }: { charge: ChargeView }) {
  const m = messages.cashier;
  const qr = useQrSvg(isOpen(charge) ? charge.brCode : null);
  const left = useSecondsLeft(isOpen(charge) ? charge.expiresAt : null);
  return (
    <div className="cx-charge" data-testid="cx-charge" data-status={charge.status}>
      <strong className="cx-big-amount">{formatBRL(charge.amountCents, 'cents')}</strong>
      <p className={`cx-status st-${charge.status}`} data-testid="cx-status">
        {m.status[charge.status] ?? charge.status}
        {charge.kind === 'static' ? ` · ${m.offlineBadge}` : ''}
      </p>
      {charge.status === 'paid' && charge.payer?.name ? <p>{m.paidBy(charge.payer.name)}</p> : null}
      {left !== null ? <p className="cx-countdown" data-testid="cx-countdown">{left > 0 ? m.expiresIn(formatCountdown(left)) : m.expired}</p> : null}
      {qr ? <img className="cx-qr" src={qr} alt={m.qrAlt(formatBRL(charge.amountCents, 'cents'))} data-testid="cx-qr" /> : null}
      {isOpen(charge) && charge.brCode ? (
        <>
          <label htmlFor="cx-copy">{m.copyPaste}</label>
          <textarea id="cx-copy" readOnly value={charge.brCode} rows={3} tabIndex={-1} data-testid="cx-brcode" />
        </>
      ) : null}
      {charge.error && charge.status !== 'paid' ? <p className="cx-error">{charge.error.message}</p> : null}
    </div>
  );
}
