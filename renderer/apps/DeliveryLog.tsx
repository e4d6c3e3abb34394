import { useCallback, useEffect, useState } from 'react';
import type { WebhookDeliveryView } from '../../main/core/contract';
import { call } from '../bridge';
import { formatDateTime } from '../format';
import { messages } from '../messages';

const BADGE: Record<WebhookDeliveryView['status'], string> = { pending: 'badge-info', sending: 'badge-info', delivered: 'badge-ok', failed: 'badge-danger' };

/** The webhook delivery log of one app, newest first, with "Reenviar" on finished deliveries. */
export function DeliveryLog({ appId, notify }: { appId: string; notify: (kind: 'ok' | 'error', text: string) => void }) {
  const m = messages.apps;
  const [rows, setRows] = useState<WebhookDeliveryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call('apps:deliveries', { id: appId });
    if (r.ok) setRows(r.value);
    else setError(r.error.message);
  }, [appId]);

  useEffect(() => {
    void load();
  }, [load]);

  async function resend(id: string) {
    const r = await call('apps:resendDelivery', { id });
    if (!r.ok) return notify('error', r.error.message);
    notify('ok', m.resent);
    await load();
  }

  if (error) return <p className="field-error" role="alert">{error}</p>;
  if (!rows) return <p className="apps-hint">{messages.common.loading}</p>;
  if (!rows.length) return <p className="apps-hint">{m.deliveriesEmpty}</p>;
  return (
    <table className="apps-log" data-testid="delivery-log">
      <tbody>
        {rows.map((d) => (
          <tr key={d.id}>
            <td>
              <code>{d.event.replace('OPENPIX:', '')}</code>
              <div className="apps-hint">{d.url}</div>
            </td>
            <td>
              <span className={`badge ${BADGE[d.status]}`}>{m.deliveryStatus[d.status]}</span>
              <div className="apps-hint">
                {m.attempts(d.attempts)}
                {d.lastStatus ? ` · HTTP ${d.lastStatus}` : d.lastError ? ` · ${d.lastError}` : ''}
                {d.nextAttemptAt ? ` · ${m.nextAttempt(formatDateTime(d.nextAttemptAt))}` : ''}
              </div>
            </td>
            <td className="apps-hint">{formatDateTime(d.deliveredAt ?? d.createdAt)}</td>
            <td>{d.status === 'failed' || d.status === 'delivered' ? <button type="button" className="ghost" onClick={() => void resend(d.id)}>{m.resend}</button> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
