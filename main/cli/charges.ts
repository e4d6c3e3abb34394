import type { Core } from '../core/app';
import { formatBrl, parseAmountText, STATUS_PT } from '../core/charges';
import type { ChargeView, OpInput, OpName, OpOutput } from '../core/contract';
import { AppError } from '../core/errors';
import { exportCommand } from './charges-export';
import { parseOptions, required, type CliCommand, type CliIo } from './args';
import { withCore } from './profile-core';

const CREATE_USAGE =
  'pixdesk charges create [--account ID] --amount 10.50 [--static | --static-fallback] [--description D] [--expires-in S] [--key K] [--till T] [--profile DIR] [--json]';
const LIST_USAGE = 'pixdesk charges list [--status S] [--account ID] [--limit N] [--cursor C] [--profile DIR] [--json]';
const SHOW_USAGE = 'pixdesk charges show ID [--profile DIR] [--json]';
const CANCEL_USAGE = 'pixdesk charges cancel ID [--profile DIR] [--json]';
const REFUND_USAGE = 'pixdesk charges refund ID [--amount 10.50] [--reason TEXTO] [--profile DIR] [--json]';
const EXPORT_USAGE =
  'pixdesk charges export --format csv|xlsx --out ARQUIVO [--status S] [--account ID] [--till CAIXA] [--from AAAA-MM-DD] [--to AAAA-MM-DD] [--min 10,50] [--max 99,90] [--q TEXTO] [--profile DIR] [--json]';

const dateFmt = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', dateStyle: 'short', timeStyle: 'medium' });
const STATUSES = Object.keys(STATUS_PT);

/**
 * Run one contract operation through the same dispatcher as the app (zod validation from unknown, pt-BR errors),
 * turning a failed Result into the CLI's one-line error.
 */
export async function callOp<K extends OpName>(core: Core, op: K, input: unknown): Promise<OpOutput<K>> {
  const r = await core.dispatcher()(op, input as OpInput<K>);
  if (!r.ok) throw new AppError(r.error.code, r.error.message);
  return r.value as OpOutput<K>;
}

function when(iso: string | null): string {
  return iso ? dateFmt.format(new Date(iso)) : '—';
}

/** A charge in a few readable lines, ending with its Pix Copia e Cola. */
export function describeCharge(c: ChargeView): string {
  const lines = [
    `Cobrança ${c.kind === 'static' ? 'offline (QR estático)' : 'dinâmica'} — ${formatBrl(c.amountCents)} — ${STATUS_PT[c.status].toUpperCase()}`,
    `  id: ${c.id}`,
    `  txid: ${c.txid}`,
    `  conta: ${c.accountId}   chave: ${c.pixKey}${c.till ? `   caixa: ${c.till}` : ''}`,
    `  criada: ${when(c.createdAt)}   expira: ${when(c.expiresAt)}`,
  ];
  if (c.description) lines.push(`  descrição: ${c.description}`);
  if (c.kind === 'static' && c.status === 'pending_confirmation') lines.push('  a confirmar: o pagamento aparece quando o banco listar um Pix com este txid.');
  if (c.status === 'paid') {
    lines.push(`  paga: ${when(c.paidAt)}   ${formatBrl(c.paidCents ?? c.amountCents)}${c.payer?.name ? ` por ${c.payer.name}` : ''}${c.payer?.document ? ` (${c.payer.document})` : ''}`);
    if (c.e2eid) lines.push(`  e2eid: ${c.e2eid}`);
  }
  for (const r of c.refunds) {
    lines.push(`  devolução ${r.id}: ${formatBrl(r.amountCents)} — ${r.status}${r.confirmedByBank ? '' : ' (aguardando o banco)'}${r.bankReason ? ` — ${r.bankReason}` : ''}`);
  }
  if (c.error) lines.push(`  aviso: ${c.error.message}`);
  if (c.brCode && (c.status === 'active' || c.status === 'pending_confirmation')) lines.push('  Pix Copia e Cola:', `  ${c.brCode}`);
  return lines.join('\n');
}

function one(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new AppError('CLI_USAGE', `Informe o id da cobrança.\nUso: ${usage}`);
  return positionals[0]!;
}

function print(io: CliIo, json: boolean | undefined, c: ChargeView): void {
  io.out(json ? JSON.stringify(c, null, 2) : describeCharge(c));
}

function expiresIn(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1) throw new AppError('CLI_USAGE', `--expires-in inválido: "${raw}". Informe os segundos até expirar, ex.: 3600.`);
  return Number(raw);
}

