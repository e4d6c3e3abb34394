import fs from 'node:fs';
import { ApiRuntime, DEFAULT_API_PORT, loadOrCreateLanCa } from '../core/api-server';
import { API_APP_TYPES, API_SCOPES } from '../core/apps';
import type { ApiAppView } from '../core/contract';
import { AppError } from '../core/errors';
import { parseOptions, required, type CliCommand, type CliIo, untilSignal } from './args';
import { callOp } from './charges';
import { withCore } from './profile-core';

const CREATE_USAGE =
  'pixdesk apps create --name N [--type REST_API|PLUGIN|POS] [--scopes CHARGE_POST,CHARGE_GET,…] [--account ID] [--allowed-ips IP,CIDR…] [--rate-limit N/min] [--profile DIR] [--json]';
const LIST_USAGE = 'pixdesk apps list [--profile DIR] [--json]';
const REVOKE_USAGE = 'pixdesk apps revoke ID [--profile DIR] [--json]';
const REGEN_USAGE = 'pixdesk apps regenerate ID [--profile DIR] [--json]';
const SERVE_USAGE = 'pixdesk api serve [--port P] [--host 127.0.0.1] [--lan] [--profile DIR]   (--lan: HTTPS na rede local, ex.: --lan --host 0.0.0.0)';
const CA_USAGE = 'pixdesk api ca --out FILE.pem [--profile DIR]';

const DEFAULT_SCOPES = ['CHARGE_POST', 'CHARGE_GET'];
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const dateFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'short' });

