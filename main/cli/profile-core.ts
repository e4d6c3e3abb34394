import { Core, type CoreOptions } from '../core/app';
import { resolveProfileDir } from '../core/profile';
import { peekRecordedBackend } from '../core/vault/node-providers';
import { version } from '../../package.json';
import { processIo, type CliIo } from './args';
import { nodeKeyProvider } from './unlock';

/**
 * Test seam for the CLI crash tests: extra Core options (the onboarding step hook that SIGKILLs the process).
 * Nothing in the product sets it.
 */
export const cliCoreHooks: Pick<CoreOptions, 'afterOnboardingStep'> = {};

/** Open the profile's services for one CLI command and always close them (sandbox included). */
export async function withCore<T>(profile: string | undefined, fn: (core: Core) => Promise<T> | T, io: CliIo = processIo): Promise<T> {
  const profileDir = resolveProfileDir(profile);
  const isNew = peekRecordedBackend(profileDir) === null;
  const { provider, warning } = await nodeKeyProvider(profileDir, io);
  // The key-file fallback is said once, when it is chosen for a new profile (not on every command after).
  if (warning && isNew) io.err(warning);
  const core = new Core({ profileDir, keyProvider: provider, shell: 'cli', version, ...cliCoreHooks });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
