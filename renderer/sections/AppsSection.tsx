import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';

export function AppsSection() {
  const m = messages.apps;
  return (
    <section>
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <EmptyState icon="plug" title={m.emptyTitle} body={m.emptyBody} />
    </section>
  );
}
