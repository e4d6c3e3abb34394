import { useRef, useState, type DragEvent } from 'react';
import { Icon } from '../components/Icon';
import { messages } from '../messages';

/**
 * Where the person drops Itaú's "Credencial e Token.xlsx" (or the .eml): drag and drop, or click / the button
 * to open the file picker. Errors from the importer are shown inside the zone; another file can be tried at once.
 */
export function Dropzone(props: {
  onFile: (file: File) => void;
  busy?: string | null;
  error?: string | null;
  inputLabel: string;
  testId: string;
  size?: 'lg' | 'md';
}) {
  const m = messages.onboarding.import;
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const busy = !!props.busy;

  function pick(files: FileList | null) {
    const f = files?.[0];
    if (f && !busy) props.onFile(f);
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    pick(e.dataTransfer.files);
  }

  const showError = !!props.error && !over;
  const cls = ['dz', `dz-${props.size ?? 'lg'}`, over ? 'is-over' : '', showError ? 'has-error' : '', busy ? 'is-busy' : ''].filter(Boolean).join(' ');
  return (
    <div
      className={cls}
      data-testid={`${props.testId}-zone`}
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
      onClick={(e) => {
        if (!busy && !(e.target as HTMLElement).closest('button, input')) input.current?.click();
      }}
    >
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        accept=".xlsx,.xls,.eml"
        tabIndex={-1}
        aria-label={props.inputLabel}
        data-testid={props.testId}
        onChange={(e) => {
          pick(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      {busy ? (
        <div className="dz-state" role="status">
          <span className="spinner spinner-lg" aria-hidden="true" />
          <strong>{props.busy}</strong>
        </div>
      ) : (
        <div className="dz-state">
          <span className={`dz-icon ${showError ? 'is-error' : ''}`}>
            <Icon name={showError ? 'alert' : over ? 'upload' : 'sheet'} size={30} />
          </span>
          {showError ? (
            <div className="dz-error" role="alert">
              <strong>{m.errorTitle}</strong>
              <p>{props.error}</p>
              <small>{m.tryAnother}</small>
            </div>
          ) : (
            <>
              <strong>{over ? m.dropActive : m.dropTitle}</strong>
              <small>{m.dropBody}</small>
            </>
          )}
          <button type="button" className="dz-choose" onClick={() => input.current?.click()}>
            <Icon name="upload" size={16} />
            {m.choose}
          </button>
        </div>
      )}
    </div>
  );
}
