import type { ChargeView } from '../../main/core/contract';
import { formatBRL } from '../format';
import { messages } from '../messages';

const time = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The last charges of this till, newest first; their status follows the engine's events. */
export function RecentCharges({ charges }: { charges: ChargeView[] }) {
  const m = messages.cashier;
  return (
    <section className="cx-card cx-recent" aria-labelledby="cx-recent-title">
      <h2 id="cx-recent-title">{m.recentTitle}</h2>
      {charges.length === 0 ? (
        <p className="muted">{m.recentEmpty}</p>
      ) : (
        <table data-testid="cx-recent">
          <thead>
            <tr>
              <th scope="col">{m.colTime}</th>
              <th scope="col">{m.colAmount}</th>
              <th scope="col">{m.colStatus}</th>
              <th scope="col">{m.colPayer}</th>
            </tr>
          </thead>
          <tbody>
            {charges.map((c) => (
              <tr key={c.id} data-status={c.status}>
                <td>{time.format(new Date(c.createdAt))}</td>
                <td className="num">{formatBRL(c.amountCents, 'cents')}</td>
                <td>
                  <span className={`cx-pill st-${c.status}`}>
                    {m.status[c.status] ?? c.status}
                    {c.kind === 'static' ? ` · ${m.offlineBadge}` : ''}
                  </span>
                </td>
                <td>{c.payer?.name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
