import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';

export function ChargesSection() {
  const m = messages.charges;
  return (
    <section>
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <EmptyState icon="receipt" title={m.emptyTitle} body={m.emptyBody} />
    </section>
  );
}
