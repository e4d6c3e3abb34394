import fs from 'node:fs';
import path from 'node:path';
import { formatBrl, parseAmountText, STATUS_PT } from '../core/charges';
import { contract, type ChargeListFilter } from '../core/contract';
import { AppError } from '../core/errors';
import { parseOptions, required, type CliCommand } from './args';
import { withCore } from './profile-core';

const STATUSES = Object.keys(STATUS_PT);

/** The list filter from the command line, validated by the same zod schema as the screen's (pt-BR messages). */
function filterOf(v: Record<string, string | boolean | undefined>): ChargeListFilter {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const status = str('status');
  if (status !== undefined && !STATUSES.includes(status)) throw new AppError('CLI_USAGE', `--status deve ser um de: ${STATUSES.join(', ')}.`);
  const cents = (flag: 'min' | 'max') => {
    const raw = str(flag);
    if (raw === undefined) return undefined;
    try {
      return parseAmountText(raw);
    } catch {
      throw new AppError('CLI_USAGE', `--${flag} inválido: "${raw}". Use reais com até 2 casas, ex.: 10,50 ou 10.50.`);
    }
  };
  const raw = {
    ...(status ? { status } : {}),
    ...(str('account') ? { accountId: str('account') } : {}),
    ...(str('till') ? { till: str('till') } : {}),
    ...(str('from') ? { from: str('from') } : {}),
    ...(str('to') ? { to: str('to') } : {}),
    ...(cents('min') !== undefined ? { minCents: cents('min') } : {}),
    ...(cents('max') !== undefined ? { maxCents: cents('max') } : {}),
    ...(str('q') ? { q: str('q') } : {}),
  };
  const r = contract['charges:summary'].input.safeParse({ filter: raw });
  if (!r.success) {
    const flags: Record<string, string> = { accountId: '--account', minCents: '--min', maxCents: '--max' };
    const i = r.error.issues[0]!;
    const field = String(i.path[1] ?? '');
    throw new AppError('CLI_USAGE', `${flags[field] ?? `--${field}`}: ${i.message}.`);
  }
  return r.data.filter;
}

/**
 * `pixdesk charges export`: the filtered charges streamed to a CSV (pt-BR: `;`, decimal comma, BOM) or XLSX file
 * by the same exporter as the screen, without holding the rows in memory. Written next to the target under a
 * temporary name and renamed at the end, so a failed export never leaves half a file where the accountant looks.
 */
export function exportCommand(usage: string): CliCommand {
  return {
    path: 'charges export',
    summary: 'exporta as cobranças filtradas para CSV ou Excel (XLSX)',
    usage,
    async run(argv, io) {
      const { values, positionals } = parseOptions(
        argv,
        {
          format: { type: 'string' }, out: { type: 'string' }, status: { type: 'string' }, account: { type: 'string' }, till: { type: 'string' },
          from: { type: 'string' }, to: { type: 'string' }, min: { type: 'string' }, max: { type: 'string' }, q: { type: 'string' },
          profile: { type: 'string' }, json: { type: 'boolean' },
        },
        usage,
      );
      if (positionals.length) throw new AppError('CLI_USAGE', `Argumento inesperado: ${positionals[0]}\nUso: ${usage}`);
      const format = required(values.format, 'format');
      if (format !== 'csv' && format !== 'xlsx') throw new AppError('CLI_USAGE', `--format deve ser csv ou xlsx (recebido "${format}").`);
      const out = path.resolve(required(values.out, 'out'));
      if (!fs.existsSync(path.dirname(out))) throw new AppError('CLI_USAGE', `A pasta de ${out} não existe. Crie a pasta ou escolha outro --out.`);
      const filter = filterOf(values);
      const tmp = `${out}.${process.pid}.part`;
      const r = await withCore(values.profile, async (core) => {
        const totals = await core.handlers()['charges:summary']({ filter });
        let shown = 0;
        try {
          const w = await core.exporter.writeFile(filter, format, tmp, (rows, total) => {
            // A line per tenth on stderr, so a long export shows it is alive without flooding the terminal.
            const tenth = total ? Math.floor((rows * 10) / total) : 10;
            if (!values.json && tenth > shown && tenth < 10) {
              shown = tenth;
              io.err(`exportando: ${rows.toLocaleString('pt-BR')} de ${total.toLocaleString('pt-BR')} linhas…`);
            }
          });
          fs.renameSync(tmp, out);
          return { ...w, totals };
        } catch (e) {
          fs.rmSync(tmp, { force: true });
          throw e;
        }
      });
      if (values.json) io.out(JSON.stringify({ file: out, format, rows: r.rows, bytes: r.bytes, amountCents: r.totals.amountCents, paidCents: r.totals.paidCents }, null, 2));
      else io.out(`${r.rows.toLocaleString('pt-BR')} cobranças exportadas em ${out} (valor ${formatBrl(r.totals.amountCents)}, recebido ${formatBrl(r.totals.paidCents)}).`);
      return 0;
    },
  };
}
