import type { ChargeExporter } from '../../charges/export/export-service';
import { dashboard } from '../../charges/dashboard';
import { reconcileDay, type DayReconcileDeps } from '../../charges/day-reconcile';
import { queryPage, querySummary } from '../../charges/list-query';
import type { Handlers } from '../../contract';
import type { Db } from '../../db';

type ChargeListHandlers = Pick<Handlers, 'charges:query' | 'charges:summary' | 'charges:exportStart' | 'charges:exportRead' | 'charges:exportCancel' | 'charges:exportStatus' | 'charges:dashboard' | 'charges:reconcileDay'>;

export interface ChargeListHandlerDeps {
  db: Db;
  exporter: ChargeExporter;
  now: () => Date;
  /** What the daily reconciliation with the bank needs (the charges engine's clients and state). */
  reconcile: Omit<DayReconcileDeps, 'db' | 'now'>;
}

/** The Cobranças list: filtered keyset pages, totals of the filter and the streamed export. */
export function chargeListHandlers(d: ChargeListHandlerDeps): ChargeListHandlers {
  return {
    'charges:query': (i) => queryPage(d.db, i.filter, { cursor: i.cursor, seek: i.seek, limit: i.limit }),
    'charges:summary': (i) => querySummary(d.db, i.filter),
    'charges:exportStart': (i) => d.exporter.start(i.filter, i.format, d.now()),
    'charges:exportRead': (i) => d.exporter.read(i.id, i.offset),
    'charges:exportCancel': (i) => d.exporter.cancel(i.id),
    'charges:exportStatus': (i) => d.exporter.status(i.id),
    'charges:dashboard': (i) => dashboard(d.db, d.now(), i.range, i.accountId),
    'charges:reconcileDay': (i) => reconcileDay({ ...d.reconcile, db: d.db, now: d.now }, i.day, i.accountId),
  };
}
