import path from 'node:path';
import { AppError } from '../core/errors';
import { resolveProfileDir } from '../core/profile';
import {
  controlRequest,
  controlResult,
  findLiveInstance,
  openSandboxState,
  removeInstanceFile,
  startSandbox,
  writeInstanceFile,
  writeTokenSheet,
  type FaultSpec,
  type PaymentResult,
  type RunningSandbox,
  type SandboxState,
} from '../core/sandbox';
import { parseOptions, required, type CliCommand, type CliIo, untilSignal } from './args';

const SERVE_USAGE = 'pixdesk sandbox serve [--profile DIR] [--host 127.0.0.1] [--port 8443]   (--port 0 escolhe uma porta livre)';
const ISSUE_USAGE = 'pixdesk sandbox issue-token [--profile DIR] [--client-id UUID] [--valid-hours 168] --out FILE.xlsx [--print-token] [--json]';
const PAY_USAGE =
  'pixdesk sandbox pay (BRCODE | --txid TXID [--client-id UUID] | --key CHAVE --amount 10.50) [--profile DIR] [--amount 10.50] [--payer-name NOME] [--payer-cpf CPF | --payer-cnpj CNPJ] [--message TEXTO] [--json]';
const KEYS_USAGE = 'pixdesk sandbox keys add|remove --client-id UUID CHAVE [--profile DIR] | pixdesk sandbox keys list --client-id UUID [--profile DIR] [--json]';
const FAULTS_USAGE =
  'pixdesk sandbox faults set --route "PUT /regulatorio-pix/v2/cob/*" [--status 503] [--latency-ms 500] [--reset] [--drop-response] [--expire-tokens] [--refund NAO_REALIZADO [--motivo TEXTO]] [--times N] [--profile DIR] | faults clear [--route R] | faults list [--json]';
const STATS_USAGE = 'pixdesk sandbox stats [--profile DIR] [--reset] [--json]';

function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length) throw new AppError('CLI_USAGE', `Argumento inesperado: ${positionals[0]}\nUso: ${usage}`);
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 8443;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new AppError('CLI_USAGE', `Porta inválida: ${raw} (use 0–65535).`);
  return Number(raw);
}

/**
 * Run the sandbox until `stop` resolves, printing `sts: URL`, `pix: URL` and `ca: PATH` (one per line, stable for
 * scripts). Exported so tests can stop it without sending signals to the test runner.
 */
export async function serveSandbox(
  opts: { profileDir: string; host: string; port: number },
  io: CliIo,
  stop: (sb: RunningSandbox) => Promise<void>,
): Promise<number> {
  const sb = await startSandbox({ profileDir: opts.profileDir, host: opts.host, port: opts.port, onError: (l) => io.err(l) });
  try {
    // Recorded in the profile so the app and the CLI of this profile use this instance (and its faults).
    writeInstanceFile(opts.profileDir, sb);
    io.out(`sts: ${sb.stsUrl}`);
    io.out(`pix: ${sb.pixUrl}`);
    io.out(`ca: ${sb.caFile}`);
    io.out(`control: ${sb.controlUrl}`);
    await stop(sb);
  } finally {
    removeInstanceFile(opts.profileDir, sb.instanceId);
    await sb.close();
  }
  return 0;
}

const serve = (path_: string, summary: string): CliCommand => ({
  path: path_,
  summary,
  usage: SERVE_USAGE,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } }, SERVE_USAGE);
    noPositionals(positionals, SERVE_USAGE);
    return serveSandbox({ profileDir: resolveProfileDir(values.profile), host: values.host ?? '127.0.0.1', port: parsePort(values.port) }, io, untilSignal);
  },
});

