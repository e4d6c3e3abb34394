import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { startSandbox, writeTokenSheet, type RunningSandbox } from '../../../main/core/sandbox';
import { FORM, openCore, sandboxSheet, tempProfile } from './support';

const DAY = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A profile with one onboarded sandbox account, whose clock can be moved forward. */
async function onboarded(shiftDays: { value: number }): Promise<{ core: Core; accountId: string }> {
  const dir = tempProfile();
  const core = openCore(dir, { now: () => new Date(Date.now() + shiftDays.value * DAY) });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => core.close());
  const { bytes } = await sandboxSheet(core);
  const s = await core.onboarding.run(core.onboarding.importFile(bytes, 'a.xlsx').id, FORM);
  return { core, accountId: s.accountId! };
}

describe('certificate renewal', () => {
  it('renews inside the window: a new immutable version, old secret kept, new certificate used for tokens', async () => {
    const shift = { value: 0 };
    const { core, accountId } = await onboarded(shift);
    const before = core.accounts.credentials(accountId);
    expect((await core.renewal.checkAll()).renewed).toEqual([]); // ~365 days left: outside the 30-day window
    shift.value = 340;
    expect(core.renewal.status(core.accounts.get(accountId)).state).toBe('due');
    expect(await core.renewal.checkAll()).toEqual({ renewed: [accountId], failed: [] });
    const after = core.accounts.credentials(accountId);
    expect(after.certificate.version).toBe(2);
    expect(after.certificate.fingerprint256).not.toBe(before.certificate.fingerprint256);
    expect(after.keyPem).not.toBe(before.keyPem);
    expect(after.clientSecret).toBe(before.clientSecret);
    expect(core.accounts.certificates(accountId).map((c) => [c.version, c.origin])).toEqual([[2, 'renewal'], [1, 'onboarding']]);
    // The sandbox accepts the new certificate for the OAuth token (mTLS).
    expect(await core.tokens.get(accountId)).toMatch(/\./);
    // (The sandbox signs with the real clock, so the new version's expiry is not 365 days past the moved clock.)
    const st = core.renewal.status(core.accounts.get(accountId));
    expect(st.lastError).toBeNull();
    expect(st.lastSuccessAt).toBe(new Date(Date.parse(st.lastAttemptAt!)).toISOString());
  });

  it('records a failed renewal and warns at 30 and 7 days', async () => {
    const shift = { value: 0 };
    const { core, accountId } = await onboarded(shift);
    shift.value = 340;
    const sb = await core.sandbox.get();
    sb.faults.set('/seguranca/v1/certificado/renovacao', { status: 503 });
    expect((await core.renewal.checkAll()).failed).toEqual([accountId]);
    let st = core.renewal.status(core.accounts.get(accountId));
    expect(st).toMatchObject({ state: 'failed', warnLevel: 30, lastError: { code: 'BANK_UNAVAILABLE' } });
    expect(st.lastError?.message).toMatch(/instabilidade/);
    shift.value = 360;
    st = core.renewal.status(core.accounts.get(accountId));
    expect(st.warnLevel).toBe(7);
    sb.faults.clear();
    await core.renewal.renew(accountId);
    expect(core.renewal.status(core.accounts.get(accountId))).toMatchObject({ warnLevel: null, lastError: null });
  });

  it('explains that an expired certificate needs a new token from the manager', async () => {
    const shift = { value: 0 };
    const { core, accountId } = await onboarded(shift);
    shift.value = 400;
    await expect(core.renewal.renew(accountId)).rejects.toThrow(/já expirou.*novo token temporário/s);
    expect(core.renewal.status(core.accounts.get(accountId))).toMatchObject({ state: 'expired', warnLevel: 7 });
  });

  it('works against any Itaú-protocol server through overrides, with the v2 path and a new secret', async () => {
    const bankDir = tempProfile();
    const bank: RunningSandbox = await startSandbox({ profileDir: bankDir, port: 0, renewalSecret: true });
    const dir = tempProfile();
    const shift = { value: 0 };
    const core = openCore(dir, { now: () => new Date(Date.now() + shift.value * DAY) });
    cleanups.push(
      () => fs.rmSync(bankDir, { recursive: true, force: true }),
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => bank.close(),
      () => core.close(),
    );
    const issued = bank.state.issueToken({});
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-x-')), 't.xlsx');
    cleanups.push(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
    writeTokenSheet(file, issued);
    const s = core.onboarding.importFile(fs.readFileSync(file), 't.xlsx');
    core.onboarding.setEndpoints(s.id, { stsUrl: bank.stsUrl, pixUrl: bank.pixUrl, extraCaPem: bank.caPem, confirmHost: new URL(bank.stsUrl).host });
    const done = await core.onboarding.run(s.id, { ...FORM, environment: 'production', renewalPath: 'v2' });
    const id = done.accountId!;
    shift.value = 340;
    const oldSecret = core.accounts.credentials(id).clientSecret;
    expect(await core.renewal.renew(id)).toBe(2);
    const creds = core.accounts.credentials(id);
    expect(creds.clientSecret).not.toBe(oldSecret);
    core.tokens.invalidate(id);
    expect(await core.tokens.get(id)).toBeTruthy();
  });
});
