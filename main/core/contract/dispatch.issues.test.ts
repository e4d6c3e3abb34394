import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../app';
import { FileKeyProvider } from '../vault';
import { createDispatcher, type Dispatch } from './dispatch';
import { ERROR_LIMITS, RENEWAL_WINDOW_DAYS, TEXT_LIMITS } from './limits';
import type { ContractError, Result } from './types';

/**
 * Validation failures through the real dispatcher of a real Core: each problem comes back as `{path, message}` a
 * form can place on its field, and the answer stays small however hostile the input.
 */
let core: Core;
let dispatch: Dispatch;
let profileDir: string;

beforeAll(() => {
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-issues-'));
  core = new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId: 'issues' }), shell: 'browser' });
  dispatch = createDispatcher(core.handlers());
});

afterAll(async () => {
  await core.close();
  fs.rmSync(profileDir, { recursive: true, force: true });
});

function failure(r: Result<unknown>): ContractError {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('validation issues', () => {
  it('an error listing 300,000 unknown keys answers a few kilobytes and names only a handful', async () => {
    const input: Record<string, number> = {};
    for (let i = 0; i < 300_000; i++) input[`campo_${i}`] = i;
    const e = failure(await dispatch('settings:set', input));
    expect(e.code).toBe('INVALID_INPUT');
    const size = JSON.stringify(e).length;
    expect(size).toBeLessThan(4_000);
    expect(e.issues).toHaveLength(1);
    expect(e.issues![0]!.message).toMatch(/^campos desconhecidos: "campo_0", "campo_1", "campo_2", "campo_3", "campo_4" e mais 299\.995$/);
    expect(e.message).toContain('campos desconhecidos');
  });

  it('many bad elements: at most ERROR_LIMITS.issues issues, and the summary says how many more', async () => {
    // 9 wrong fields and 20 wrong keys: 29 problems.
    const form = { name: 1, company: 2, city: 3, state: 4, environment: 'x', stsUrl: 5, pixUrl: 6, extraCaPem: 7, renewalPath: 'v9', pixKeys: Array.from({ length: 20 }, () => 7) };
    const e = failure(await dispatch('onboarding:run', { id: '00000000-0000-4000-8000-000000000000', form }));
    expect(e.issues!.length).toBe(ERROR_LIMITS.issues);
    expect(e.message).toMatch(/e mais \d+ problemas/);
    expect(JSON.stringify(e).length).toBeLessThan(ERROR_LIMITS.issues * (ERROR_LIMITS.message + 100) + 1_000);
    expect(e.issues!.map((i) => i.path)).toContain('form.pixKeys.1');
  });

  it('a huge key and a deep path are cut, never echoed whole', async () => {
    const long = 'k'.repeat(100_000);
    let deep: Record<string, unknown> = { [long]: 1 };
    for (let i = 0; i < 50; i++) deep = { [`n${i}`]: deep };
    const e = failure(await dispatch('onboarding:run', { id: '00000000-0000-4000-8000-000000000000', form: deep }));
    expect(JSON.stringify(e).length).toBeLessThan(8_000);
    for (const i of e.issues!) {
      expect(i.path.length).toBeLessThanOrEqual(ERROR_LIMITS.pathSegments * (ERROR_LIMITS.pathSegment + 1) + 2);
      expect(i.message.length).toBeLessThanOrEqual(ERROR_LIMITS.message);
    }
  });

  it('each field of the onboarding form is named by its path, with the limit from limits.ts', async () => {
    const e = failure(
      await dispatch('onboarding:run', {
        id: '00000000-0000-4000-8000-000000000000',
        form: { name: 'x'.repeat(TEXT_LIMITS.accountName + 1), company: '', city: 'Recife', state: 'XX', environment: 'sandbox' },
      }),
    );
    const byPath = Object.fromEntries(e.issues!.map((i) => [i.path, i.message]));
    expect(byPath['form.name']).toBe(`Use no máximo ${TEXT_LIMITS.accountName} caracteres.`);
    expect(byPath['form.company']).toBe('Campo obrigatório.');
    expect(byPath['form.state']).toBe('Selecione a UF.');
    expect(byPath['form.city']).toBeUndefined();
    // Addresses are their own act (onboarding:setEndpoints), with their own paths.
    const ep = failure(await dispatch('onboarding:setEndpoints', { id: '00000000-0000-4000-8000-000000000000', stsUrl: 'http://a' }));
    expect(Object.fromEntries(ep.issues!.map((i) => [i.path, i.message]))['stsUrl']).toMatch(/https:\/\//);
  });

  it('the renewal window states its range, and the stored value is unchanged', async () => {
    for (const bad of [RENEWAL_WINDOW_DAYS.min - 1, RENEWAL_WINDOW_DAYS.max + 1, 10.5, 'trinta']) {
      const e = failure(await dispatch('settings:set', { renewalWindowDays: bad }));
      expect(e.issues![0]!.path).toBe('renewalWindowDays');
      expect(e.issues![0]!.message).toMatch(new RegExp(`${RENEWAL_WINDOW_DAYS.min} a ${RENEWAL_WINDOW_DAYS.max}`));
    }
    const s = await dispatch('settings:get', {});
    expect(s.ok && (s.value as { renewalWindowDays: number }).renewalWindowDays).toBe(RENEWAL_WINDOW_DAYS.default);
  });

  it('an error a service raises about one field carries that field as its path (brcode:build)', async () => {
    const e = failure(await dispatch('brcode:build', { key: '52998224725', name: '😀😀', city: 'Recife' }));
    expect(e.code).toBe('BRCODE_INPUT');
    expect(e.issues).toEqual([{ path: 'name', message: e.message }]);
    const k = failure(await dispatch('brcode:build', { key: 'não é chave', name: 'Loja', city: 'Recife' }));
    expect(k.issues?.[0]?.path).toBe('key');
  });
});
