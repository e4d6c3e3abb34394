import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { QuickQrPanel, type ReceiverSuggestion } from '../cashier/QuickQrPanel';
import type { AccountKey } from '../cashier/types';
import { PageHeader } from '../components/PageHeader';
import { formatPixKey } from '../format';
import { messages } from '../messages';

/** Caixa: the "QR Code rápido" (static QR with a Pix key, offline), offering the keys of active accounts. */
export function CashierSection() {
  const m = messages.cashier;
  const [keys, setKeys] = useState<AccountKey[] | null>(null);
  const [receiver, setReceiver] = useState<ReceiverSuggestion | null>(null);

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
      {keys ? <QuickQrPanel accountKeys={keys} receiver={receiver} /> : <p className="muted">{messages.common.loading}</p>}
    </section>
  );
}
