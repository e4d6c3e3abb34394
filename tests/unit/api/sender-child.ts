/**
 * Child process of the webhook queue test: opens the profile and sends what is due, as a second PixDesk process on
 * the same profile would (the app and `pixdesk api serve` at once, say).
 */
import { Core } from '../../../main/core/app';
import { FileKeyProvider } from '../../../main/core/vault';

const [profileDir] = process.argv.slice(2);
if (!profileDir) throw new Error('usage: sender-child PROFILE');
const core = new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir, machineId: 'test-machine' }), shell: 'cli' });
void (async () => {
  for (let i = 0; i < 5; i++) await core.webhooks.tick();
  await core.close();
  process.stdout.write('done\n');
})();
