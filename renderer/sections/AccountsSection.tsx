import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { messages } from '../messages';

/** Contas: the company's Itaú accounts (onboarding lands in its own issue). */
export function AccountsSection() {
  const m = messages.accounts;
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={m.title} subtitle={m.subtitle} />
      <EmptyState icon="bank" title={m.emptyTitle} body={m.emptyBody} />
    </section>
  );
}
