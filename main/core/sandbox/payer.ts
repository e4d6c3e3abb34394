import crypto from 'node:crypto';
import { AppError } from '../errors';
import { decode, isValidCnpj, isValidCpf } from './brcode-bridge';
import type { ChargeRecord } from './charge-store';
import type { SandboxState } from './state';
import { BRASILIA_OFFSET_MS, brasiliaDate, fromCents, pixEndToEndId, toCents } from './util';

/** How the simulated payer pays. */
export interface PayOptions {
  /** "10.50" (or "10,50"). Required for a static code without amount; must match a fixed-amount charge. */
  amount?: string;
  /** Shown to the receiver as the payer's name (`pagador.nome`). */
  payerName?: string;
  /** Payer's CPF (11 digits) or CNPJ (14), shown in `pagador`; a random valid CPF when neither is given. */
  payerCpf?: string;
  payerCnpj?: string;
  /** Free text from the payer (`infoPagador`, ≤ 140). */
  infoPagador?: string;
}

/** What `seedPix` records. */
export interface SeedPixOptions {
  /** Receiver: its first registered key is used unless `chave` is given. */
  clientId?: string;
  chave?: string;
  /** How many Pix (1–100,000). */
  count: number;
  /** Amount of each ("1.00"); random between 1.00 and 500.00 when omitted. */
  valor?: string;
  /** Spread over [fromMs, toMs] (default: the hour before now). */
  fromMs?: number;
  toMs?: number;
  /** Every n-th Pix carries a static txid "SEED<n>" (0 = none, default). */
  txidEvery?: number;
}

/** A Pix the payer sent. */
export interface PaymentResult {
  endToEndId: string;
  /** The charge's txid (dynamic), the code's txid (static), or null for a static code with `***`. */
  txid: string | null;
  valor: string;
  chave: string;
  kind: 'dynamic' | 'static';
}

/** ISPBs of payer PSPs the simulated bank app rotates through (Banco do Brasil, Caixa, Nubank, Itaú). */
const PAYER_ISPBS = ['00000000', '00360305', '18236120', '60701190'];

const PAYER_NAMES = ['Maria da Silva', 'Joao Pereira', 'Ana Souza', 'Carlos Oliveira', 'Beatriz Santos', 'Paulo Lima'];

/** A valid random CPF (check digits computed), for payers who did not say who they are. */
function randomCpf(): string {
  const d = Array.from(crypto.randomBytes(9), (b) => b % 10);
  for (const len of [9, 10]) {
    const sum = d.slice(0, len).reduce((s, x, i) => s + x * (len + 1 - i), 0);
    const r = (sum * 10) % 11;
    d.push(r === 10 ? 0 : r);
  }
  const cpf = d.join('');
  return isValidCpf(cpf) ? cpf : randomCpf(); // all-equal digits are invalid: draw again
}

interface Payer {
  payerName: string;
  payerCpf: string | null;
  payerCnpj: string | null;
  infoPagador: string | null;
}

function payerOf(opts: PayOptions): Payer {
  if (opts.payerCpf !== undefined && !isValidCpf(opts.payerCpf)) refuse(`CPF do pagador inválido: ${opts.payerCpf} (11 dígitos com verificadores válidos).`);
  if (opts.payerCnpj !== undefined && !isValidCnpj(opts.payerCnpj)) refuse(`CNPJ do pagador inválido: ${opts.payerCnpj} (14 caracteres com verificadores válidos).`);
  if (opts.payerCpf !== undefined && opts.payerCnpj !== undefined) refuse('Informe CPF ou CNPJ do pagador, não os dois.');
  return {
    payerName: opts.payerName?.trim().slice(0, 140) || PAYER_NAMES[crypto.randomInt(PAYER_NAMES.length)]!,
    payerCpf: opts.payerCnpj !== undefined ? null : (opts.payerCpf ?? randomCpf()),
    payerCnpj: opts.payerCnpj ?? null,
    infoPagador: opts.infoPagador?.trim().slice(0, 140) || null,
  };
}

function refuse(message: string): never {
  throw new AppError('SANDBOX_PAY_REFUSED', message);
}

function parseAmount(raw: string | undefined | null): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const s = raw.trim().replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(s)) refuse(`Valor inválido: "${raw}". Use o formato 10.50.`);
  const [i = '0', f = ''] = s.split('.');
  const cents = Number(i) * 100 + Number(f.padEnd(2, '0'));
  if (cents <= 0) refuse('O valor do Pix deve ser maior que zero.');
  return cents;
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "31/01/2026 10:00" in Brasília. */
function brasiliaText(ms: number): string {
  const iso = new Date(ms + BRASILIA_OFFSET_MS).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}

