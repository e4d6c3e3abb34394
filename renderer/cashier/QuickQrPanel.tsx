import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '../components/Icon';
import { call } from '../bridge';
import { formatBRL, formatPixKey, maskAmountInput } from '../format';
import { messages } from '../messages';
import { useApp } from '../store';
import { FieldError } from './FieldError';
import { base64ToBlob, copyText, saveBlob, svgDataUrl } from './files';
import { printPage } from './printing';
import { PixKeyField } from './PixKeyField';
import { asInQr, type QrText } from './qrText';
import { QUICK_QR_LIMITS, type AccountKey, type BuildState, type QuickQrField } from './types';
import { useBrCode } from './useBrCode';
import { useMerchantDefaults, useSaveMerchant, type MerchantDefaults } from './useMerchant';
import { useSettled } from './useSettled';

const m = messages.quickQr;

/** The receiver a connected account suggests when Ajustes has none yet (its company and city). */
export interface ReceiverSuggestion {
  account: string;
  name: string;
  city: string;
}

/** "Como vai no QR: "Sao Jose dos Ca" (sem acentos, cortado em 15 caracteres)", only when it differs from what was typed. */
function AsInQrHint({ id, q, max }: { id: string; q: QrText; max: number }) {
  if (!q.changed) return null;
  if (q.shown === '') {
    return (
      <small id={id} className="qq-as-qr is-empty" data-testid="qq-as-qr">
        {m.asQrNothing}
      </small>
    );
  }
  const why = [q.accents ? m.asQrAccents : null, q.dropped ? m.asQrDropped : null, q.cut ? m.asQrCut(max) : null].filter(Boolean);
  return (
    <small id={id} className="qq-as-qr" data-testid="qq-as-qr" aria-live="polite">
      {m.asQr(q.shown)}
      {why.length ? <span className="qq-as-qr-why"> ({why.join(', ')})</span> : null}
    </small>
  );
}

/**
 * "QR Code rápido": a static Pix QR built offline from a key, the merchant's name and city, an optional
 * amount and description. The QR, the big amount and "Pix Copia e Cola" follow what is typed.
 * `accountKeys` are the keys of connected accounts (offered in a select); none yet → a text field.
 */
export function QuickQrPanel({ accountKeys, receiver }: { accountKeys: readonly AccountKey[]; receiver?: ReceiverSuggestion | null }) {
  const defaults = useMerchantDefaults();
  if (!defaults) return <p className="muted">{messages.common.loading}</p>;
  return <QuickQrForm accountKeys={accountKeys} defaults={defaults} receiver={receiver ?? null} />;
}

function fileBase(s: Extract<BuildState, { status: 'ready' }>): string {
  return m.fileName(s.input.amount ? s.input.amount.replace('.', ',') : null);
}

