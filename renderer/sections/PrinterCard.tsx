import { useEffect, useId, useState } from 'react';
import { call } from '../bridge';
import { messages } from '../messages';
import { useApp } from '../store';

/**
 * Ajustes, Electron only: the printer the Caixa prints on without the dialog (`printerName` in the settings; main
 * reads it at each print). The list comes from this machine; a saved printer it no longer lists stays visible.
 */
export function PrinterCard() {
  const m = messages.settings;
  const id = useId();
  const notify = useApp((s) => s.notify);
  const [printers, setPrinters] = useState<{ name: string; displayName: string }[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void window.pixdesk?.listPrinters?.().then((list) => live && setPrinters(list));
    void call('settings:get', {}).then((r) => live && r.ok && setChosen(r.value.printerName ?? ''));
    return () => {
      live = false;
    };
  }, []);

  async function choose(name: string) {
    const before = chosen;
    setChosen(name);
    const r = await call('settings:set', { printerName: name });
    if (r.ok) notify('ok', m.printerSaved(r.value.printerName ?? ''));
    else {
      setChosen(before);
      notify('error', r.error.message);
    }
  }

  const missing = chosen && printers && !printers.some((p) => p.name === chosen) ? chosen : null;
  return (
    <div className="card form" data-testid="printer-card">
      <div className="field">
        <label htmlFor={`${id}-printer`}>{m.printer}</label>
        {printers === null || chosen === null ? (
          <p className="muted">{m.printerLoading}</p>
        ) : (
          <select id={`${id}-printer`} value={chosen} aria-describedby={`${id}-printer-hint`} onChange={(e) => void choose(e.target.value)}>
            <option value="">{m.printerDialog}</option>
            {missing ? <option value={missing}>{m.printerMissing(missing)}</option> : null}
            {printers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.displayName}
              </option>
            ))}
          </select>
        )}
        <span className="hint" id={`${id}-printer-hint`}>
          {m.printerHint}
        </span>
      </div>
    </div>
  );
}
