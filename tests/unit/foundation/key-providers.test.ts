import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../../main/core/app';
import { openDatabase, type Db } from '../../../main/core/db';
import { appMigrations } from '../../../main/core/db/migrations';
import { KeychainKeyProvider, PasswordKeyProvider, Vault, type KeychainEntryFactory } from '../../../main/core/vault';
import { chooseNodeKeyProvider, FILE_FALLBACK_WARNING, type NodeKeyOptions } from '../../../main/core/vault/node-providers';

/** Key providers of the Node shells: OS keychain (fake Entry), admin password (scrypt), key file last. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function profile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-keys-'));
  dirs.push(d);
  return d;
}
function db(dir: string): Db {
  return openDatabase({ file: path.join(dir, 'pixdesk.sqlite'), migrations: appMigrations });
}
const CHEAP = { log2N: 10, r: 8, p: 1 }; // tests only: the default is 2^17

/** An in-memory keychain with the @napi-rs/keyring Entry shape; `broken` makes it answer like a missing Secret Service. */
function fakeKeychain() {
  const store = new Map<string, string>();
  const state = { broken: false };
  const entry: KeychainEntryFactory = (service, account) => ({
    getPassword: () => (state.broken ? null : (store.get(`${service}/${account}`) ?? null)),
    setPassword: (p) => {
      if (state.broken) throw new Error("Couldn't access platform storage: AccessDenied");
      store.set(`${service}/${account}`, p);
    },
    deletePassword: () => store.delete(`${service}/${account}`),
  });
  return { entry, store, state };
}

function options(dir: string, extra: Partial<NodeKeyOptions> = {}): NodeKeyOptions {
  return { profileDir: dir, keychain: null, password: () => null, machineId: 'm', ...extra };
}

describe('admin password (scrypt)', () => {
  it('opens only with the password, which is stored nowhere', () => {
    const dir = profile();
    const d = db(dir);
    const v = Vault.open(d, new PasswordKeyProvider('frase longa do caixa', CHEAP));
    const blob = v.seal('t', 'c', '1', 'segredo');
    const all = Buffer.concat([fs.readFileSync(path.join(dir, 'pixdesk.sqlite')), fs.readFileSync(path.join(dir, 'pixdesk.sqlite-wal'))]);
    expect(all.includes(Buffer.from('frase longa do caixa'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'device.key'))).toBe(false);
    expect(() => Vault.open(d, new PasswordKeyProvider('outra frase qualquer', CHEAP))).toThrow(expect.objectContaining({ code: 'VAULT_WRONG_PASSWORD' }));
    expect(Vault.open(d, new PasswordKeyProvider('frase longa do caixa', CHEAP)).openString('t', 'c', '1', blob)).toBe('segredo');
    d.close();
  });

  it('uses strong scrypt parameters by default and refuses short passwords', () => {
    const wrapped = new PasswordKeyProvider('frase longa do caixa').wrap(Buffer.alloc(32, 1));
    expect([...wrapped.subarray(0, 4)]).toEqual([1, 17, 8, 1]);
    expect(() => new PasswordKeyProvider('curta', CHEAP).wrap(Buffer.alloc(32))).toThrow(expect.objectContaining({ code: 'VAULT_PASSWORD_WEAK' }));
    // A tampered header cannot ask for an absurd cost.
    const bad = Buffer.from(wrapped);
    bad[1] = 40;
    expect(() => new PasswordKeyProvider('frase longa do caixa').unwrap(bad)).toThrow(expect.objectContaining({ code: 'VAULT_PASSWORD_FORMAT' }));
  });
});

describe('OS keychain (fake Entry)', () => {
  it('keeps the wrapping key in the keychain: without that entry the profile does not open, and nothing is destroyed', () => {
    const dir = profile();
    const d = db(dir);
    const kc = fakeKeychain();
    const v = Vault.open(d, new KeychainKeyProvider(kc.entry, 'linux'));
    const blob = v.seal('t', 'c', '1', 'abc');
    expect(d.prepare('SELECT provider, backend FROM vault_meta').get()).toEqual({ provider: 'keychain', backend: 'secret-service' });
    expect([...kc.store.keys()]).toEqual([expect.stringMatching(/^PixDesk\/vault-[0-9a-f]{32}$/)]);
    expect(Vault.open(d, new KeychainKeyProvider(kc.entry, 'linux')).openString('t', 'c', '1', blob)).toBe('abc');
    // Another user's (or machine's) keychain has no such entry.
    const other = fakeKeychain();
    expect(() => Vault.open(d, new KeychainKeyProvider(other.entry, 'linux'))).toThrow(expect.objectContaining({ code: 'VAULT_WRONG_DEVICE' }));
    expect(Vault.open(d, new KeychainKeyProvider(kc.entry, 'linux')).openString('t', 'c', '1', blob)).toBe('abc');
    d.close();
  });
});

