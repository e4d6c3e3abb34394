import { useId, useState } from 'react';
import { messages } from '../messages';
import { FieldError } from './FieldError';
import { QUICK_QR_LIMITS, type AccountKey } from './types';

const OTHER = '__other__';

/**
 * "Chave Pix": a select of the connected accounts' keys plus "Digitar outra chave…", or just a text input
 * when there are none. `keyType` is the type the engine detected for the current key (shown as a chip).
 */
export function PixKeyField(props: {
  accountKeys: readonly AccountKey[];
  value: string;
  onChange(value: string): void;
  keyType: string | null;
  error: string | null;
}) {
  const m = messages.quickQr;
  const { accountKeys, value, onChange, keyType, error } = props;
  const id = useId();
  const [typing, setTyping] = useState(() => accountKeys.length === 0 || !accountKeys.some((k) => k.key === value));
  const showInput = accountKeys.length === 0 || typing;
  const errorId = `${id}-error`;

  return (
    <div className={`qq-field${error ? ' has-error' : ''}`}>
      <div className="qq-label-row">
        <label htmlFor={showInput ? `${id}-input` : `${id}-select`}>{m.key}</label>
        {keyType ? (
          <span className="qq-chip" data-testid="qq-key-type" title={m.keyType}>
            {keyType}
          </span>
        ) : null}
      </div>
      {accountKeys.length > 0 ? (
        <select
          id={`${id}-select`}
          aria-label={m.keySelect}
          value={typing ? OTHER : value}
          onChange={(e) => {
            if (e.target.value === OTHER) {
              setTyping(true);
              onChange('');
            } else {
              setTyping(false);
              onChange(e.target.value);
            }
          }}
        >
          {accountKeys.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
          <option value={OTHER}>{m.keyOther}</option>
        </select>
      ) : null}
      {showInput ? (
        <input
          id={`${id}-input`}
          className={accountKeys.length > 0 ? 'qq-key-other' : undefined}
          value={value}
          maxLength={QUICK_QR_LIMITS.key}
          placeholder={m.keyPlaceholder}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : `${id}-help`}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : null}
      {error ? <FieldError id={errorId} text={error} /> : <small id={`${id}-help`} className="qq-help">{m.keyHelp}</small>}
    </div>
  );
}
