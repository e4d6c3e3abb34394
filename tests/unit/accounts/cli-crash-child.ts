/**
 * Child process of the CLI resume tests: the real `pixdesk accounts add …` (argv after the step name), killed with
 * SIGKILL right after the onboarding step named in argv[2] — as a closed terminal or a power cut would stop it.
 */
import { runCli } from '../../../main/cli/index';
import { cliCoreHooks } from '../../../main/cli/profile-core';

const [killAt, ...argv] = process.argv.slice(2);
if (!killAt) throw new Error('usage: cli-crash-child STEP ARGS…');
cliCoreHooks.afterOnboardingStep = (step) => {
  if (step === killAt) process.kill(process.pid, 'SIGKILL');
};
void runCli(argv).then((code) => process.stdout.write(`finished ${code}\n`));