/** `pixdesk sandbox …`: the local Itaú sandbox (server, temporary tokens, a payer). */
export const sandboxCommands: CliCommand[] = [
  serve('sandbox serve', 'sobe o sandbox local do Itaú (STS + API Pix, HTTPS/mTLS)'),
  serve('sandbox', 'o mesmo que "sandbox serve"'),
  {
    path: 'sandbox issue-token',
    summary: 'emite um token temporário do sandbox na planilha "Credencial e Token.xlsx"',
    usage: ISSUE_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          profile: { type: 'string' },
          'client-id': { type: 'string' },
          'valid-hours': { type: 'string' },
          out: { type: 'string' },
          'print-token': { type: 'boolean' },
          json: { type: 'boolean' },
        },
        ISSUE_USAGE,
      );
      noPositionals(positionals, ISSUE_USAGE);
      const out = path.resolve(required(values.out, 'out'));
      const hoursRaw = values['valid-hours'];
      if (hoursRaw !== undefined && !/^\d+(\.\d+)?$/.test(hoursRaw)) throw new AppError('CLI_USAGE', `--valid-hours inválido: ${hoursRaw}`);
      const state = openSandboxState(resolveProfileDir(values.profile));
      try {
        const t = state.issueToken({ clientId: values['client-id'], validHours: hoursRaw === undefined ? undefined : Number(hoursRaw) });
        writeTokenSheet(out, t);
        const expiresAt = t.expiresAt.toISOString();
        if (values.json) {
          io.out(JSON.stringify({ clientId: t.clientId, expiresAt, file: out, ...(values['print-token'] ? { token: t.token } : {}) }, null, 2));
        } else {
          io.out(`client id: ${t.clientId}`);
          io.out(`validade: ${expiresAt}`);
          io.out(`planilha: ${out}`);
          if (values['print-token']) io.out(`token: ${t.token}`);
        }
        return 0;
      } finally {
        state.close();
      }
    },
  },
  {
    path: 'sandbox pay',
    summary: 'paga um BR Code (estático ou dinâmico), uma cobrança por txid ou transfere para uma chave, como o app de um banco',
    usage: PAY_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          profile: { type: 'string' },
          amount: { type: 'string' },
          'payer-name': { type: 'string' },
          'payer-cpf': { type: 'string' },
          'payer-cnpj': { type: 'string' },
          message: { type: 'string' },
          txid: { type: 'string' },
          'client-id': { type: 'string' },
          key: { type: 'string' },
          json: { type: 'boolean' },
        },
        PAY_USAGE,
      );
      const ways = [positionals.length > 0, values.txid !== undefined, values.key !== undefined].filter(Boolean).length;
      if (ways !== 1 || positionals.length > 1) {
        throw new AppError('CLI_USAGE', `Informe exatamente um: um BR Code (Pix Copia e Cola), --txid ou --key.\nUso: ${PAY_USAGE}`);
      }
      const opts = {
        amount: values.amount,
        payerName: values['payer-name'],
        payerCpf: values['payer-cpf'],
        payerCnpj: values['payer-cnpj'],
        infoPagador: values.message,
      };
      return withState(values.profile, (state) => {
        let r: PaymentResult;
        if (values.txid !== undefined) r = state.payTxid(values.txid, { ...opts, clientId: values['client-id'] });
        else if (values.key !== undefined) r = state.payKey(values.key, { ...opts, amount: required(values.amount, 'amount') });
        else r = state.pay(positionals[0]!, opts);
        if (values.json) io.out(JSON.stringify(r, null, 2));
        else io.out(`pago: ${r.valor} endToEndId ${r.endToEndId}${r.txid ? ` txid ${r.txid}` : ''}`);
        return 0;
      });
    },
  },
  {
    path: 'sandbox keys',
    summary: 'registra, remove ou lista as chaves Pix de um Client ID no sandbox',
    usage: KEYS_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, 'client-id': { type: 'string' }, json: { type: 'boolean' } }, KEYS_USAGE);
      const [action, key, ...extra] = positionals;
      const clientId = required(values['client-id'], 'client-id');
      if (extra.length || !action || !['add', 'remove', 'list'].includes(action) || (action !== 'list' && !key) || (action === 'list' && key)) {
        throw new AppError('CLI_USAGE', `Uso: ${KEYS_USAGE}`);
      }
      return withState(values.profile, (state) => {
        if (action === 'add') state.keys.register(clientId, key!);
        if (action === 'remove' && !state.keys.unregister(clientId, key!)) {
          throw new AppError('SANDBOX_PIX_KEY_UNKNOWN', `A chave ${key} não está registrada para o Client ID ${clientId.toLowerCase()}.`);
        }
        const keys = state.keys.list(clientId);
        if (values.json) io.out(JSON.stringify({ clientId: clientId.toLowerCase(), keys }, null, 2));
        else if (action === 'list') io.out(keys.length ? keys.join('\n') : 'nenhuma chave registrada');
        else io.out(`${action === 'add' ? 'registrada' : 'removida'}: ${key}`);
        return 0;
      });
    },
  },
  {
    path: 'sandbox faults',
    summary: 'injeta, lista ou limpa falhas no "pixdesk sandbox serve" deste perfil',
    usage: FAULTS_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          profile: { type: 'string' },
          route: { type: 'string' },
          status: { type: 'string' },
          'latency-ms': { type: 'string' },
          reset: { type: 'boolean' },
          'drop-response': { type: 'boolean' },
          'expire-tokens': { type: 'boolean' },
          refund: { type: 'string' },
          motivo: { type: 'string' },
          times: { type: 'string' },
          json: { type: 'boolean' },
        },
        FAULTS_USAGE,
      );
      const [action, ...extra] = positionals;
      if (extra.length || !action || !['set', 'clear', 'list'].includes(action)) throw new AppError('CLI_USAGE', `Uso: ${FAULTS_USAGE}`);
      const profileDir = resolveProfileDir(values.profile);
      const inst = await findLiveInstance(profileDir);
      if (!inst) {
        throw new AppError(
          'SANDBOX_NOT_SERVING',
          'Nenhum "pixdesk sandbox serve" em execução para este perfil: falhas valem para um sandbox em execução. Rode "pixdesk sandbox serve" (mesmo --profile) em outro terminal e tente de novo.',
        );
      }
      let body: unknown;
      if (action === 'set') {
        const int = (v: string | undefined, flag: string) => {
          if (v === undefined) return undefined;
          if (!/^\d+$/.test(v)) throw new AppError('CLI_USAGE', `--${flag} deve ser um inteiro: ${v}`);
          return Number(v);
        };
        if (values.refund !== undefined && values.refund !== 'NAO_REALIZADO') throw new AppError('CLI_USAGE', '--refund aceita apenas NAO_REALIZADO.');
        const spec: FaultSpec = {
          ...(values.status !== undefined ? { status: int(values.status, 'status') } : {}),
          ...(values['latency-ms'] !== undefined ? { latencyMs: int(values['latency-ms'], 'latency-ms') } : {}),
          ...(values.reset ? { reset: true } : {}),
          ...(values['drop-response'] ? { dropResponse: true } : {}),
          ...(values['expire-tokens'] ? { expireTokens: true } : {}),
          ...(values.refund ? { refund: 'NAO_REALIZADO' as const } : {}),
          ...(values.motivo ? { motivo: values.motivo } : {}),
          ...(values.times !== undefined ? { times: int(values.times, 'times') } : {}),
        };
        body = { route: required(values.route, 'route'), ...spec };
      } else if (action === 'clear') body = { clear: true, ...(values.route ? { route: values.route } : {}) };
      const r = controlResult<{ faults: { route: string; spec: FaultSpec; remaining: number | null }[] }>(
        action === 'list' ? await controlRequest(inst, 'GET', '/sandbox/faults') : await controlRequest(inst, 'POST', '/sandbox/faults', body),
      );
      if (values.json) io.out(JSON.stringify(r, null, 2));
      else if (r.faults.length === 0) io.out('nenhuma falha ativa');
      else for (const f of r.faults) io.out(`${f.route} ${JSON.stringify(f.spec)}${f.remaining === null ? '' : ` (restam ${f.remaining})`}`);
      return 0;
    },
  },
  {
    path: 'sandbox stats',
    summary: 'mostra pedidos de access token e cobranças por Client ID no sandbox',
    usage: STATS_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, reset: { type: 'boolean' }, json: { type: 'boolean' } }, STATS_USAGE);
      noPositionals(positionals, STATS_USAGE);
      return withState(values.profile, (state) => {
        if (values.reset) state.sts.resetTokenRequestCounts();
        const st = state.stats();
        if (values.json) io.out(JSON.stringify(st, null, 2));
        else {
          for (const [c, n] of Object.entries(st.tokenRequests)) io.out(`tokens ${c}: ${n}`);
          for (const [c, n] of Object.entries(st.charges)) io.out(`cobranças ${c}: ${n}`);
          io.out(`pix recebidos: ${st.pix}`);
        }
        return 0;
      });
    },
  },
];

/** Run `fn` on the profile's sandbox state (shared with any running server) and close it. */
function withState<T>(profile: string | undefined, fn: (state: SandboxState) => T): T {
  const state = openSandboxState(resolveProfileDir(profile));
  try {
    return fn(state);
  } finally {
    state.close();
  }
}
