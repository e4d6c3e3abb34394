import { runCli } from './cli/index';

// Files the CLI creates in a profile (database, sandbox keys, token sheets) are owner-only from their first byte.
process.umask(0o077);

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
