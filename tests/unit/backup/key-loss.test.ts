import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../../main/core/app';
import { FileKeyProvider, KeychainKeyProvider, PasswordKeyProvider, type KeyProvider, type KeychainEntryFactory } from '../../../main/core/vault';
import { tempDir } from './support';

/*
 * A profile whose data key is not available here (another machine, a removed device.key, a keychain entry gone) must
 * say in pt-BR what happened and what to do: back up where the key still opens, move the folder aside, restore the
 * backup into a new profile, onboard the accounts again. Other failures (a wrong password) do not get that advice.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function made(provider: (dir: string) => KeyProvider): Promise<string> {
  const dir = tempDir();
  dirs.push(dir);
  const c = new Core({ profileDir: dir, keyProvider: provider(dir), shell: 'cli' });
  c.settings.set({ tillName: 'Caixa 1' });
  await c.close();
  return dir;
}

function failure(dir: string, provider: KeyProvider): { code: string; message: string } {
  try {
    new Core({ profileDir: dir, keyProvider: provider, shell: 'cli' });
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('the profile opened');
}

function fakeKeychain(): { entry: KeychainEntryFactory; store: Map<string, string> } {
  const store = new Map<string, string>();
  return {
    store,
    entry: (service, account) => ({
      getPassword: () => store.get(`${service}/${account}`) ?? null,
      setPassword: (p: string) => void store.set(`${service}/${account}`, p),
      deletePassword: () => store.delete(`${service}/${account}`),
    }),
  };
}

const ADVICE = [/O que aconteceu: a chave que abre os segredos deste perfil/, /não viaja com a pasta/, /Ajustes → Backup/, /pixdesk backup restore/, /não a apague/, /token novo do Itaú/];

describe('a lost device key is explained', () => {
  it('a profile folder copied to another machine (file provider, another machine id)', async () => {
    const dir = await made((d) => new FileKeyProvider({ profileDir: d, machineId: 'maquina-antiga' }));
    const e = failure(dir, new FileKeyProvider({ profileDir: dir, machineId: 'maquina-nova' }));
    expect(e.code).toBe('VAULT_WRONG_DEVICE');
    for (const re of ADVICE) expect(e.message).toMatch(re);
    expect(e.message).toContain(dir);
    expect(e.message).toMatch(/Nada foi apagado/);
  });

  it('device.key missing', async () => {
    const dir = await made((d) => new FileKeyProvider({ profileDir: d, machineId: 'm' }));
    fs.rmSync(path.join(dir, 'device.key'));
    const e = failure(dir, new FileKeyProvider({ profileDir: dir, machineId: 'm' }));
    expect(e.code).toBe('VAULT_KEYFILE');
    for (const re of ADVICE) expect(e.message).toMatch(re);
  });

  it('the keychain entry is gone (another user, a reinstalled system, the entry deleted)', async () => {
    const kc = fakeKeychain();
    const dir = await made(() => new KeychainKeyProvider(kc.entry, 'linux'));
    kc.store.clear();
    const e = failure(dir, new KeychainKeyProvider(kc.entry, 'linux'));
    expect(e.code).toBe('VAULT_WRONG_DEVICE');
    for (const re of ADVICE) expect(e.message).toMatch(re);
  });

  it('a wrong admin password is not a lost key: no backup advice', async () => {
    const cheap = { log2N: 10, r: 8, p: 1 };
    const dir = await made(() => new PasswordKeyProvider('a senha certa do caixa', cheap));
    const e = failure(dir, new PasswordKeyProvider('outra senha qualquer', cheap));
    expect(e.code).toBe('VAULT_WRONG_PASSWORD');
    expect(e.message).not.toMatch(/Ajustes → Backup/);
  });
});
