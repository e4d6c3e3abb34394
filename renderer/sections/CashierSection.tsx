import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';

export function CashierSection() {
  const m = messages.cashier;
  return (
    <section>
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <EmptyState icon="qr" title={m.emptyTitle} body={m.emptyBody} />
    </section>
  );
}
