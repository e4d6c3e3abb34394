import type { AccountStore } from '../accounts/account-store';
import type { DayReconciliation, ReconcileLine } from '../contract/types';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { ItauPixClient } from '../itau/pix-client';
import { valorToCents } from './amount';
import { parseBankTime } from './bank-time';
import type { ChargeService } from './charge-service';
import { maskDocument } from './ids';
import { dayStartUtc, nextDay } from './list-query';
import { pixPages } from './pix-window';

/*
 * The daily reconciliation the finance staff run: one São Paulo day of one account, what the bank's `GET /pix`
 * lists against what PixDesk holds (received Pix, and paid charges in case a payment was recorded on the charge
 * only). Compared by E2EID (unique per Pix), then by txid for a local payment with no E2EID. Read-only: it
 * reports, it never changes a charge (the background reconciler records what the bank has; this is the check).
 */

export interface DayReconcileDeps {
  db: Db;
  accounts: AccountStore;
  charges: ChargeService;
  client: (accountId: string) => ItauPixClient;
  zulu: (accountId: string) => boolean;
  now: () => Date;
}

type LocalRow = { e2eid: string | null; txid: string | null; amount_cents: number; at: string; payer_name: string | null; payer_doc_masked: string | null; charge_id: string | null };

/**
 * Reconcile `day` for `accountId` (the default account when absent) against the bank. A day still running is
 * compared up to now. Throws a pt-BR AppError when the account cannot use the API or the bank cannot be reached.
 */
export async function reconcileDay(d: DayReconcileDeps, day: string, accountId?: string): Promise<DayReconciliation> {
  const account = accountId ? d.accounts.get(accountId) : d.accounts.defaultAccount();
  if (!account) throw new AppError('NO_ACCOUNT', 'Nenhuma conta conectada. Conecte uma conta em "Contas" para conciliar com o banco.');
  const problem = d.charges.apiProblem(account);
  if (problem) throw problem;
  const fromMs = Date.parse(dayStartUtc(day));
  const nowMs = d.now().getTime();
  if (fromMs > nowMs) throw new AppError('DAY_IN_FUTURE', 'Esse dia ainda não começou. Escolha hoje ou um dia anterior.');
  const toMs = Math.min(Date.parse(dayStartUtc(nextDay(day))), nowMs);

  const zulu = d.zulu(account.id);
  const bank = new Map<string, ReconcileLine>();
  for await (const page of pixPages(d.client(account.id), fromMs, toMs, { pageSize: 1000 })) {
    for (const p of page.items) {
      const at = parseBankTime(p.horario, zulu);
      // Windows overlap by up to a second at their ends: keep only this day, once per E2EID.
      if (at === null || at < fromMs || at >= toMs + 1000 || bank.has(p.endToEndId)) continue;
      bank.set(p.endToEndId, {
        e2eid: p.endToEndId, txid: p.txid && p.txid !== '***' ? p.txid : null, amountCents: valorToCents(p.valor) ?? 0, at: new Date(at).toISOString(),
        payerName: p.pagador?.nome?.slice(0, 140) ?? null, payerDocument: maskDocument(p.pagador?.cpf ?? p.pagador?.cnpj), chargeId: null, bankAmountCents: null,
      });
    }
  }

  const params = { acc: account.id, from: new Date(fromMs).toISOString(), to: new Date(toMs + 1000).toISOString() };
  const local = d.db
    .prepare(
      `SELECT e2eid, txid, amount_cents, received_at AS at, payer_name, payer_doc_masked, charge_id FROM received_pix
         WHERE account_id = @acc AND received_at >= @from AND received_at < @to
       UNION ALL
       SELECT e2eid, txid, coalesce(paid_cents, amount_cents), paid_at, payer_name, payer_doc_masked, id FROM charges
         WHERE account_id = @acc AND status = 'paid' AND paid_at >= @from AND paid_at < @to
           AND (e2eid IS NULL OR e2eid NOT IN (SELECT e2eid FROM received_pix))`,
    )
    .all(params) as LocalRow[];

  const byTxid = new Map<string, string>();
  for (const b of bank.values()) if (b.txid) byTxid.set(b.txid, b.e2eid!);
  const matched: ReconcileLine[] = [];
  const localOnly: ReconcileLine[] = [];
  const taken = new Set<string>();
  for (const r of local) {
    const line: ReconcileLine = {
      e2eid: r.e2eid, txid: r.txid, amountCents: r.amount_cents, at: r.at, payerName: r.payer_name, payerDocument: r.payer_doc_masked, chargeId: r.charge_id, bankAmountCents: null,
    };
    const key = r.e2eid && bank.has(r.e2eid) ? r.e2eid : !r.e2eid && r.txid ? byTxid.get(r.txid) : undefined;
    const b = key && !taken.has(key) ? bank.get(key) : undefined;
    if (b && key) {
      taken.add(key);
      matched.push({ ...line, e2eid: b.e2eid, bankAmountCents: b.amountCents });
    } else localOnly.push(line);
  }
  const bankOnly = [...bank.values()].filter((b) => !taken.has(b.e2eid!));
  const byTime = (a: ReconcileLine, b: ReconcileLine) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);
  const cents = (xs: ReconcileLine[]) => xs.reduce((s, x) => s + x.amountCents, 0);
  return {
    day, accountId: account.id, checkedAt: d.now().toISOString(), complete: toMs === Date.parse(dayStartUtc(nextDay(day))),
    matched: matched.sort(byTime), bankOnly: bankOnly.sort(byTime), localOnly: localOnly.sort(byTime),
    amountMismatches: matched.filter((m) => m.bankAmountCents !== m.amountCents).length,
    totals: { matchedCents: cents(matched), bankOnlyCents: cents(bankOnly), localOnlyCents: cents(localOnly), bankCents: cents([...bank.values()]) },
  };
}
