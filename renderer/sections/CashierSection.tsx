import { QuickQrPanel } from '../cashier/QuickQrPanel';
import type { AccountKey } from '../cashier/types';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';

/** Keys of connected accounts for the "Chave Pix" select (none until accounts can be connected). */
const NO_ACCOUNT_KEYS: readonly AccountKey[] = [];

/** Caixa: for now the "QR Code rápido" (static QR with a Pix key, offline). */
export function CashierSection() {
  const m = messages.cashier;
  return (
    <section className="cashier">
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <QuickQrPanel accountKeys={NO_ACCOUNT_KEYS} />
    </section>
  );
}
