import path from 'node:path';
import { parseArgs } from 'node:util';
import { Core } from '../core/app';
import { resolveProfileDir } from '../core/profile';
import { nodeKeyProvider } from '../cli/unlock';
import { isAppError } from '../core/errors';
import { logErrorTo, logFileOf, logUnexpected } from '../core/log';
import { startHost } from './server';
import { startAppApi } from '../core/api-server';
import { version } from '../../package.json';

/**
 * `npm run start:browser`: the same app in a browser, for kiosks and headless workstations (and the
 * Playwright tests). Binds 127.0.0.1 only and prints the launch URL with this run's token.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { profile: { type: 'string' }, port: { type: 'string' }, 'api-port': { type: 'string' } },
    allowPositionals: false,
  });
  const profileDir = resolveProfileDir(values.profile);
  // Files the host creates (database, sandbox keys) are owner-only from their first byte.
  process.umask(0o077);
  // The admin password, when the profile uses one: PIXDESK_PASSWORD, or asked here on the host's terminal.
  const { provider, warning } = await nodeKeyProvider(profileDir, { err: (t) => console.error(t) });
  if (warning) console.error(warning);
  let core: Core;
  try {
    core = new Core({ profileDir, keyProvider: provider, shell: 'browser', version });
  } catch (e) {
    if (!isAppError(e)) logErrorTo(profileDir, { err: e }, 'browser host could not open the profile', { shell: 'browser' });
    throw e;
  }
  // Unexpected errors go to the profile's log with stack and cause; the page gets the generic pt-BR message.
  const dispatch = core.dispatcher((op, e) => {
    logUnexpected(core.log)(op, e);
    console.error(`[pixdesk] erro inesperado em ${op}; detalhes em ${logFileOf(profileDir)}`);
  });
  core.renewal.start();
  core.charges.start();
  const host = await startHost({
    dispatch,
    staticDir: path.join(__dirname, '..', 'renderer'),
    port: Number(values.port ?? process.env.PIXDESK_PORT ?? 0),
    events: core.events,
    eventFilter: (ctx, e) => core.eventAllowed(ctx.session, e),
  });
  const api = await startAppApi(core, values['api-port'] ?? process.env.PIXDESK_API_PORT, (line) => console.error(line));
  console.log(`PixDesk (navegador) pronto em: ${host.url}`);
  if (api) console.log(`API local (compatível com OpenPix): ${api.url}`);
  console.log(`perfil: ${profileDir}`);
  console.log(`log: ${logFileOf(profileDir)}`);
  // The launch URL carries this run's token: the log gets the port only.
  core.log.info({ port: host.port }, 'browser host listening');
  const stop = () => {
    core.log.info('browser host stopping');
    void host
      .close()
      .then(() => api?.stop())
      .then(() => core.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(isAppError(e) ? `erro: ${e.message}` : 'erro: o PixDesk não conseguiu iniciar.');
  if (process.env.PIXDESK_DEBUG) console.error(e);
  process.exit(1);
});
