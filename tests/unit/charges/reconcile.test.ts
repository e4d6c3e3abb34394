import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeStatic } from '../../../main/core/brcode';
import { openSandboxState } from '../../../main/core/sandbox';
import { openCore } from '../accounts/support';
import { FAST, ManualTimers, coreWithAccount, rmProfile, until } from './support';
import type { PixdeskEvent } from '../../../main/core/contract/events';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('reconciliation with GET /pix', () => {
  it('payments made while nothing runs are found by the next start: charges paid, a stray Pix kept as "Pix recebido"', async () => {
    const first = await coreWithAccount();
    cleanup.push(async () => rmProfile(first.profileDir));
    const dyn = await first.core.charges.charges.create({ amountCents: 4200, description: 'Bolo' });
    const off = await first.core.charges.charges.create({ amountCents: 1500, offline: true });
    const key = first.account.pixKeys[0]!;
    await first.core.close();

    // Nothing of PixDesk runs: the payers' banks write straight into the sandbox's state.
    const st = openSandboxState(first.profileDir);
    const paidAt = Date.now();
    st.pay(dyn.brCode!, { payerName: 'Joana Prado', payerCpf: '12345678909' });
    st.pay(off.brCode!, { payerName: 'Caio Lima' });
    st.pay(encodeStatic({ key, name: 'Padaria', city: 'Maceio' }), { amount: '7.77', payerName: 'Sem Cobrança', infoPagador: 'valeu!' });
    st.close();

    const timers = new ManualTimers();
    const core = openCore(first.profileDir, { charges: { ...FAST, timers } });
    cleanup.push(() => core.close());
    const events: PixdeskEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    core.charges.start();
    timers.fire();
    await until(() => events.filter((e) => e.name === 'charge:paid').length === 2 && events.some((e) => e.name === 'pix:received'), 'reconciliation');

    const d = core.charges.charges.view(dyn.id);
    const o = core.charges.charges.view(off.id);
    // Only the masked CPF is kept, as a receipt shows it.
    expect(d).toMatchObject({ status: 'paid', paidCents: 4200, payer: { name: 'Joana Prado', document: '***.456.789-**' } });
    expect(JSON.stringify(core.charges.store.getPix(d.e2eid!))).not.toContain('12345678909');
    expect(o).toMatchObject({ status: 'paid', paidCents: 1500, payer: { name: 'Caio Lima' } });
    // Itaú writes Brasília time with a wrong "Z": read right, the payment time is now, not 3 hours off.
    expect(Math.abs(Date.parse(d.paidAt!) - paidAt)).toBeLessThan(120_000);
    const stray = core.charges.store.listPix({ unmatchedOnly: true, limit: 10 }).rows;
    expect(stray).toHaveLength(1);
    expect(stray[0]).toMatchObject({ amount_cents: 777, payer_name: 'Sem Cobrança', payer_message: 'valeu!', charge_id: null });
    expect(core.charges.store.cursor(first.account.id)?.zulu_is_local).toBe(1);

    // Running again finds nothing new (the overlap re-reads, the e2eid keeps each Pix once).
    const again = await core.charges.reconcileAll();
    expect(again[0]).toMatchObject({ fresh: 0 });
    expect(again[0]!.seen).toBeGreaterThanOrEqual(3);
  });

  it('pages until the reported total, and stops at once on an empty window (total 0, though "100 pages")', async () => {
    const r = await coreWithAccount({ charges: { ...FAST, pageSize: 1000 } });
    cleanup.push(async () => {
      await r.core.close();
      rmProfile(r.profileDir);
    });
    const client = r.core.charges.client(r.account.id);
    const spy = vi.spyOn(client, 'listPix');
    const empty = await r.core.charges.reconciler.run(r.account.id);
    expect(empty.seen).toBe(0);
    expect(spy).toHaveBeenCalledTimes(1);
    for (const call of spy.mock.calls) {
      expect(call[0].inicio).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-03:00$/);
      expect(call[0].fim).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-03:00$/);
    }
    spy.mockClear();
    await r.core.sandbox.seedPix({ clientId: r.account.clientId, count: 2500, fromMs: Date.now() - 60_000, toMs: Date.now() - 1000, txidEvery: 0 });
    const full = await r.core.charges.reconciler.run(r.account.id);
    expect(full.fresh).toBe(2500);
    expect(spy).toHaveBeenCalledTimes(3);
    const n = r.core.db.prepare('SELECT count(*) AS n FROM received_pix').get() as { n: number };
    expect(n.n).toBe(2500);
  });
});