function list(raw: string | undefined): string[] | undefined {
  return raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function line(a: ApiAppView): string {
  const used = a.lastUsedAt ? `último uso ${dateFmt.format(new Date(a.lastUsedAt))}` : 'nunca usado';
  return `${a.status === 'revoked' ? 'REVOGADO ' : ''}${a.name}  (${a.type})  ${a.id}\n  clientId: ${a.clientId}\n  escopos: ${a.scopes.join(', ')}   limite: ${a.rateLimitPerMinute}/min${a.allowedIps.length ? `   IPs: ${a.allowedIps.join(', ')}` : ''}\n  ${a.requestCount} requisições, ${used}`;
}

function one(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new AppError('CLI_USAGE', `Informe o id do app (veja pixdesk apps list).\nUso: ${usage}`);
  return positionals[0]!;
}

function printCreated(io: CliIo, json: boolean | undefined, r: { app: ApiAppView; appId: string }, verb: string): void {
  if (json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  io.out(`App "${r.app.name}" ${verb}. id: ${r.app.id}`);
  io.out('AppID (mostrado só agora — guarde-o no sistema parceiro; o PixDesk guarda apenas um hash):');
  io.out(r.appId);
}

/**
 * Run the local API of a profile until `stop` resolves: server, webhook sender and the charges engine's background
 * confirmation. Prints the base URL on the first line (stable for scripts). Exported for tests.
 */
export async function serveApi(opts: { profile?: string | undefined; host: string; port: number; lan?: boolean | undefined }, io: CliIo, stop: (url: string) => Promise<void>): Promise<number> {
  if (!LOOPBACK.has(opts.host) && !opts.lan) {
    throw new AppError('API_HOST_REFUSED', `Para atender outros computadores (${opts.host}) a API precisa do modo rede, só com HTTPS: use --lan (e entregue ao parceiro a CA exportada com "pixdesk api ca --out ca.pem").`);
  }
  // The profile opens under the protection it records (keychain, admin password or key file), as every CLI command.
  return withCore(
    opts.profile,
    async (core) => {
      const rt = await ApiRuntime.start(core, { host: opts.host === 'localhost' ? '127.0.0.1' : opts.host, port: opts.port, startEngine: true, lan: opts.lan, onUnexpected: () => io.err('erro: falha inesperada numa requisição da API (respondida com 500).') });
      try {
        io.out(rt.url);
        if (rt.caPem) io.out('HTTPS com a CA local do perfil: exporte-a para os parceiros com "pixdesk api ca --out ca.pem".');
        await stop(rt.url);
      } finally {
        await rt.stop();
      }
      return 0;
    },
    io,
  );
}

export const appsCommands: CliCommand[] = [
  {
    path: 'apps create',
    summary: 'cria um app de API e mostra o AppID uma única vez',
    usage: CREATE_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          name: { type: 'string' }, type: { type: 'string' }, scopes: { type: 'string' }, account: { type: 'string' },
          'allowed-ips': { type: 'string' }, 'rate-limit': { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' },
        },
        CREATE_USAGE,
      );
      if (positionals.length) throw new AppError('CLI_USAGE', `Argumento inesperado: ${positionals[0]}\nUso: ${CREATE_USAGE}`);
      const type = values.type?.toUpperCase();
      if (type && !(API_APP_TYPES as readonly string[]).includes(type)) throw new AppError('CLI_USAGE', `--type deve ser um de: ${API_APP_TYPES.join(', ')}.`);
      const scopes = (list(values.scopes) ?? DEFAULT_SCOPES).map((s) => s.toUpperCase());
      const unknown = scopes.find((s) => !(API_SCOPES as readonly string[]).includes(s));
      if (unknown) throw new AppError('CLI_USAGE', `Escopo desconhecido: ${unknown}. Use: ${API_SCOPES.join(', ')}.`);
      const rate = values['rate-limit'];
      if (rate !== undefined && !/^\d{1,8}$/.test(rate)) throw new AppError('CLI_USAGE', '--rate-limit é o número de requisições por minuto, ex.: 600.');
      const input = {
        name: required(values.name, 'name'),
        ...(type ? { type } : {}),
        scopes,
        ...(values.account ? { accountId: values.account } : {}),
        ...(values['allowed-ips'] !== undefined ? { allowedIps: list(values['allowed-ips']) } : {}),
        ...(rate !== undefined ? { rateLimitPerMinute: Number(rate) } : {}),
      };
      const r = await withCore(values.profile, (core) => callOp(core, 'apps:create', input));
      printCreated(io, values.json, r, 'criado');
      return 0;
    },
  },
  {
    path: 'apps list',
    summary: 'lista os apps de API (sem AppID), com uso e contagem de requisições',
    usage: LIST_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, LIST_USAGE);
      const apps = await withCore(values.profile, (core) => callOp(core, 'apps:list', {}));
      if (values.json) io.out(JSON.stringify(apps, null, 2));
      else io.out(apps.length ? apps.map(line).join('\n') : 'Nenhum app de API. Crie um com: pixdesk apps create --name "ERP"');
      return 0;
    },
  },
  {
    path: 'apps revoke',
    summary: 'revoga um app de API: o AppID deixa de funcionar na hora',
    usage: REVOKE_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, REVOKE_USAGE);
      const a = await withCore(values.profile, (core) => callOp(core, 'apps:revoke', { id: one(positionals, REVOKE_USAGE) }));
      io.out(values.json ? JSON.stringify(a, null, 2) : `App "${a.name}" revogado: o AppID dele não é mais aceito.`);
      return 0;
    },
  },
  {
    path: 'apps regenerate',
    summary: 'gera um novo AppID para o app (o antigo para de funcionar na hora)',
    usage: REGEN_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, REGEN_USAGE);
      const r = await withCore(values.profile, (core) => callOp(core, 'apps:regenerate', { id: one(positionals, REGEN_USAGE) }));
      printCreated(io, values.json, r, 'com novo AppID');
      return 0;
    },
  },
  {
    path: 'api serve',
    summary: 'atende a API local compatível com a OpenPix (sem janela), com confirmação de pagamentos e webhooks',
    usage: SERVE_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { port: { type: 'string' }, host: { type: 'string' }, lan: { type: 'boolean' }, profile: { type: 'string' } }, SERVE_USAGE);
      if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535)) throw new AppError('CLI_USAGE', `--port inválida: "${values.port}". Use um número de 0 a 65535.`);
      return serveApi({ profile: values.profile, host: values.host ?? '127.0.0.1', lan: values.lan, port: values.port !== undefined ? Number(values.port) : DEFAULT_API_PORT }, io, () => untilSignal());
    },
  },
  {
    path: 'api ca',
    summary: 'exporta o certificado da CA local do perfil (para parceiros confiarem na API em modo rede)',
    usage: CA_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(argv, { out: { type: 'string' }, profile: { type: 'string' } }, CA_USAGE);
      const out = required(values.out, 'out');
      const pem = await withCore(values.profile, (core) => loadOrCreateLanCa(core.db, core.vault).certPem);
      fs.writeFileSync(out, pem);
      io.out(`CA local gravada em ${out} (certificado público; a chave fica no cofre do perfil).`);
      return 0;
    },
  },
];
