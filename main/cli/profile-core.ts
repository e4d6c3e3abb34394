import { Core } from '../core/app';
import { resolveProfileDir } from '../core/profile';
import { FileKeyProvider } from '../core/vault';
import { version } from '../../package.json';

/** Open the profile's services for one CLI command and always close them (sandbox included). */
export async function withCore<T>(profile: string | undefined, fn: (core: Core) => Promise<T> | T): Promise<T> {
  const profileDir = resolveProfileDir(profile);
  const core = new Core({ profileDir, keyProvider: new FileKeyProvider({ profileDir }), shell: 'cli', version });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
