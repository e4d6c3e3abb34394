/**
 * Child process of the kill-point test: the parent SIGKILLs it from outside after a random delay; no cleanup, no
 * finally blocks run, as with a power cut. (Migrations have their own small child: kill-migrate-child.ts.)
 *
 *   kill-child charges PROFILE
 *   kill-child onboarding PROFILE SHEET
 */
import fs from 'node:fs';
import { Core } from '../../../main/core/app';
import { FileKeyProvider } from '../../../main/core/vault';

const [mode, target, a] = process.argv.slice(2);
const say = (t: string) => process.stdout.write(`${t}\n`);

function core(profileDir: string): Core {
  return new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId: 'test-machine' }), shell: 'cli', charges: { retries: 1, baseDelayMs: 5 } });
}

if (mode === 'charges') {
  const c = core(target!);
  say('ready');
  void (async () => {
    for (let n = 0; ; n++) {
      const v = await c.charges.charges.create({ amountCents: 100 + n, description: `k${n}` });
      say(`committed ${v.id}`);
    }
  })();
} else if (mode === 'onboarding') {
  const c = core(target!);
  const s = c.onboarding.importFile(fs.readFileSync(a!), 'Credencial e Token.xlsx');
  say(`ready ${s.id}`);
  void c.onboarding.run(s.id, { name: 'Loja', company: 'Empresa Teste', city: 'Sao Paulo', state: 'SP', environment: 'sandbox' }).then(() => say('finished'));
} else {
  throw new Error(`unknown mode ${mode}`);
}
