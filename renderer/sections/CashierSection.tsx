import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { ChargePanel } from '../cashier/ChargePanel';
import { ClosingPanel } from '../cashier/ClosingPanel';
import { QuickQrPanel, type ReceiverSuggestion } from '../cashier/QuickQrPanel';
import type { AccountKey } from '../cashier/types';
import { useTillInfo } from '../cashier/useTill';
import { PageHeader } from '../components/PageHeader';
import { formatPixKey } from '../format';
import { messages } from '../messages';

type Mode = 'cobrar' | 'rapido' | 'fechamento';

/** `#/caixa` is "Cobrar"; `#/caixa/rapido` the static "QR Code rápido"; `#/caixa/fechamento` the till closing. */
function modeFromHash(hash: string): Mode {
  const m = /^#\/?caixa\/(rapido|fechamento)/.exec(hash);
  return m ? (m[1] as Mode) : 'cobrar';
}

/**
 * Caixa: "Cobrar" (dynamic charges through the default account, keyboard first) and "QR Code rápido" (static QR
 * with a Pix key, offline), switched with F4 or the tabs.
 */
export function CashierSection() {
  const m = messages.cashier;
  const [mode, setMode] = useState<Mode>(() => modeFromHash(window.location.hash));
  const [keys, setKeys] = useState<AccountKey[] | null>(null);
  const [receiver, setReceiver] = useState<ReceiverSuggestion | null>(null);
  // Read again on each mode switch: an account connected meanwhile (or a renamed till) shows at once.
  const info = useTillInfo(mode);

  useEffect(() => {
    const onHash = () => setMode(modeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const switchTo = (next: Mode) => {
    window.location.hash = next === 'cobrar' ? '#/caixa' : `#/caixa/${next}`;
    setMode(next);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F3') {
        e.preventDefault();
        switchTo(modeFromHash(window.location.hash) === 'fechamento' ? 'cobrar' : 'fechamento');
      } else if (e.key === 'F4') {
        e.preventDefault();
        switchTo(modeFromHash(window.location.hash) === 'rapido' ? 'cobrar' : 'rapido');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    let live = true;
    void call('accounts:list', {}).then((r) => {
      if (!live) return;
      // Without accounts (or if the list fails) the panel still works with a typed key.
      const list = r.ok ? r.value.filter((a) => a.active) : [];
      setKeys(list.flatMap((a) => a.pixKeys.map((key) => ({ key, label: `${formatPixKey(key)} — ${a.name}` }))));
      // The default account (as main picks it) names the receiver when Ajustes has none yet.
      const main = list.find((a) => a.isDefault) ?? list[0];
      setReceiver(main ? { account: main.name, name: main.company, city: main.city } : null);
    });
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className="cashier">
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <div className="cx-modes" role="tablist" aria-label={m.modes}>
        {(['cobrar', 'rapido', 'fechamento'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={mode === k}
            className={mode === k ? 'active' : undefined}
            tabIndex={-1}
            onClick={() => switchTo(k)}
          >
            {k === 'cobrar' ? m.chargeTab : k === 'rapido' ? m.quickQrTab : m.closingTab} <kbd>{k === 'fechamento' ? m.keys.f3 : m.keys.f4}</kbd>
          </button>
        ))}
      </div>
      {mode === 'cobrar' || mode === 'fechamento' ? (
        info ? (
          mode === 'cobrar' ? (
            <ChargePanel info={info} />
          ) : (
            <ClosingPanel info={info} />
          )
        ) : (
          <p className="muted">{messages.common.loading}</p>
        )
      ) : keys ? (
        <QuickQrPanel accountKeys={keys} receiver={receiver} />
      ) : (
        <p className="muted">{messages.common.loading}</p>
      )}
    </section>
  );
}