export const chargesCommands: CliCommand[] = [
  {
    path: 'charges create',
    summary: 'cria uma cobrança Pix (dinâmica no Itaú, ou offline com --static) e mostra o BR Code',
    usage: CREATE_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          account: { type: 'string' }, amount: { type: 'string' }, static: { type: 'boolean' }, 'static-fallback': { type: 'boolean' },
          description: { type: 'string' }, 'expires-in': { type: 'string' }, key: { type: 'string' }, till: { type: 'string' },
          profile: { type: 'string' }, json: { type: 'boolean' },
        },
        CREATE_USAGE,
      );
      if (positionals.length) throw new AppError('CLI_USAGE', `Argumento inesperado: ${positionals[0]}\nUso: ${CREATE_USAGE}`);
      if (values.static && values['static-fallback']) throw new AppError('CLI_USAGE', 'Use --static ou --static-fallback, não os dois.');
      const amountCents = parseAmountText(required(values.amount, 'amount'));
      const input = {
        amountCents,
        ...(values.account ? { accountId: values.account } : {}),
        ...(values.description !== undefined ? { description: values.description } : {}),
        ...(values['expires-in'] !== undefined ? { expiresIn: expiresIn(values['expires-in']) } : {}),
        ...(values.key ? { key: values.key } : {}),
        ...(values.till ? { till: values.till } : {}),
        ...(values.static ? { offline: true } : values['static-fallback'] ? { offline: 'fallback' } : {}),
      };
      const c = await withCore(values.profile, (core) => callOp(core, 'charges:create', input));
      print(io, values.json, c);
      return 0;
    },
  },
  {
    path: 'charges list',
    summary: 'lista as cobranças, mais novas primeiro',
    usage: LIST_USAGE,
    async run(argv, io) {
      const { values } = parseOptions(
        argv,
        { status: { type: 'string' }, account: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } },
        LIST_USAGE,
      );
      if (values.status && !STATUSES.includes(values.status)) throw new AppError('CLI_USAGE', `--status deve ser um de: ${STATUSES.join(', ')}.`);
      if (values.limit !== undefined && !/^\d{1,3}$/.test(values.limit)) throw new AppError('CLI_USAGE', '--limit deve ser um número de 1 a 200.');
      const page = await withCore(values.profile, (core) =>
        callOp(core, 'charges:list', {
          ...(values.status ? { status: values.status } : {}),
          ...(values.account ? { accountId: values.account } : {}),
          ...(values.cursor ? { cursor: values.cursor } : {}),
          limit: values.limit ? Number(values.limit) : 50,
        }),
      );
      if (values.json) io.out(JSON.stringify(page, null, 2));
      else if (!page.items.length) io.out('Nenhuma cobrança.');
      else {
        for (const c of page.items) {
          io.out(`${when(c.createdAt)}  ${formatBrl(c.amountCents).padStart(14)}  ${STATUS_PT[c.status].padEnd(11)}  ${c.kind === 'static' ? 'offline ' : 'dinâmica'}  ${c.id}${c.description ? `  ${c.description}` : ''}`);
        }
        if (page.nextCursor) io.out(`Mais resultados: --cursor ${page.nextCursor}`);
      }
      return 0;
    },
  },
  {
    path: 'charges show',
    summary: 'mostra uma cobrança (consulta o banco se ela ainda estiver aberta)',
    usage: SHOW_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, SHOW_USAGE);
      const c = await withCore(values.profile, (core) => callOp(core, 'charges:get', { id: one(positionals, SHOW_USAGE) }));
      print(io, values.json, c);
      return 0;
    },
  },
  {
    path: 'charges cancel',
    summary: 'cancela uma cobrança aberta (REMOVIDA_PELO_USUARIO_RECEBEDOR)',
    usage: CANCEL_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(argv, { profile: { type: 'string' }, json: { type: 'boolean' } }, CANCEL_USAGE);
      const c = await withCore(values.profile, (core) => callOp(core, 'charges:cancel', { id: one(positionals, CANCEL_USAGE) }));
      print(io, values.json, c);
      return 0;
    },
  },
  {
    path: 'charges refund',
    summary: 'devolve o valor (total ou parcial) de uma cobrança paga',
    usage: REFUND_USAGE,
    async run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        { amount: { type: 'string' }, reason: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } },
        REFUND_USAGE,
      );
      const id = one(positionals, REFUND_USAGE);
      const input = { id, ...(values.amount !== undefined ? { amountCents: parseAmountText(values.amount) } : {}), ...(values.reason ? { reason: values.reason } : {}) };
      const c = await withCore(values.profile, (core) => callOp(core, 'charges:refund', input));
      print(io, values.json, c);
      return 0;
    },
  },
  exportCommand(EXPORT_USAGE),
];
