import path from 'node:path';
import { AppError } from '../core/errors';
import { resolveProfileDir } from '../core/profile';
import { openSandboxState, startSandbox, writeTokenSheet, type RunningSandbox } from '../core/sandbox';
import { parseOptions, required, type CliCommand, type CliIo } from './args';

const SERVE_USAGE = 'pixdesk sandbox serve [--profile DIR] [--host 127.0.0.1] [--port 8443]   (--port 0 escolhe uma porta livre)';
const ISSUE_USAGE = 'pixdesk sandbox issue-token [--profile DIR] [--client-id UUID] [--valid-hours 168] --out FILE.xlsx [--print-token] [--json]';
const PAY_USAGE = 'pixdesk sandbox pay BRCODE [--profile DIR] [--amount 10.50] [--payer-name NOME] [--json]';

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
    io.out(`sts: ${sb.stsUrl}`);
    io.out(`pix: ${sb.pixUrl}`);
    io.out(`ca: ${sb.caFile}`);
    await stop(sb);
  } finally {
    await sb.close();
  }
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
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
    summary: 'paga um BR Code no sandbox, como o app de um banco',
    usage: PAY_USAGE,
    run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        { profile: { type: 'string' }, amount: { type: 'string' }, 'payer-name': { type: 'string' }, json: { type: 'boolean' } },
        PAY_USAGE,
      );
      if (positionals.length !== 1) throw new AppError('CLI_USAGE', `Informe um BR Code (Pix Copia e Cola).\nUso: ${PAY_USAGE}`);
      const state = openSandboxState(resolveProfileDir(values.profile));
      try {
        const r = state.pay(positionals[0]!, { amount: values.amount, payerName: values['payer-name'] });
        if (values.json) io.out(JSON.stringify(r, null, 2));
        else io.out(`pago: ${r.valor} endToEndId ${r.endToEndId}${r.txid ? ` txid ${r.txid}` : ''}`);
        return 0;
      } finally {
        state.close();
      }
    },
  },
];
