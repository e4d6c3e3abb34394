import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../main/core/app';
import { createDispatcher } from '../../../main/core/contract/dispatch';
import { FORM, openCore, sandboxSheet, tempProfile } from '../accounts/support';

/**
 * The single-use temporary token must go only where the person explicitly confirmed: `onboarding:run` (the call
 * that spends it) cannot choose a destination, overrides are a separate confirmed act, and they freeze once
 * the request left.
 */
const open: Core[] = [];
const dirs: string[] = [];
function core(): Core {
  const dir = tempProfile();
  dirs.push(dir);
  const c = openCore(dir);
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('token destination', () => {
  it('onboarding:run refuses any URL or CA: the call that spends the token cannot pick where it goes', async () => {
    const c = core();
    const dispatch = createDispatcher(c.handlers());
    const { bytes } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'Credencial e Token.xlsx');
    for (const extra of [{ stsUrl: 'https://evil.example' }, { pixUrl: 'https://evil.example' }, { extraCaPem: '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----' }]) {
      const r = await dispatch('onboarding:run', { id: s.id, form: { ...FORM, ...extra } });
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(c.onboarding.get(s.id).step).toBe('imported');
  });

  it('setEndpoints needs https and the destination host named back, and records when it was confirmed', async () => {
    const c = core();
    const dispatch = createDispatcher(c.handlers());
    const { bytes } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'a.xlsx');
    const http = await dispatch('onboarding:setEndpoints', { id: s.id, stsUrl: 'http://sts.exemplo', confirmHost: 'sts.exemplo' });
    expect(http).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const noConfirm = await dispatch('onboarding:setEndpoints', { id: s.id, stsUrl: 'https://sts.exemplo:8443' });
    expect(noConfirm).toMatchObject({ ok: false, error: { code: 'ENDPOINTS_CONFIRM' } });
    const wrong = await dispatch('onboarding:setEndpoints', { id: s.id, stsUrl: 'https://sts.exemplo:8443', confirmHost: 'sts.itau.com.br' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'ENDPOINTS_CONFIRM' } });
    expect((wrong as { error: { message: string } }).error.message).toContain('sts.exemplo:8443');
    const ok = await dispatch('onboarding:setEndpoints', { id: s.id, stsUrl: 'https://sts.exemplo:8443', confirmHost: 'sts.exemplo:8443' });
    expect(ok).toMatchObject({ ok: true, value: { endpoints: { custom: true, host: 'sts.exemplo:8443', stsUrl: 'https://sts.exemplo:8443', locked: false } } });
    expect((ok as { value: { endpoints: { confirmedAt: string } } }).value.endpoints.confirmedAt).toMatch(/^\d{4}-/);
    // A CA alone names no destination: refused with a way out.
    const caOnly = await dispatch('onboarding:setEndpoints', { id: s.id, extraCaPem: '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----', confirmHost: 'sts.itau.com.br' });
    expect(caOnly).toMatchObject({ ok: false, error: { code: 'ENDPOINTS_INPUT' } });
    // Back to the defaults needs no confirmation.
    const reset = await dispatch('onboarding:setEndpoints', { id: s.id });
    expect(reset).toMatchObject({ ok: true, value: { endpoints: { custom: false, host: null } } });
  });

  it('sends the token to the confirmed server, and a resumed session never changes it', async () => {
    const c = core();
    const { bytes } = await sandboxSheet(c);
    const sb = await c.sandbox.endpoints();
    const host = new URL(sb.stsUrl).host;
    const s = c.onboarding.importFile(bytes, 'a.xlsx');
    c.onboarding.setEndpoints(s.id, { stsUrl: sb.stsUrl, pixUrl: sb.pixUrl, extraCaPem: sb.caPem, confirmHost: host });
    const done = await c.onboarding.run(s.id, { ...FORM, environment: 'production' });
    expect(done.step).toBe('done');
    expect(c.accounts.get(done.accountId!)).toMatchObject({ stsUrl: sb.stsUrl, pixUrl: sb.pixUrl, extraCaPem: sb.caPem.trim() });
    expect(() => c.onboarding.setEndpoints(s.id, { stsUrl: 'https://evil.example', confirmHost: 'evil.example' })).toThrow(
      expect.objectContaining({ code: 'ONBOARDING_ENDPOINTS_FROZEN' }),
    );
  });

  it('freezes the destination once the request was sent (interrupted session)', async () => {
    const dir = tempProfile();
    dirs.push(dir);
    const c = openCore(dir, { afterOnboardingStep: (step: string) => { if (step === 'requesting') throw new Error('power cut'); } });
    open.push(c);
    const { bytes } = await sandboxSheet(c);
    const s = c.onboarding.importFile(bytes, 'a.xlsx');
    await expect(c.onboarding.run(s.id, FORM)).rejects.toThrow('power cut');
    expect(c.onboarding.get(s.id)).toMatchObject({ step: 'requesting', endpoints: { locked: true, custom: false } });
    expect(() => c.onboarding.setEndpoints(s.id, { stsUrl: 'https://evil.example', confirmHost: 'evil.example' })).toThrow(
      expect.objectContaining({ code: 'ONBOARDING_ENDPOINTS_FROZEN' }),
    );
    expect(c.onboarding.get(s.id).endpoints).toMatchObject({ custom: false, host: null });
  });
});