describe('provider order for the Node shells', () => {
  it('new profile: password when given, else a reachable keychain, else the key file with a warning', async () => {
    const kc = fakeKeychain();
    expect((await chooseNodeKeyProvider(options(profile(), { keychain: kc.entry, password: (p) => (p === 'create' ? 'frase longa do caixa' : null) }))).provider.kind).toBe('password');
    const viaKeychain = await chooseNodeKeyProvider(options(profile(), { keychain: kc.entry }));
    expect(viaKeychain).toMatchObject({ provider: { kind: 'keychain' }, warning: null });
    kc.state.broken = true; // like this machine: no Secret Service, "AccessDenied"
    const fallback = await chooseNodeKeyProvider(options(profile(), { keychain: kc.entry }));
    expect(fallback.provider.kind).toBe('file');
    expect(fallback.warning).toBe(FILE_FALLBACK_WARNING);
  });

  it('existing profile: always the recorded provider; a missing password or keychain is explained, not replaced', async () => {
    const dir = profile();
    const pw = new PasswordKeyProvider('frase longa do caixa', CHEAP);
    await new Core({ profileDir: dir, keyProvider: pw, shell: 'cli' }).close();
    const kc = fakeKeychain();
    await expect(chooseNodeKeyProvider(options(dir, { keychain: kc.entry }))).rejects.toMatchObject({ code: 'VAULT_PASSWORD_NEEDED', message: expect.stringContaining('PIXDESK_PASSWORD') });
    const asked: string[] = [];
    const unlocked = await chooseNodeKeyProvider(options(dir, { keychain: kc.entry, password: (p) => (asked.push(p), 'frase longa do caixa') }));
    expect(unlocked.provider.kind).toBe('password');
    expect(asked).toEqual(['unlock']);

    const kdir = profile();
    await new Core({ profileDir: kdir, keyProvider: new KeychainKeyProvider(kc.entry), shell: 'cli' }).close();
    kc.state.broken = true;
    await expect(chooseNodeKeyProvider(options(kdir, { keychain: kc.entry }))).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });

  it('app:info says which backend protects the profile (as recorded)', async () => {
    const dir = profile();
    const kc = fakeKeychain();
    const core = new Core({ profileDir: dir, keyProvider: new KeychainKeyProvider(kc.entry, 'darwin'), shell: 'browser' });
    expect((await core.handlers()['app:info']({})).keyBackend).toBe('keychain/macos-keychain');
    await core.close();
  });
});

describe('a missing vault meta row', () => {
  it('never mints a new data key over existing secrets', () => {
    const dir = profile();
    const d = db(dir);
    const v = Vault.open(d, new PasswordKeyProvider('frase longa do caixa', CHEAP));
    d.prepare(
      `INSERT INTO onboarding_sessions (id, client_id, token_enc, token_sha256, token_expires_at, expiry_source, source_json, step, created_at, updated_at)
       VALUES ('s', 'c', ?, 'h', 't', 'jwt', '{}', 'imported', 't', 't')`,
    ).run(v.seal('onboarding_sessions', 'token_enc', 's', 'token'));
    d.prepare('DELETE FROM vault_meta').run();
    expect(() => Vault.open(d, new PasswordKeyProvider('frase longa do caixa', CHEAP))).toThrow(expect.objectContaining({ code: 'VAULT_META_MISSING', message: expect.stringMatching(/não cria uma chave nova/) }));
    expect(d.prepare('SELECT count(*) n FROM vault_meta').get()).toEqual({ n: 0 });
    // An empty profile (nothing sealed yet) simply starts a new vault.
    d.prepare('DELETE FROM onboarding_sessions').run();
    expect(() => Vault.open(d, new PasswordKeyProvider('frase longa do caixa', CHEAP))).not.toThrow();
    d.close();
  });
});
