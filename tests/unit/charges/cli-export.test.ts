import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { runCli } from '../../../main/cli/index';
import { dayStartUtc, nextDay } from '../../../main/core/charges/list-query';
import { seedCharges } from '../../fixtures/seed-charges';
import { rmProfile, tempProfile } from './support';

/*
 * `pixdesk charges export` on a real profile seeded with the seeding script: the XLSX parsed back with SheetJS and
 * the CSV read as text, rows and totals compared with SQL over the same file, for several filters.
 */

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const profile = tempProfile();
let accounts: string[];
let db: Database.Database;

beforeAll(async () => {
  // Any command creates and migrates the profile; then seed it while no Core holds it.
  expect((await cli('charges', 'list', '--profile', profile)).code).toBe(0);
  const w = new Database(path.join(profile, 'pixdesk.sqlite'));
  accounts = seedCharges(w, { count: 4000, days: 30, end: new Date('2026-11-23T15:00:00Z'), seed: 5 }).accounts;
  w.close();
  db = new Database(path.join(profile, 'pixdesk.sqlite'), { readonly: true });
}, 60_000);

afterAll(() => {
  db.close();
  rmProfile(profile);
});

type Sums = { n: number; a: number; r: number };
const sums = (where: string, ...p: unknown[]) =>
  db.prepare(`SELECT count(*) AS n, coalesce(sum(amount_cents), 0) AS a, coalesce(sum(coalesce(paid_cents, 0)), 0) AS r FROM charges ${where}`).get(...p) as Sums;

function readXlsx(file: string) {
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer', cellDates: true });
  return XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[0]!]!);
}
const cents = (x: unknown) => Math.round((typeof x === 'number' ? x : 0) * 100);

describe('pixdesk charges export', () => {
  it('XLSX of a filter: every row, real numbers and dates, totals equal SQL', async () => {
    const file = path.join(profile, 'pagas.xlsx');
    const r = await cli('charges', 'export', '--format', 'xlsx', '--out', file, '--status', 'paid', '--from', '2026-11-01', '--to', '2026-11-15', '--min', '10,00', '--profile', profile, '--json');
    expect(r.code, r.err).toBe(0);
    const ref = sums("WHERE status = 'paid' AND created_at >= ? AND created_at < ? AND amount_cents >= 1000", dayStartUtc('2026-11-01'), dayStartUtc(nextDay('2026-11-15')));
    expect(ref.n).toBeGreaterThan(300);
    const rows = readXlsx(file);
    expect(rows).toHaveLength(ref.n);
    expect(rows.reduce((s, x) => s + cents(x['Valor (R$)']), 0)).toBe(ref.a);
    expect(rows.reduce((s, x) => s + cents(x['Recebido (R$)']), 0)).toBe(ref.r);
    expect(rows.every((x) => x['Status'] === 'Paga')).toBe(true);
    expect(rows[0]!['Criada em']).toBeInstanceOf(Date);
    expect(JSON.parse(r.out)).toMatchObject({ file, format: 'xlsx', rows: ref.n, amountCents: ref.a, paidCents: ref.r });
    // No temporary file left next to it.
    expect(fs.readdirSync(profile).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('CSV (pt-BR): BOM, ";" and decimal comma; account, till, amount range and text filters', async () => {
    const file = path.join(profile, 'conta.csv');
    const r = await cli('charges', 'export', '--format', 'csv', '--out', file, '--account', accounts[1]!, '--till', 'Caixa 2', '--max', '80.00', '--profile', profile);
    expect(r.code, r.err).toBe(0);
    const ref = sums("WHERE account_id = ? AND till = 'Caixa 2' AND amount_cents <= 8000", accounts[1]!);
    expect(ref.n).toBeGreaterThan(20);
    expect(r.out).toContain(`${ref.n.toLocaleString('pt-BR')} cobranças exportadas em ${file}`);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(ref.n + 1);
    expect(lines[0]).toBe('Criada em;Status;Valor (R$);Recebido (R$);Conta;Caixa;Descrição;Pagador;CPF/CNPJ do pagador;Pago em;txid;E2EID');
    const cols = lines.slice(1).map((l) => l.split(';'));
    expect(cols.every((c) => /^\d+,\d{2}$/.test(c[2]!) && c[5] === 'Caixa 2')).toBe(true);
    expect(cols.reduce((s, c) => s + Number(c[2]!.replace(',', '')), 0)).toBe(ref.a);
    expect(cols[0]![0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);

    // Text: a payer's first name (FTS over payer and description).
    const q = path.join(profile, 'maria.xlsx');
    expect((await cli('charges', 'export', '--format', 'xlsx', '--out', q, '--q', 'maria', '--profile', profile)).code).toBe(0);
    const ids = db.prepare("SELECT count(*) AS n FROM charges WHERE rowid IN (SELECT rowid FROM charges_fts WHERE charges_fts MATCH '\"maria\"*')").get() as { n: number };
    expect(ids.n).toBeGreaterThan(10);
    const rows = readXlsx(q);
    expect(rows).toHaveLength(ids.n);
    expect(rows.every((x) => /maria/i.test(`${String(x['Pagador'] ?? '')} ${String(x['Descrição'] ?? '')}`))).toBe(true);
  });

  it('bad input: a clear pt-BR line, exit 2, no file written', async () => {
    const out = path.join(profile, 'ruim.csv');
    const cases: [string[], RegExp][] = [
      [['--format', 'pdf'], /--format deve ser csv ou xlsx/],
      [['--format', 'csv', '--min', 'dez'], /--min inválido: "dez"/],
      [['--format', 'csv', '--from', '2026-02-30'], /--from: data inexistente/],
      [['--format', 'csv', '--status', 'pago'], /--status deve ser um de/],
      [['--format', 'csv', '--min', '50', '--max', '10'], /mínimo é maior que o máximo/],
      [['--format', 'csv', '--account', 'x'], /--account/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli('charges', 'export', ...args, '--out', out, '--profile', profile);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err).toMatch(msg);
      expect(fs.existsSync(out)).toBe(false);
    }
    const noDir = await cli('charges', 'export', '--format', 'csv', '--out', path.join(profile, 'nao', 'existe.csv'), '--profile', profile);
    expect(noDir.code).toBe(2);
    expect(noDir.err).toMatch(/A pasta de .* não existe/);
  });
});