/** Why a charge cannot be paid now, or null when it can. */
function chargeRefusal(c: ChargeRecord, now: Date): string | null {
  if (c.status === 'CONCLUIDA') return `A cobrança ${c.txid} já foi paga (CONCLUIDA); não é possível pagá-la de novo.`;
  if (c.status !== 'ATIVA') return `A cobrança ${c.txid} foi removida (${c.status}) e não pode mais ser paga.`;
  if (c.kind === 'cob') {
    const exp = c.createdMs + (c.body.calendario.expiracao ?? 86400) * 1000;
    if (now.getTime() > exp) return `A cobrança ${c.txid} expirou em ${brasiliaText(exp)} (horário de Brasília) e não pode mais ser paga.`;
  } else {
    const last = addDays(c.body.calendario.dataDeVencimento ?? '1970-01-01', c.body.calendario.validadeAposVencimento ?? 30);
    if (brasiliaDate(now) > last) return `A cobrança ${c.txid} não pode mais ser paga (último dia: ${last}).`;
  }
  return null;
}

function locationId(url: string): string | null {
  const m = /\/qr\/v2\/(?:cobv\/)?([0-9a-fA-F-]{36})\/?$/.exec(url.replace(/^https?:\/\//, ''));
  return m ? m[1]! : null;
}

/** Pay one charge inside the caller's write transaction; `find` re-reads it there (another process may pay it). */
function payCharge(state: SandboxState, find: () => ChargeRecord, asked: number | null, payer: Payer): PaymentResult {
  return state.charges.transaction(() => {
    const c = find();
    const now = state.now();
    const why = chargeRefusal(c, now);
    if (why) refuse(why);
    const expected = toCents(c.body.valor.original);
    const editable = c.kind === 'cob' && c.body.valor.modalidadeAlteracao === 1;
    if (asked !== null && asked !== expected && !editable) {
      refuse(`Valor diferente do cobrado: a cobrança é de ${c.body.valor.original}, foi informado ${fromCents(asked)}.`);
    }
    const valor = fromCents(asked ?? expected);
    const e2eid = pixEndToEndId(now, PAYER_ISPBS[crypto.randomInt(PAYER_ISPBS.length)]!);
    state.charges.insertPix({ e2eid, chargeId: c.id, txid: c.txid, chave: c.body.chave, valor, horarioMs: now.getTime(), ...payer }, [c.clientId]);
    state.charges.updateCharge(c.id, { status: 'CONCLUIDA', bumpRevisao: false });
    return { endToEndId: e2eid, txid: c.txid, valor, chave: c.body.chave, kind: 'dynamic' as const };
  });
}

/** Record a Pix to a key (static code or direct transfer), shown to the key's owner. */
function payToKey(state: SandboxState, chave: string, cents: number, txid: string | null, payer: Payer): PaymentResult {
  const now = state.now();
  const e2eid = pixEndToEndId(now, PAYER_ISPBS[crypto.randomInt(PAYER_ISPBS.length)]!);
  const valor = fromCents(cents);
  state.charges.transaction(() => {
    state.charges.insertPix({ e2eid, chargeId: null, txid, chave, valor, horarioMs: now.getTime(), ...payer }, state.charges.clientsUsingKey(chave));
  });
  return { endToEndId: e2eid, txid, valor, chave, kind: 'static' };
}

/**
 * Pay a BR Code as a payer's bank app would, recording the Pix in the sandbox state.
 * Dynamic code: the location is resolved to the charge bound to it now, which must be ATIVA, unexpired and
 * (unless its amount is editable) paid in full; it becomes CONCLUIDA with `pix[]`. Static code: a Pix on its key,
 * shown to the key's owner (or the clients that charge on that key, or every client when nobody does).
 */
export function payBrCode(state: SandboxState, brcode: string, opts: PayOptions = {}): PaymentResult {
  const d = decode(brcode.trim());
  const asked = parseAmount(opts.amount);
  const payer = payerOf(opts);
  if (d.url) {
    const id = locationId(d.url);
    if (!id) refuse(`Este QR Code aponta para ${d.url}, que não é uma cobrança deste sandbox.`);
    return payCharge(
      state,
      () => {
        const loc = state.locations.getByUuid(id);
        if (!loc) refuse('Cobrança não encontrada neste sandbox para este QR Code.');
        const c = loc.chargeId === null ? null : state.charges.getChargeById(loc.chargeId);
        if (!c) refuse('Este QR Code não tem cobrança vinculada no momento: o recebedor ainda não criou a próxima cobrança nesta location.');
        return c;
      },
      asked,
      payer,
    );
  }
  if (!d.pixKey) refuse('Este BR Code não tem chave Pix nem URL de cobrança.');
  const fixed = parseAmount(d.amount);
  if (fixed !== null && asked !== null && fixed !== asked) {
    refuse(`Valor diferente do QR Code: o código é de ${fromCents(fixed)}, foi informado ${fromCents(asked)}.`);
  }
  const cents = fixed ?? asked;
  if (cents === null) refuse('Este QR Code não traz valor: informe o valor a pagar (--amount).');
  return payToKey(state, d.pixKey, cents, d.txid && d.txid !== '***' ? d.txid : null, payer);
}

/** Pay the charge with this txid (the one a payer would reach through its QR Code). */
export function payTxid(state: SandboxState, txid: string, opts: PayOptions & { clientId?: string } = {}): PaymentResult {
  if (!/^[a-zA-Z0-9]{26,35}$/.test(txid)) refuse(`txid inválido: ${txid} (26 a 35 letras e dígitos).`);
  const asked = parseAmount(opts.amount);
  const payer = payerOf(opts);
  return payCharge(
    state,
    () => {
      const rows = state.db
        .prepare(`SELECT id FROM charges WHERE txid = ? ${opts.clientId ? 'AND client_id = ?' : ''}`)
        .all(...(opts.clientId ? [txid, opts.clientId.toLowerCase()] : [txid])) as { id: number }[];
      if (rows.length === 0) refuse(`Nenhuma cobrança com o txid ${txid} neste sandbox.`);
      if (rows.length > 1) refuse(`Há cobranças com o txid ${txid} para mais de um Client ID: informe --client-id.`);
      const c = state.charges.getChargeById(rows[0]!.id)!;
      if (!c.loc && c.status === 'ATIVA') refuse(`A cobrança ${txid} foi desvinculada da sua location e não pode ser paga por QR Code.`);
      return c;
    },
    asked,
    payer,
  );
}

/** A direct transfer to a Pix key, with no charge and no txid. */
export function payKey(state: SandboxState, chave: string, opts: PayOptions & { amount: string }): PaymentResult {
  const cents = parseAmount(opts.amount);
  if (cents === null) refuse('Informe o valor a transferir (--amount).');
  if (chave.trim() === '' || chave.length > 77) refuse('Informe a chave Pix do recebedor (--key).');
  return payToKey(state, chave.trim(), cents, null, payerOf(opts));
}

/** Record many received Pix in one transaction (fast enough for 10,000 in a benchmark setup). */
export function seedReceivedPix(state: SandboxState, o: SeedPixOptions): { count: number; fromMs: number; toMs: number; chave: string } {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 100_000) refuse('A quantidade deve ser um inteiro de 1 a 100000.');
  const chave = o.chave ?? (o.clientId ? state.keys.list(o.clientId)[0] : undefined);
  if (!chave) refuse('Informe a chave Pix (key) ou um Client ID com chave registrada (clientId).');
  const fixed = parseAmount(o.valor);
  const toMs = o.toMs ?? state.now().getTime();
  const fromMs = o.fromMs ?? toMs - 3600_000;
  if (fromMs > toMs) refuse('O início do intervalo deve ser anterior ao fim.');
  const owners = o.clientId ? [o.clientId.toLowerCase()] : state.charges.clientsUsingKey(chave);
  const step = o.count > 1 ? (toMs - fromMs) / (o.count - 1) : 0;
  state.charges.transaction(() => {
    for (let i = 0; i < o.count; i++) {
      const at = Math.round(fromMs + i * step);
      const cents = fixed ?? 100 + crypto.randomInt(49_901);
      const txid = o.txidEvery && i % o.txidEvery === 0 ? `SEED${i}` : null;
      const e2eid = pixEndToEndId(new Date(at), PAYER_ISPBS[i % PAYER_ISPBS.length]!);
      state.charges.insertPix({ e2eid, chargeId: null, txid, chave, valor: fromCents(cents), horarioMs: at, ...payerOf({}) }, owners);
    }
  });
  return { count: o.count, fromMs, toMs, chave };
}
