import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthSession } from '../../../main/core/auth';
import type { Core } from '../../../main/core/app';
import { OPS, type OpName } from '../../../main/core/contract';
import type { Dispatch } from '../../../main/core/contract/dispatch';
import { coreWithAccount, rmProfile } from '../charges/support';

/**
 * People and roles, enforced in main: every operation of the contract is called as each role through the same
 * dispatcher the shells use, and the answer must match the table written out HERE (not read from roles.ts), so a
 * change of the product's table that is not also made here fails.
 */
type Verdict = 'ok' | 'forbidden' | 'reauth';
const A = 'ok', F = 'forbidden', R = 'reauth';
/** [admin, finance, cashier] */
const EXPECTED: Record<OpName, [Verdict, Verdict, Verdict]> = {
  'app:info': [A, A, A],
  'auth:status': [A, A, A],
  'auth:setup': [A, A, A], // public; refused by its own rule once an admin exists (asserted below)
  'auth:login': [A, A, A],
  'auth:logout': [A, A, A],
  'auth:activity': [A, A, A],
  'auth:confirm': [A, A, A],
  'auth:listUsers': [A, F, F],
  'auth:createUser': [R, F, F],
  'settings:get': [A, A, A],
  'settings:set': [A, A, A], // per field, asserted below
  'brcode:build': [A, A, A],
  'brcode:decode': [A, A, A],
  'brcode:png': [A, A, A],
  'accounts:list': [A, A, A],
  'accounts:rename': [A, A, F],
  'accounts:setDefault': [A, A, F],
  'accounts:setActive': [A, A, F],
  'accounts:setPixKeys': [A, A, F],
  'accounts:addPixKey': [A, A, F],
  'accounts:removePixKey': [A, A, F],
  'accounts:renew': [A, A, F],
  'onboarding:importFile': [A, A, F],
  'onboarding:importPaste': [A, A, F],
  'onboarding:run': [R, R, F],
  'onboarding:get': [A, A, F],
  'onboarding:listOpen': [A, A, F],
  'onboarding:discard': [A, A, F],
  'onboarding:sandboxToken': [A, A, F],
  'onboarding:setEndpoints': [R, F, F],
  'charges:create': [A, A, A],
  'charges:get': [A, A, F], // someone else's charge; the cashier's own is asserted below
  'charges:list': [A, A, A], // a cashier's holds only their own (asserted below)
  'charges:cancel': [A, A, F],
  'charges:refund': [R, R, F],
  'charges:watch': [A, A, F],
  'charges:unwatch': [A, A, F],
  'pix:listReceived': [A, A, F],
  'charges:query': [A, A, F],
  'charges:summary': [A, A, F],
  'charges:exportStart': [A, A, F],
  'charges:exportRead': [A, A, F],
  'charges:exportCancel': [A, A, F],
  'charges:exportStatus': [A, A, F],
  'tills:location': [A, A, A],
  'charges:dashboard': [A, A, F],
  'charges:reconcileDay': [A, A, F],
  'charges:showOnDisplay': [A, A, F], // someone else's charge; the cashier's own is asserted below
  'apps:create': [R, F, F],
  'apps:list': [A, F, F],
  'apps:update': [R, F, F],
  'apps:regenerate': [R, F, F],
  'apps:revoke': [R, F, F],
  'apps:deliveries': [A, F, F],
  'apps:resendDelivery': [A, F, F],
  'audit:list': [A, F, F],
  'audit:verify': [A, F, F],
  'audit:export': [A, F, F],
  'backup:create': [R, F, F],
  'backup:status': [A, F, F],
  'backup:read': [A, F, F],
  'backup:upload': [A, F, F],
  'backup:restore': [R, F, F],
  'accounts:awaitingOnboarding': [A, A, F],
};

