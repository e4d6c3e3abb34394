/**
 * Child process of the crash tests: runs an onboarding and SIGKILLs itself right after the step named in
 * argv[4], the way a power cut or a killed app would stop it (no cleanup, no finally blocks).
 */
import fs from 'node:fs';
import { Core } from '../../../main/core/app';
import { FileKeyProvider } from '../../../main/core/vault';

const [profileDir, sheetFile, killAt] = process.argv.slice(2);
if (!profileDir || !sheetFile || !killAt) throw new Error('usage: crash-child PROFILE SHEET STEP');

const core = new Core({
  profileDir,
  keyProvider: new FileKeyProvider({ profileDir, machineId: 'test-machine' }),
  shell: 'cli',
  afterOnboardingStep: (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  },
});
const s = core.onboarding.importFile(fs.readFileSync(sheetFile), 'Credencial e Token.xlsx');
process.stdout.write(`session ${s.id}\n`);
void core.onboarding
  .run(s.id, { name: 'Loja', company: 'Empresa Teste', city: 'Sao Paulo', state: 'SP', environment: 'sandbox' })
  .then(() => process.stdout.write('finished\n'), (e: unknown) => process.stdout.write(`error ${String(e)}\n`));
