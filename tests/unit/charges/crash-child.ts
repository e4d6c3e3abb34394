/**
 * Child process of the charge crash tests: creates a charge on the profile's default account and SIGKILLs itself
 * right after the step named in argv[3] ('stored': before the PUT; 'answered': the bank answered, nothing applied).
 */
import { Core } from '../../../main/core/app';
import { FileKeyProvider } from '../../../main/core/vault';

const [profileDir, killAt, expiresIn] = process.argv.slice(2);
if (!profileDir || !killAt) throw new Error('usage: crash-child PROFILE STEP [EXPIRES_IN]');

const core = new Core({
  profileDir,
  keyProvider: new FileKeyProvider({ profileDir, machineId: 'test-machine' }),
  shell: 'cli',
  charges: {
    retries: 1,
    baseDelayMs: 5,
    afterStep: (step) => {
      if (step === killAt) process.kill(process.pid, 'SIGKILL');
    },
  },
});
void core.charges.charges
  .create({ amountCents: 3333, description: 'interrompida', ...(expiresIn ? { expiresIn: Number(expiresIn) } : {}) })
  .then(() => process.stdout.write('finished\n'), (e: unknown) => process.stdout.write(`error ${String(e)}\n`));
