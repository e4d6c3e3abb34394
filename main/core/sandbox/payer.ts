import { AppError } from '../errors';
import { decode } from './brcode-bridge';
import type { ChargeRecord } from './charge-store';
import type { SandboxState } from './state';
import { brasiliaDate, fromCents, pixEndToEndId, toCents } from './util';

/** How the simulated payer pays. */
export interface PayOptions {
  /** "10.50" (or "10,50"). Required for a static code without amount; must match a fixed-amount charge. */
  amount?: string;
  /** Shown to the receiver as the payer's name (`pagador.nome`). */
  payerName?: string;
  /** Free text from the payer (`infoPagador`, ≤ 140). */
  infoPagador?: string;
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

/** Why a charge cannot be paid now, or null when it can. */
function chargeRefusal(c: ChargeRecord, now: Date): string | null {
  if (c.status !== 'ATIVA') return `A cobrança ${c.txid} está ${c.status} e não pode ser paga.`;
  if (c.kind === 'cob') {
    const exp = c.createdMs + (c.body.calendario.expiracao ?? 86400) * 1000;
    if (now.getTime() > exp) return `A cobrança ${c.txid} expirou em ${new Date(exp).toISOString()}.`;
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

/**
 * Pay a BR Code as a payer's bank app would, recording the Pix in the sandbox state.
 * Dynamic code: the charge at its location must be ATIVA, unexpired and (unless its amount is editable) paid in
 * full; it becomes CONCLUIDA with `pix[]`. Static code: a Pix on its key, shown to the clients that charge on that key
 * (or to every client when none does), with the code's txid.
 */
export function payBrCode(state: SandboxState, brcode: string, opts: PayOptions = {}): PaymentResult {
  const d = decode(brcode);
  const now = state.now();
  const asked = parseAmount(opts.amount);
  const e2eid = pixEndToEndId(now, PAYER_ISPBS[Math.floor(Math.random() * PAYER_ISPBS.length)]!);
  const payerName = opts.payerName?.trim().slice(0, 140) || null;
  const infoPagador = opts.infoPagador?.trim().slice(0, 140) || null;

  if (d.url) {
    const id = locationId(d.url);
    if (!id) refuse(`Este QR Code aponta para ${d.url}, que não é uma cobrança deste sandbox.`);
    return state.charges.transaction(() => {
      // Re-read inside the write transaction: another process may have paid the charge a moment ago.
      const c = state.charges.getChargeByLocation(id);
      if (!c) refuse('Cobrança não encontrada neste sandbox para este QR Code.');
      const why = chargeRefusal(c, now);
      if (why) refuse(why);
      const expected = toCents(c.body.valor.original);
      const editable = c.kind === 'cob' && c.body.valor.modalidadeAlteracao === 1;
      if (asked !== null && asked !== expected && !editable) {
        refuse(`Valor diferente do cobrado: a cobrança é de ${c.body.valor.original}, foi informado ${fromCents(asked)}.`);
      }
      const valor = fromCents(asked ?? expected);
      state.charges.insertPix(
        { e2eid, chargeId: c.id, txid: c.txid, chave: c.body.chave, valor, horarioMs: now.getTime(), payerName, infoPagador },
        [c.clientId],
      );
      state.charges.updateCharge(c.id, { status: 'CONCLUIDA', bumpRevisao: false });
      return { endToEndId: e2eid, txid: c.txid, valor, chave: c.body.chave, kind: 'dynamic' as const };
    });
  }

  if (!d.pixKey) refuse('Este BR Code não tem chave Pix nem URL de cobrança.');
  const fixed = parseAmount(d.amount);
  if (fixed !== null && asked !== null && fixed !== asked) {
    refuse(`Valor diferente do QR Code: o código é de ${fromCents(fixed)}, foi informado ${fromCents(asked)}.`);
  }
  const cents = fixed ?? asked;
  if (cents === null) refuse('Este QR Code não traz valor: informe o valor a pagar (--amount).');
  const txid = d.txid && d.txid !== '***' ? d.txid : null;
  const valor = fromCents(cents);
  const chave = d.pixKey;
  state.charges.transaction(() => {
    state.charges.insertPix(
      { e2eid, chargeId: null, txid, chave, valor, horarioMs: now.getTime(), payerName, infoPagador },
      state.charges.clientsUsingKey(chave),
    );
  });
  return { endToEndId: e2eid, txid, valor, chave, kind: 'static' };
}