/** Refused to the cashier for someone else's charge only (their own is allowed): that needs a valid id to decide. */
const OWN = new Set<OpName>(['charges:get', 'charges:cancel', 'charges:watch', 'charges:unwatch', 'charges:showOnDisplay']);
const PASSWORD = 'senha do teste 123';
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(): Promise<{ core: Core; dispatch: Dispatch; admin: AuthSession; accountId: string }> {
  const { core, account, profileDir } = await coreWithAccount({ shell: 'browser', loginScrypt: CHEAP });
  cleanup.push(async () => {
    await core.close();
    rmProfile(profileDir);
  });
  const dispatch = core.dispatcher();
  const admin = new AuthSession(Date.now());
  expect(await dispatch('auth:setup', { name: 'Ana', password: PASSWORD }, { session: admin })).toMatchObject({ ok: true, value: { role: 'admin' } });
  for (const [name, role] of [['Fábio', 'finance'], ['Caio', 'cashier']] as const) {
    expect(await dispatch('auth:createUser', { name, password: PASSWORD, role }, { session: admin })).toMatchObject({ ok: false, error: { code: 'REAUTH_REQUIRED' } });
    expect(await dispatch('auth:confirm', { password: PASSWORD }, { session: admin })).toMatchObject({ ok: true });
    expect(await dispatch('auth:createUser', { name, password: PASSWORD, role }, { session: admin })).toMatchObject({ ok: true });
  }
  return { core, dispatch, admin, accountId: account.id };
}

async function loggedIn(dispatch: Dispatch, name: string): Promise<AuthSession> {
  const s = new AuthSession(Date.now());
  expect(await dispatch('auth:login', { name, password: PASSWORD }, { session: s })).toMatchObject({ ok: true });
  return s;
}

function verdict(r: Awaited<ReturnType<Dispatch>>): Verdict {
  if (r.ok) return 'ok';
  if (r.error.code === 'FORBIDDEN') return 'forbidden';
  if (r.error.code === 'REAUTH_REQUIRED') return 'reauth';
  if (r.error.code === 'AUTH_REQUIRED' || r.error.code === 'AUTH_LOCKED') throw new Error(`not logged in: ${r.error.message}`);
  return 'ok'; // passed the gate; failed on its own terms (invalid input, not found …)
}

