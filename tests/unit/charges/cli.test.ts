import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import type { AccountSummary, ChargeView, PageOf } from '../../../main/core/contract';
import { rmProfile, tempProfile } from './support';

function cap() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

async function cli(...argv: string[]) {
  const c = cap();
  const code = await runCli(argv, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

async function json<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

/**
 * The `pixdesk` commands of charges and Pix keys, run in-process on a real profile with its own sandbox: a new
 * sandbox account can charge at once, the charge is paid through `sandbox pay`, shown, refunded, listed.
 */
describe('pixdesk charges / accounts keys', () => {
  const profile = tempProfile();
  let account: AccountSummary;
  const typedKey = 'loja@example.com';

  beforeAll(async () => {
    const sheet = path.join(profile, 'token.xlsx');
    expect((await cli('sandbox', 'issue-token', '--profile', profile, '--out', sheet)).code).toBe(0);
    account = await json<AccountSummary>('accounts', 'add', '--profile', profile, '--excel', sheet, '--company', 'Padaria Teste', '--city', 'Maceió', '--state', 'AL', '--env', 'sandbox', '--pix-key', 'LOJA@example.com', '--pix-key', typedKey);
  }, 60_000);
  afterAll(() => rmProfile(profile));

  it('accounts add --pix-key keeps the typed keys (normalised, once) after the registered random key', () => {
    expect(account.pixKeys).toHaveLength(2);
    expect(account.pixKeys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(account.pixKeys[1]).toBe(typedKey);
  });

  it('charges create → sandbox pay → charges show reports it paid; refund; list', async () => {
    const c = await json<ChargeView>('charges', 'create', '--profile', profile, '--account', account.id, '--amount', '10,50', '--description', 'Café');
    expect(c).toMatchObject({ status: 'active', amountCents: 1050, kind: 'dynamic', description: 'Café' });
    const human = await cli('charges', 'show', c.id, '--profile', profile);
    expect(human.out).toContain('R$ 10,50');
    expect(human.out).toContain(c.brCode!);

    const pay = await cli('sandbox', 'pay', c.brCode!, '--profile', profile);
    expect(pay.code, pay.err).toBe(0);
    const shown = await json<ChargeView>('charges', 'show', c.id, '--profile', profile);
    expect(shown.status).toBe('paid');

    const refunded = await json<ChargeView>('charges', 'refund', c.id, '--amount', '0.50', '--profile', profile);
    expect(refunded.refunds).toHaveLength(1);
    expect(refunded.refunds[0]).toMatchObject({ amountCents: 50, status: 'EM_PROCESSAMENTO', confirmedByBank: true });

    const tooMuch = await cli('charges', 'refund', c.id, '--amount', '10.01', '--profile', profile);
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.err).toMatch(/restam R\$ 10,00/);

    const list = await json<PageOf<ChargeView>>('charges', 'list', '--status', 'paid', '--profile', profile);
    expect(list.items.map((x) => x.id)).toContain(c.id);
    expect((await cli('charges', 'list', '--profile', profile)).out).toContain(c.id);
  }, 60_000);

  it('--static makes an offline code "a confirmar"; cancel works on it', async () => {
    const c = await json<ChargeView>('charges', 'create', '--profile', profile, '--amount', '3', '--static');
    expect(c).toMatchObject({ kind: 'static', status: 'pending_confirmation', amountCents: 300 });
    expect(c.txid.length).toBeLessThanOrEqual(25);
    const human = await cli('charges', 'show', c.id, '--profile', profile);
    expect(human.out).toMatch(/a confirmar/i);
    const cancelled = await json<ChargeView>('charges', 'cancel', c.id, '--profile', profile);
    expect(cancelled.status).toBe('cancelled');
  }, 60_000);

  it('a key not registered at the bank for this Client ID is refused in pt-BR, and keys add/remove edit the list', async () => {
    const r = await cli('charges', 'create', '--profile', profile, '--amount', '5.00', '--key', typedKey);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/não está registrada para o Client ID/);
    const evp = crypto.randomUUID();
    const added = await json<AccountSummary>('accounts', 'keys', 'add', '--account', account.id, evp, '--profile', profile);
    expect(added.pixKeys).toContain(evp);
    const removed = await json<AccountSummary>('accounts', 'keys', 'remove', '--account', account.id, evp, '--profile', profile);
    expect(removed.pixKeys).not.toContain(evp);
    const gone = await cli('accounts', 'keys', 'remove', '--account', account.id, evp, '--profile', profile);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/não está cadastrada/);
  }, 60_000);

  it('bad amounts are refused before anything is stored', async () => {
    for (const [amount, msg] of [['0', /maior que zero/], ['0,001', /2 casas decimais/], ['1e9', /Valor inválido/], ['99999999999', /alto demais/]] as const) {
      const r = await cli('charges', 'create', '--profile', profile, '--amount', amount);
      expect(r.code, amount).toBe(1);
      expect(r.err).toMatch(msg);
    }
    const usage = await cli('charges', 'create', '--profile', profile);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--amount/);
  }, 60_000);
});
