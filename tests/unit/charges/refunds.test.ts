import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../main/core/app';
import { coreWithAccount, rmProfile } from './support';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const DEV = 'PUT /regulatorio-pix/v2/pix/*/devolucao/*';

async function paidCharge(amountCents: number) {
  const r = await coreWithAccount();
  cleanup.push(async () => {
    await r.core.close();
    rmProfile(r.profileDir);
  });
  const v = await r.core.charges.charges.create({ amountCents });
  await r.core.sandbox.pay({ brcode: v.brCode! });
  expect((await r.core.charges.charges.refresh(v.id)).status).toBe('paid');
  return { ...r, charge: v };
}

/** Follow open refunds until they settle at the bank (the sandbox settles them ~2 s after the request). */
async function settle(core: Core, chargeId: string) {
  for (let i = 0; i < 100; i++) {
    await core.charges.refunds.refreshOpen();
    const v = core.charges.charges.view(chargeId);
    if (v.refunds.every((x) => x.status !== 'EM_PROCESSAMENTO')) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('refunds did not settle');
}

describe('refunds (PUT /pix/{e2eid}/devolucao/{id}, asynchronous)', () => {
  it('total refund: EM_PROCESSAMENTO then DEVOLVIDO; nothing more can be refunded, checked before calling the bank', async () => {
    const { core, charge, events } = await paidCharge(2000);
    const v = await core.charges.refunds.refund(charge.id, undefined, 'cliente desistiu');
    expect(v.refunds).toHaveLength(1);
    expect(v.refunds[0]).toMatchObject({ amountCents: 2000, status: 'EM_PROCESSAMENTO', confirmedByBank: true, reason: 'cliente desistiu' });
    const done = await settle(core, charge.id);
    expect(done.refunds[0]!.status).toBe('DEVOLVIDO');
    expect(done.refundedCents).toBe(2000);
    const statuses = events.filter((e) => e.name === 'charge:refunded').map((e) => (e.name === 'charge:refunded' ? e.payload.refund.status : ''));
    expect(statuses).toContain('DEVOLVIDO');

    const spy = vi.spyOn(core.charges.client(charge.accountId), 'putDevolucao');
    await expect(core.charges.refunds.refund(charge.id, 1)).rejects.toMatchObject({ code: 'REFUND_EXCEEDS', message: expect.stringMatching(/devolvida por inteiro/) });
    expect(spy).not.toHaveBeenCalled();
  });

  it('partial refunds; a NAO_REALIZADO refund frees its amount again; never more than received', async () => {
    const { core, charge } = await paidCharge(1000);
    await core.sandbox.setFault(DEV, { refund: 'NAO_REALIZADO', motivo: 'Conta do pagador encerrada', times: 1 });
    await core.charges.refunds.refund(charge.id, 300);
    let v = await settle(core, charge.id);
    expect(v.refunds[0]).toMatchObject({ status: 'NAO_REALIZADO', bankReason: 'Conta do pagador encerrada' });
    expect(v.refundedCents).toBe(0);

    await core.charges.refunds.refund(charge.id, 400);
    await expect(core.charges.refunds.refund(charge.id, 601)).rejects.toMatchObject({ message: expect.stringMatching(/restam R\$ 6,00/) });
    await core.charges.refunds.refund(charge.id, 600);
    v = await settle(core, charge.id);
    expect(v.refunds.map((x) => [x.amountCents, x.status])).toEqual([
      [300, 'NAO_REALIZADO'],
      [400, 'DEVOLVIDO'],
      [600, 'DEVOLVIDO'],
    ]);
    expect(v.refundedCents).toBe(1000);
  });

  it('two refunds at once cannot add up to more than was received', async () => {
    const { core, charge } = await paidCharge(1000);
    const results = await Promise.allSettled([core.charges.refunds.refund(charge.id, 600), core.charges.refunds.refund(charge.id, 600)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'REFUND_EXCEEDS' } });
  });

  it('a lost refund answer is resent with the same id: one refund at the bank', async () => {
    const { core, charge } = await paidCharge(800);
    await core.sandbox.setFault(DEV, { dropResponse: true, times: 1 });
    const v = await core.charges.refunds.refund(charge.id);
    expect(v.refunds).toHaveLength(1);
    expect(v.refunds[0]!.confirmedByBank).toBe(true);
    const atBank = await core.charges.client(charge.accountId).getDevolucao(v.e2eid!, v.refunds[0]!.id);
    expect(atBank.valor).toBe('8.00');
    await expect(core.charges.refunds.refund(charge.id, 1)).rejects.toMatchObject({ code: 'REFUND_EXCEEDS' });
  });
});