describe('roles, enforced per operation in main', () => {
  it('every operation as each role matches the table (garbage input too: the role is checked before the input)', async () => {
    const { dispatch } = await setup();
    const someone = crypto.randomUUID();
    const sample: Partial<Record<OpName, unknown>> = {
      'charges:get': { id: someone }, 'charges:cancel': { id: someone }, 'charges:showOnDisplay': { id: someone }, 'charges:watch': { id: someone }, 'charges:unwatch': { id: someone },
      'charges:refund': { id: someone }, 'onboarding:run': { id: someone }, 'onboarding:setEndpoints': { id: someone },
      'auth:createUser': { name: 'Nova', password: PASSWORD, role: 'cashier' },
      'apps:create': { name: 'ERP', scopes: ['CHARGE_GET'] }, 'apps:update': { id: someone, name: 'ERP 2' },
      'apps:regenerate': { id: someone }, 'apps:revoke': { id: someone },
      'backup:create': { passphrase: 'frase longa do backup' }, 'backup:restore': { uploadId: 'a'.repeat(24), passphrase: 'frase longa do backup' },
    };
    const roles = [['Ana', 0], ['Fábio', 1], ['Caio', 2]] as const;
    let calls = 0;
    for (const [name, col] of roles) {
      for (const op of OPS) {
        const s = await loggedIn(dispatch, name);
        const got = verdict(await dispatch(op, sample[op] ?? {}, { session: s }));
        calls++;
        expect(`${name} ${op}: ${got}`).toBe(`${name} ${op}: ${EXPECTED[op][col]}`);
        if (EXPECTED[op][col] === 'forbidden' && !(col === 2 && OWN.has(op))) {
          // Refused before the input is read: a malformed payload gets the same answer, not a schema error.
          expect(verdict(await dispatch(op, { lixo: '\u0000'.repeat(3) }, { session: s }))).toBe('forbidden');
        }
      }
    }
    expect(calls).toBe(OPS.length * 3);
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPS].sort());
  }, 60_000);

  it('before anyone exists the profile is an implicit admin; after, a page must log in and setup is closed', async () => {
    const { core, dispatch } = await setup();
    const fresh = new AuthSession(Date.now());
    expect(await dispatch('accounts:list', {}, { session: fresh })).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED', message: expect.stringMatching(/Entre com seu nome e senha/) } });
    expect(await dispatch('accounts:list', {})).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } }); // no session at all
    expect(await dispatch('auth:setup', { name: 'Outro', password: PASSWORD }, { session: fresh })).toMatchObject({ ok: false, error: { code: 'AUTH_SETUP_DONE' } });
    expect(await dispatch('auth:status', {}, { session: fresh })).toMatchObject({ ok: true, value: { hasUsers: true, user: null } });
    // The password is stored as scrypt only.
    const rows = core.db.prepare('SELECT password_hash FROM users').all() as { password_hash: string }[];
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect(r.password_hash).not.toContain(PASSWORD);
    }
  }, 60_000);

  it('a cashier sees and cancels only their own charges; fields of settings by role; refunds ask the password again once', async () => {
    const { core, dispatch } = await setup();
    const caio = await loggedIn(dispatch, 'Caio');
    // The page's own new charge: its first charge:created already passes the cashier's filter (the owner is stored
    // with the row, before the event is published).
    const heard: string[] = [];
    const stop = core.events.subscribe((e) => {
      if (e.name === 'charge:created' && core.eventAllowed(caio, e)) heard.push(e.payload.charge.id);
    });
    const own = await dispatch('charges:create', { amountCents: 1000 }, { session: caio });
    stop();
    if (!own.ok) throw new Error(own.error.message);
    const id = (own.value as { id: string }).id;
    expect(heard).toEqual([id]);
    expect(await dispatch('charges:get', { id }, { session: caio })).toMatchObject({ ok: true });
    expect(await dispatch('charges:showOnDisplay', { id }, { session: caio })).toMatchObject({ ok: true, value: { chargeId: id } });
    const fabio = await loggedIn(dispatch, 'Fábio');
    const theirs = await dispatch('charges:create', { amountCents: 2000 }, { session: fabio });
    if (!theirs.ok) throw new Error(theirs.error.message);
    const other = (theirs.value as { id: string; brCode: string });
    expect(await dispatch('charges:get', { id: other.id }, { session: caio })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/não foi criada por você/) } });
    expect(await dispatch('charges:cancel', { id }, { session: caio })).toMatchObject({ ok: true });
    // Events follow the same rule: the cashier's page hears about its own charges only.
    const ev = (cid: string) => ({ name: 'charge:paid' as const, payload: { charge: { id: cid } as never } });
    expect(core.eventAllowed(caio, ev(id))).toBe(true);
    expect(core.eventAllowed(caio, ev(other.id))).toBe(false);
    const shown = (cid: string) => ({ name: 'display:show' as const, payload: { chargeId: cid, till: 'Caixa 1' } });
    expect(core.eventAllowed(caio, shown(id))).toBe(true);
    expect(core.eventAllowed(caio, shown(other.id))).toBe(false);
    expect(core.eventAllowed(fabio, shown(id))).toBe(true);
    expect(core.eventAllowed(caio, { name: 'onboarding:changed', payload: { id: 'x', status: 'y' } })).toBe(false);
    expect(core.eventAllowed(fabio, ev(id))).toBe(true);
    expect(core.eventAllowed(new AuthSession(Date.now()), ev(id))).toBe(false);

    // Settings: the cashier keeps what the Caixa saves, not the till name nor the renewal window.
    expect(await dispatch('settings:set', { merchantName: 'Padaria' }, { session: caio })).toMatchObject({ ok: true });
    expect(await dispatch('settings:set', { tillName: 'Caixa X' }, { session: caio })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const ana = await loggedIn(dispatch, 'Ana');
    expect(await dispatch('settings:set', { renewalWindowDays: 20 }, { session: ana })).toMatchObject({ ok: false, error: { code: 'REAUTH_REQUIRED' } });
    expect(await dispatch('settings:set', { renewalWindowDays: 30, tillName: 'Caixa 1' }, { session: ana })).toMatchObject({ ok: true }); // unchanged values: no password
    // The printer of silent printing (Electron): the admin's choice, stored and read back; never the cashier's.
    expect(await dispatch('settings:set', { printerName: 'EPSON_TM_T20' }, { session: caio })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await dispatch('settings:set', { printerName: 'x'.repeat(201) }, { session: ana })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('settings:set', { printerName: ' EPSON_TM_T20 ' }, { session: ana })).toMatchObject({ ok: true, value: { printerName: 'EPSON_TM_T20' } });
    expect(core.settings.get().printerName).toBe('EPSON_TM_T20');

    // A refund: the password asked again, good for one refund.
    await core.sandbox.pay({ brcode: other.brCode });
    await core.charges.charges.refresh(other.id);
    expect(await dispatch('charges:refund', { id: other.id, amountCents: 100 }, { session: fabio })).toMatchObject({ ok: false, error: { code: 'REAUTH_REQUIRED' } });
    expect(await dispatch('auth:confirm', { password: 'errada errada' }, { session: fabio })).toMatchObject({ ok: false, error: { code: 'LOGIN_FAILED' } });
    expect(await dispatch('auth:confirm', { password: PASSWORD }, { session: fabio })).toMatchObject({ ok: true });
    expect(await dispatch('charges:refund', { id: other.id, amountCents: 100 }, { session: fabio })).toMatchObject({ ok: true });
    expect(await dispatch('charges:refund', { id: other.id, amountCents: 100 }, { session: fabio })).toMatchObject({ ok: false, error: { code: 'REAUTH_REQUIRED' } });

    // The audit names the person.
    const refund = core.audit.all().find((e) => e.action === 'charge.refund');
    expect(refund?.actor).toBe('user:Fábio');
    expect(core.audit.all().filter((e) => e.action === 'login.failed')).toHaveLength(1);
  }, 60_000);

  it('locks after the idle time; the same person unlocks with the password; wrong logins are audited and back off', async () => {
    let now = Date.now();
    const { core, account, profileDir } = await coreWithAccount({ shell: 'browser', loginScrypt: CHEAP, now: () => new Date(now) });
    cleanup.push(async () => {
      await core.close();
      rmProfile(profileDir);
    });
    expect(account).toBeTruthy();
    const dispatch = core.dispatcher();
    const s = new AuthSession(now);
    expect(await dispatch('auth:setup', { name: 'Ana', password: PASSWORD }, { session: s })).toMatchObject({ ok: true });
    expect(await dispatch('accounts:list', {}, { session: s })).toMatchObject({ ok: true });
    now += 9 * 60_000;
    expect(await dispatch('auth:activity', {}, { session: s })).toMatchObject({ ok: true, value: { idleMinutes: 10 } }); // a person at the desk restarts the clock
    now += 9 * 60_000;
    // A screen refreshing itself (lists, dashboard) is not a person: these calls do not keep the page unlocked.
    for (let i = 0; i < 6; i++) {
      expect(await dispatch('accounts:list', {}, { session: s })).toMatchObject({ ok: true });
      expect(await dispatch('charges:list', {}, { session: s })).toMatchObject({ ok: true });
      now += 12_000;
    }
    expect(await dispatch('accounts:list', {}, { session: s })).toMatchObject({ ok: false, error: { code: 'AUTH_LOCKED', message: expect.stringMatching(/Ana, digite sua senha/) } });
    expect(await dispatch('auth:activity', {}, { session: s })).toMatchObject({ ok: false, error: { code: 'AUTH_LOCKED' } }); // too late: locked
    expect(await dispatch('auth:status', {}, { session: s })).toMatchObject({ ok: true, value: { user: null, lockedName: 'Ana', idleMinutes: 10 } });
    for (let i = 0; i < 5; i++) expect(await dispatch('auth:login', { name: 'Ana', password: 'x'.repeat(9) }, { session: s })).toMatchObject({ ok: false, error: { code: 'LOGIN_FAILED' } });
    expect(await dispatch('auth:login', { name: 'Ana', password: PASSWORD }, { session: s })).toMatchObject({ ok: false, error: { code: 'LOGIN_BACKOFF' } });
    now += 31_000;
    expect(await dispatch('auth:login', { name: 'Ana', password: PASSWORD }, { session: s })).toMatchObject({ ok: true });
    expect(await dispatch('accounts:list', {}, { session: s })).toMatchObject({ ok: true });
    expect(await dispatch('auth:logout', {}, { session: s })).toMatchObject({ ok: true });
    expect(await dispatch('accounts:list', {}, { session: s })).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    const actions = core.audit.all().map((e) => e.action);
    expect(actions.filter((a) => a === 'login.failed')).toHaveLength(6);
    expect(actions.filter((a) => a === 'login')).toHaveLength(2);
    expect(actions).toContain('logout');
    expect(JSON.stringify(core.db.prepare('SELECT * FROM audit_log').all())).not.toContain(PASSWORD);
    expect(core.audit.verify().ok).toBe(true);
  }, 60_000);
});