function QuickQrForm({ accountKeys, defaults, receiver }: { accountKeys: readonly AccountKey[]; defaults: MerchantDefaults; receiver: ReceiverSuggestion | null }) {
  const notify = useApp((s) => s.notify);
  const id = useId();
  const [key, setKey] = useState(() => defaults.lastPixKey || accountKeys[0]?.key || '');
  // Nothing saved yet: start from the connected account's company and city (saved once the person keeps them).
  const [prefilled] = useState(() => !!receiver && (!defaults.merchantName.trim() || !defaults.merchantCity.trim()));
  const [name, setName] = useState(() => defaults.merchantName || receiver?.name || '');
  const [city, setCity] = useState(() => defaults.merchantCity || receiver?.city || '');
  const nameInQr = asInQr(name, QUICK_QR_LIMITS.name);
  const cityInQr = asInQr(city, QUICK_QR_LIMITS.city);
  const [amountText, setAmountText] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState<null | 'png' | 'svg'>(null);
  const copyRef = useRef<HTMLButtonElement>(null);
  const payloadRef = useRef<HTMLTextAreaElement>(null);

  const amount = maskAmountInput(amountText).value;
  useSaveMerchant(name, city, { name: defaults.merchantName, city: defaults.merchantCity });
  const qr = useBrCode({ key, name, city, amount, description });
  const [settled, settleNow] = useSettled(JSON.stringify([key, name, city, amountText, description]), 700);

  const { state, pending } = qr;
  const shownError = state.status === 'error' && settled ? state : null;
  const errorOf = (f: QuickQrField): string | null => (shownError?.field === f ? shownError.error.message : null);
  const generalError = shownError && shownError.field === null ? shownError.error.message : null;
  // What is on screen follows the keys at once (the page's own encoding); main's answer confirms it and is what
  // copy, download and print use (flush()).
  const ready = qr.preview ?? (state.status === 'ready' ? state : null);
  const stale = pending && !qr.preview;
  const keyType = ready && ready.input.key === key ? m.keyTypes[ready.result.keyType] : null;
  const amountLabel = amount ? formatBRL(amount) : null;

  function onAmountKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      copyRef.current?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setAmountText('');
    }
  }

  async function copy() {
    const s = await qr.flush();
    if (s.status !== 'ready') return;
    const ok = await copyText(s.result.payload, payloadRef.current);
    notify(ok ? 'ok' : 'error', ok ? m.copied : m.copyFailed);
  }

  async function downloadPng() {
    const s = await qr.flush();
    if (s.status !== 'ready') return;
    setBusy('png');
    try {
      const r = await call('brcode:png', { payload: s.result.payload, size: 1024 });
      if (r.ok) saveBlob(base64ToBlob(r.value.base64, 'image/png'), `${fileBase(s)}.png`);
      else notify('error', `${m.downloadFailed} ${r.error.message}`);
    } finally {
      setBusy(null);
    }
  }

  async function downloadSvg() {
    const s = await qr.flush();
    if (s.status !== 'ready') return;
    saveBlob(new Blob([s.result.svg], { type: 'image/svg+xml' }), `${fileBase(s)}.svg`);
  }

  async function print() {
    const s = await qr.flush();
    if (s.status === 'ready') await printPage();
  }

  const missing = {
    key: key.trim() === '' || (state.status === 'error' && state.field === 'key'),
    name: name.trim() === '',
    city: city.trim() === '',
  };

  return (
    <div className="qq">
      <form className="qq-card qq-form" onSubmit={(e) => e.preventDefault()} onBlur={settleNow} noValidate>
        <div className="qq-card-head">
          <span className="qq-card-icon">
            <Icon name="qr" size={22} />
          </span>
          <div>
            <h2>{m.title}</h2>
            <p>{messages.cashier.quickQrHint}</p>
          </div>
        </div>

        <PixKeyField accountKeys={accountKeys} value={key} onChange={setKey} keyType={keyType} error={errorOf('key')} />

        <div className="qq-row">
          <div className={`qq-field qq-grow${errorOf('name') ? ' has-error' : ''}`}>
            <label htmlFor={`${id}-name`}>{m.name}</label>
            <input
              id={`${id}-name`}
              value={name}
              maxLength={QUICK_QR_LIMITS.typed}
              placeholder={m.namePlaceholder}
              autoComplete="organization"
              aria-invalid={errorOf('name') ? true : undefined}
              aria-describedby={nameInQr.changed ? `${id}-name-qr` : undefined}
              onChange={(e) => setName(e.target.value)}
            />
            {errorOf('name') ? <FieldError id={`${id}-name-error`} text={errorOf('name') as string} /> : <AsInQrHint id={`${id}-name-qr`} q={nameInQr} max={QUICK_QR_LIMITS.name} />}
          </div>
          <div className={`qq-field qq-city${errorOf('city') ? ' has-error' : ''}`}>
            <label htmlFor={`${id}-city`}>{m.city}</label>
            <input
              id={`${id}-city`}
              value={city}
              maxLength={QUICK_QR_LIMITS.typed}
              placeholder={m.cityPlaceholder}
              autoComplete="address-level2"
              aria-invalid={errorOf('city') ? true : undefined}
              aria-describedby={cityInQr.changed ? `${id}-city-qr` : undefined}
              onChange={(e) => setCity(e.target.value)}
            />
            {errorOf('city') ? <FieldError id={`${id}-city-error`} text={errorOf('city') as string} /> : <AsInQrHint id={`${id}-city-qr`} q={cityInQr} max={QUICK_QR_LIMITS.city} />}
          </div>
        </div>
        <small className="qq-help qq-help-row">{prefilled && receiver ? m.prefilled(receiver.account) : m.merchantHelp}</small>

        <div className={`qq-field${errorOf('amount') ? ' has-error' : ''}`}>
          <label htmlFor={`${id}-amount`}>{m.amount}</label>
          <div className="qq-money">
            <span aria-hidden="true">{m.amountPrefix}</span>
            <input
              id={`${id}-amount`}
              value={amountText}
              inputMode="numeric"
              autoComplete="off"
              placeholder={m.amountPlaceholder}
              aria-describedby={`${id}-amount-help`}
              aria-invalid={errorOf('amount') ? true : undefined}
              onChange={(e) => setAmountText(maskAmountInput(e.target.value).display)}
              onKeyDown={onAmountKey}
            />
          </div>
          {errorOf('amount') ? (
            <FieldError id={`${id}-amount-error`} text={errorOf('amount') as string} />
          ) : (
            <small id={`${id}-amount-help`} className="qq-help">
              {m.amountHelp}
            </small>
          )}
        </div>

        <div className={`qq-field${errorOf('description') ? ' has-error' : ''}`}>
          <div className="qq-label-row">
            <label htmlFor={`${id}-desc`}>
              {m.description} <span className="qq-optional">{m.descriptionOptional}</span>
            </label>
            <span className="qq-count">{m.charCount(description.length, QUICK_QR_LIMITS.description)}</span>
          </div>
          <input
            id={`${id}-desc`}
            value={description}
            maxLength={QUICK_QR_LIMITS.description}
            placeholder={m.descriptionPlaceholder}
            autoComplete="off"
            aria-invalid={errorOf('description') ? true : undefined}
            onChange={(e) => setDescription(e.target.value)}
          />
          {errorOf('description') ? <FieldError id={`${id}-desc-error`} text={errorOf('description') as string} /> : null}
        </div>

        <div className="qq-shortcuts">
          <Icon name="keyboard" size={16} />
          <span>{m.shortcuts}:</span>
          <kbd>Enter</kbd> {m.shortcutEnter}
          <span className="qq-dot" aria-hidden="true">·</span>
          <kbd>Esc</kbd> {m.shortcutEsc}
        </div>
      </form>

      <section className="qq-card qq-result" aria-labelledby={`${id}-result`} aria-busy={pending}>
        <div className="qq-result-head">
          <h2 id={`${id}-result`}>{m.resultTitle}</h2>
          {stale && ready ? <span className="qq-updating">{m.updating}</span> : null}
        </div>

        <div className="qq-amount" data-testid="qq-amount">
          {amountLabel ? (
            <strong>{amountLabel}</strong>
          ) : (
            <>
              <strong className="qq-open">{m.openAmount}</strong>
              <span>{m.openAmountHint}</span>
            </>
          )}
        </div>

        {ready ? (
          <>
            <div className={`qq-qr${stale ? ' is-stale' : ''}`}>
              <img
                src={svgDataUrl(ready.result.svg)}
                alt={ready.input.amount ? m.qrAlt(formatBRL(ready.input.amount)) : m.qrAltOpen}
                width={216}
                height={216}
                data-testid="qq-qr"
              />
            </div>
            <dl className="qq-meta">
              <div>
                <dt>{m.receiver}</dt>
                <dd>
                  {/* What the payer's bank app will show: the QR's own text, not the typed one. */}
                  <span data-testid="qq-receiver">
                    {asInQr(ready.input.name, QUICK_QR_LIMITS.name).shown} · {asInQr(ready.input.city, QUICK_QR_LIMITS.city).shown}
                  </span>
                </dd>
              </div>
              <div>
                <dt>{m.keyTypes[ready.result.keyType]}</dt>
                <dd className="qq-mono" data-testid="qq-key">
                  {formatPixKey(ready.result.key, ready.result.keyType)}
                </dd>
              </div>
            </dl>
            <div className="qq-field qq-copy">
              <label htmlFor={`${id}-payload`}>{m.copyPaste}</label>
              <div className="qq-copy-row">
                <textarea
                  id={`${id}-payload`}
                  ref={payloadRef}
                  readOnly
                  rows={5}
                  spellCheck={false}
                  value={ready.result.payload}
                  data-testid="pix-copia-e-cola"
                  onFocus={(e) => e.currentTarget.select()}
                />
                <button type="button" className="primary qq-copy-btn" ref={copyRef} onClick={() => void copy()}>
                  <Icon name="copy" size={17} />
                  {m.copy}
                </button>
              </div>
            </div>
            <div className="qq-actions">
              <button type="button" onClick={() => void downloadPng()} disabled={busy === 'png'}>
                <Icon name="download" size={17} />
                {m.downloadPng}
              </button>
              <button type="button" onClick={() => void downloadSvg()}>
                <Icon name="download" size={17} />
                {m.downloadSvg}
              </button>
              <button type="button" onClick={() => void print()}>
                <Icon name="print" size={17} />
                {m.print}
              </button>
            </div>
            <div className="qq-print-sheet" aria-hidden="true">
              <p className="qq-print-amount">{ready.input.amount ? formatBRL(ready.input.amount) : `${m.openAmount}: ${m.openAmountHint}`}</p>
              <img src={svgDataUrl(ready.result.svg)} alt="" />
              <p className="qq-print-merchant">
                {/* Printed for people: the name as typed, accents and all. */}
                <strong>{ready.input.name.trim()}</strong> · {ready.input.city.trim()}
              </p>
              <p className="qq-print-key">
                {m.key} ({m.keyTypes[ready.result.keyType]}): {formatPixKey(ready.result.key, ready.result.keyType)}
              </p>
              <p className="qq-print-label">{m.copyPaste}</p>
              <p className="qq-print-payload">{ready.result.payload}</p>
              <p className="qq-print-footer">{m.printFooter}</p>
            </div>
          </>
        ) : shownError ? (
          <div className="qq-placeholder is-error" data-testid="qq-invalid">
            <Icon name="alert" size={36} />
            <h3>{m.invalidTitle}</h3>
            <p>{generalError ?? m.invalidBody}</p>
          </div>
        ) : (
          <div className="qq-placeholder" data-testid="qq-waiting">
            <Icon name="qr" size={40} />
            <h3>{m.waitingTitle}</h3>
            <p>{m.waitingBody}</p>
            <ul className="qq-checklist">
              <li className={missing.key ? undefined : 'done'}>
                <Icon name={missing.key ? 'dot' : 'check'} size={16} />
                {m.waitingKey}
              </li>
              <li className={missing.name ? undefined : 'done'}>
                <Icon name={missing.name ? 'dot' : 'check'} size={16} />
                {m.waitingName}
              </li>
              <li className={missing.city ? undefined : 'done'}>
                <Icon name={missing.city ? 'dot' : 'check'} size={16} />
                {m.waitingCity}
              </li>
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}
