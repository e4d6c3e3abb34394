import crypto from 'node:crypto';
import type { AccountRow, AccountStore } from '../accounts/account-store';
import { encodeDynamic, encodeStatic, parsePixKey } from '../brcode';
import type { ChargeView } from '../contract/types';
import { AppError, toErrorInfo, type ErrorInfo } from '../errors';
import type { EventBus } from '../events';
import { isTransient, PixApiError, type CobAnswer, type CobRequest, type ItauPixClient } from '../itau/pix-client';
import { centsToValor, checkCents, valorToCents } from './amount';
import { learnZuluFromCreation } from './bank-time';
import { OPEN_STATES, type ChargeRow, type ChargeStatus, type ChargeStore } from './charge-store';
import { dynamicTxid, staticTxid } from './ids';
import { PaymentRecorder } from './payment-recorder';
import { chargeView } from './views';

/** What creating a charge takes (the contract's `charges:create`). */
export interface CreateChargeInput {
  accountId?: string | undefined;
  amountCents: number;
  description?: string | undefined;
  /** Seconds until the charge expires (calendario.expiracao). */
  expiresIn?: number | undefined;
  key?: string | undefined;
  till?: string | undefined;
  /** true: an offline static BR Code now; 'fallback': dynamic, or offline only if the bank cannot be used. */
  offline?: boolean | 'fallback' | undefined;
  /** Through the till's fixed QR (till-locations.ts): bound to its reusable location; one open charge per till. */
  tillQr?: boolean | undefined;
}

export interface ChargeServiceDeps {
  store: ChargeStore;
  accounts: AccountStore;
  events: EventBus;
  /** The Pix API client of an account (cached per account by the caller). */
  client: (accountId: string) => ItauPixClient;
  now: () => Date;
  /** Till name recorded on charges that name none. */
  till: () => string;
  /** Test hook: the crash tests kill the process after 'stored' (before the PUT) or 'answered' (before applying it). */
  afterStep?: (step: 'stored' | 'answered') => void;
  /** The fixed till QR (till-locations.ts); without it `tillQr` is refused. */
  tillLocs?: { prepare(accountId: string, till: string): Promise<number>; bind(chargeId: string, accountId: string, till: string, locId: number): void; locOf(chargeId: string): number | null };
}

export const DEFAULT_EXPIRES_IN = 3600;
const MAX_EXPIRES_IN = 2_147_483_647;

const EVENT_OF: Partial<Record<ChargeStatus, 'charge:paid' | 'charge:expired' | 'charge:cancelled'>> = {
  paid: 'charge:paid',
  expired: 'charge:expired',
  cancelled: 'charge:cancelled',
};

/**
 * Charges on Itaú's Pix API. A dynamic charge is stored (`creating`, with its txid) BEFORE the bank is called, and
 * every retry sends the same txid and body, so a lost answer can never make a second charge: the bank answers the
 * same charge again, or says the txid exists and it is read back with `GET /cob/{txid}`.
 */
export class ChargeService {
  /** Charges with a bank call in flight in this process (creation, recovery or cancel). */
  private readonly busy = new Set<string>();
  readonly payments: PaymentRecorder;

  constructor(private readonly d: ChargeServiceDeps) {
    this.payments = new PaymentRecorder({ store: d.store, events: d.events, now: d.now, view: (id) => this.view(id) });
  }

  /** The view of a stored charge. */
  view(id: string): ChargeView {
    return chargeView(this.d.store, this.row(id));
  }

  row(id: string): ChargeRow {
    const r = this.d.store.getCharge(id);
    if (!r) throw new AppError('CHARGE_NOT_FOUND', 'Cobrança não encontrada. Atualize a lista de cobranças.');
    return r;
  }

  /** The account a charge goes to: the one named, else the default; it must be active. */
  pickAccount(accountId: string | undefined): AccountRow {
    const a = accountId ? this.d.accounts.get(accountId) : this.d.accounts.defaultAccount();
    if (!a) throw new AppError('NO_ACCOUNT', 'Nenhuma conta ativa para receber. Cadastre uma conta Itaú em Contas (ou pixdesk accounts add).');
    if (!a.active) throw new AppError('ACCOUNT_INACTIVE', `A conta "${a.name}" está desativada. Reative-a em Contas ou escolha outra conta.`);
    return a;
  }

  /** Why the account cannot use the Pix API now, or null. */
  apiProblem(a: AccountRow): AppError | null {
    const cert = this.d.accounts.currentCertificate(a.id);
    if (Date.parse(cert.notAfter) <= this.d.now().getTime()) {
      return new AppError('CERT_EXPIRED', `O certificado da conta "${a.name}" expirou; o Itaú não aceita cobranças com ele. Renove o acesso com um novo token do gerente (Contas → onboarding) ou use uma cobrança offline (QR estático).`);
    }
    return null;
  }

  private pickKey(a: AccountRow, key: string | undefined): string {
    if (key === undefined || key.trim() === '') {
      const first = a.pixKeys[0];
      if (!first) throw new AppError('NO_PIX_KEY', `A conta "${a.name}" não tem chave Pix. Cadastre uma (Contas, ou pixdesk accounts keys add --account ${a.id} CHAVE).`);
      return first;
    }
    const k = parsePixKey(key).key;
    if (!a.pixKeys.includes(k)) {
      throw new AppError('KEY_NOT_ON_ACCOUNT', `A chave Pix ${k} não está cadastrada na conta "${a.name}". Cadastre-a na conta ou use uma das chaves dela.`);
    }
    return k;
  }

  /**
   * Create a charge. Bad input throws before anything is stored. `createdBy` (the id of the person logged in on the
   * calling page) is stored with the row itself, so the first `charge:created` already knows whose it is: a
   * cashier's page, which receives only its own charges' events, gets that one too.
   */
  async create(i: CreateChargeInput, createdBy: string | null = null): Promise<ChargeView> {
    const cents = checkCents(i.amountCents);
    const expiresIn = i.expiresIn ?? DEFAULT_EXPIRES_IN;
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
      throw new AppError('EXPIRES_INVALID', 'Validade inválida: informe os segundos até a cobrança expirar (inteiro maior que zero), ex.: 3600.');
    }
    const description = i.description?.trim() ? i.description.trim() : null;
    if (description !== null && description.length > 140) {
      throw new AppError('DESCRIPTION_TOO_LONG', `A descrição tem ${description.length} caracteres; o Pix aceita até 140.`);
    }
    const a = this.pickAccount(i.accountId);
    const key = this.pickKey(a, i.key);
    const base = { account: a, cents, expiresIn, description, key, till: i.till?.trim() || this.d.till(), createdBy };
    if (i.tillQr && i.offline) {
      throw new AppError('TILL_QR_OFFLINE', 'O QR fixo do caixa só funciona com o banco: ele não tem cobrança offline. Use o QR na tela (sem QR fixo) para uma cobrança offline.');
    }
    if (i.tillQr && !this.d.tillLocs) throw new AppError('TILL_QR_UNAVAILABLE', 'O QR fixo do caixa não está disponível nesta instalação.');
    if (i.offline === true) return this.createStatic(base, null);
    const problem = this.apiProblem(a);
    if (problem) {
      if (i.offline === 'fallback') return this.createStatic(base, problem.message);
      throw problem;
    }
    // The fixed QR: refused while the till has an open charge on it; its location is created at the first use.
    const locId = i.tillQr && this.d.tillLocs ? await this.d.tillLocs.prepare(a.id, base.till) : null;
    const at = this.d.now();
    const row: ChargeRow = {
      id: crypto.randomUUID(), txid: dynamicTxid(), account_id: a.id, till: base.till, kind: 'dynamic', status: 'creating',
      amount_cents: cents, description, pix_key: key, expires_in: expiresIn, expires_at: new Date(at.getTime() + expiresIn * 1000).toISOString(),
      created_at: at.toISOString(), updated_at: at.toISOString(), paid_at: null, paid_cents: null, e2eid: null, payer_name: null,
      payer_doc_masked: null, br_code: null, location: null, bank_status: null, bank_revision: null, attempts: 0, last_error_code: null,
      last_error: null, cancel_at_bank: 0, replaced_by: null,
    };
    // Durable before the bank sees the txid: a crash from here on is finished or explained by recoverPending().
    this.d.store.insertCharge(row, createdBy);
    if (locId !== null) this.d.tillLocs?.bind(row.id, a.id, base.till, locId);
    this.d.afterStep?.('stored');
    try {
      return await this.finishCreation(row.id);
    } catch (e) {
      if (i.offline === 'fallback' && (isTransient(e) || (e instanceof AppError && e.code === 'CHARGE_PENDING'))) {
        const offline = this.createStatic(base, toErrorInfo(e).message);
        // The bank may hold the dynamic charge (answer lost): cancel it there once it is reachable again.
        this.update(row.id, { status: 'failed', cancel_at_bank: 1, replaced_by: offline.id, last_error_code: 'REPLACED_OFFLINE',
          last_error: 'O banco não respondeu; esta cobrança foi substituída por uma cobrança offline (QR estático, a confirmar).' });
        return offline;
      }
      throw e;
    }
  }

  private createStatic(b: { account: AccountRow; cents: number; expiresIn: number; description: string | null; key: string; till: string; createdBy: string | null }, why: string | null): ChargeView {
    const at = this.d.now();
    const txid = staticTxid();
    const brCode = encodeStatic({ key: b.key, name: b.account.company, city: b.account.city, amount: centsToValor(b.cents), txid, description: b.description });
    const id = crypto.randomUUID();
    this.d.store.insertCharge({
      id, txid, account_id: b.account.id, till: b.till, kind: 'static', status: 'pending_confirmation', amount_cents: b.cents,
      description: b.description, pix_key: b.key, expires_in: b.expiresIn, expires_at: new Date(at.getTime() + b.expiresIn * 1000).toISOString(),
      created_at: at.toISOString(), updated_at: at.toISOString(), paid_at: null, paid_cents: null, e2eid: null, payer_name: null,
      payer_doc_masked: null, br_code: brCode, location: null, bank_status: null, bank_revision: null,
      last_error_code: why ? 'OFFLINE' : null, last_error: why ? `Cobrança offline: ${why}` : null,
    }, b.createdBy);
    const v = this.view(id);
    this.d.events.publish('charge:created', { charge: v });
    return v;
  }

  private cobBody(r: ChargeRow): CobRequest {
    // Built only from stored columns, so every retry sends byte-for-byte the same request.
    return {
      calendario: { expiracao: r.expires_in },
      valor: { original: centsToValor(r.amount_cents), modalidadeAlteracao: 0 },
      chave: r.pix_key,
      ...(r.description ? { solicitacaoPagador: r.description } : {}),
      ...(locOf(this.d.tillLocs, r.id)),
    };
  }

  /** PUT the stored charge (same txid, same body) and apply the answer; recovers an existing txid with GET. */
  private async finishCreation(id: string): Promise<ChargeView> {
    if (this.busy.has(id)) throw new AppError('CHARGE_BUSY', 'Esta cobrança já está sendo criada. Aguarde um instante.');
    this.busy.add(id);
    try {
      const r = this.row(id);
      const client = this.d.client(r.account_id);
      this.update(id, { attempts: r.attempts + 1 });
      let cob: CobAnswer;
      try {
        cob = await client.putCob(r.txid, this.cobBody(r));
        this.d.afterStep?.('answered');
        const zulu = learnZuluFromCreation(cob.calendario?.criacao, this.d.now().getTime());
        if (zulu !== null) this.payments.setZulu(r.account_id, zulu);
      } catch (e) {
        cob = await this.recoverAfterPut(r, client, e);
      }
      return this.applyCob(id, cob, 'charge:created');
    } finally {
      this.busy.delete(id);
    }
  }

  private async recoverAfterPut(r: ChargeRow, client: ItauPixClient, e: unknown): Promise<CobAnswer> {
    if (isTransient(e)) {
      this.update(r.id, { last_error_code: 'CHARGE_PENDING', last_error: toErrorInfo(e).message });
      this.publishUpdated(r.id);
      throw new AppError('CHARGE_PENDING', `${toErrorInfo(e).message} A cobrança ficou pendente: o PixDesk vai concluí-la com o mesmo txid (sem risco de cobrar duas vezes). Não mostre o QR ao cliente até ela ficar ativa.`);
    }
    if (e instanceof PixApiError && [400, 409, 422].includes(e.problem.status)) {
      // "txid already exists" (an earlier attempt reached the bank and its answer was lost): read it back.
      const existing = await this.tryGetCob(client, r);
      if (existing && valorToCents(existing.valor.original) === r.amount_cents) return existing;
    }
    this.fail(r.id, e);
    throw e;
  }

  /** GET /cob/{txid}; null when the bank has no such charge. Transient failures propagate. */
  private async tryGetCob(client: ItauPixClient, r: ChargeRow): Promise<CobAnswer | null> {
    try {
      return await client.getCob(r.txid);
    } catch (e) {
      if (e instanceof PixApiError && e.problem.status === 404) return null;
      throw e;
    }
  }

  private fail(id: string, e: unknown): void {
    const info = toErrorInfo(e);
    this.update(id, { status: 'failed', last_error_code: info.code, last_error: info.message });
    this.publishUpdated(id);
  }

  private update(id: string, fields: Partial<Omit<ChargeRow, 'id'>>): void {
    this.d.store.updateCharge(id, { ...fields, updated_at: this.d.now().toISOString() });
  }

  private publishUpdated(id: string): void {
    this.d.events.publish('charge:updated', { charge: this.view(id) });
  }

  /** Bring a stored dynamic charge in line with the bank's answer, publishing what changed. */
  applyCob(id: string, cob: CobAnswer, createdEvent?: 'charge:created'): ChargeView {
    const before = this.row(id);
    const location = cob.location ?? cob.loc?.location ?? before.location;
    const a = this.d.accounts.get(before.account_id);
    const brCode = cob.pixCopiaECola ?? before.br_code ?? (location ? encodeDynamic({ url: location, name: a.company, city: a.city }) : null);
    let status: ChargeStatus = before.status;
    const expired = Date.parse(before.expires_at) <= this.d.now().getTime();
    if (cob.status === 'ATIVA') status = before.status === 'creating' || before.status === 'active' ? (expired ? 'expired' : 'active') : before.status;
    else if (cob.status === 'REMOVIDA_PELO_USUARIO_RECEBEDOR') status = before.status === 'paid' ? 'paid' : 'cancelled';
    else if (cob.status === 'REMOVIDA_PELO_PSP') status = before.status === 'paid' ? 'paid' : expired ? 'expired' : 'cancelled';
    this.update(id, {
      status, location, br_code: brCode, bank_status: cob.status, bank_revision: cob.revisao ?? before.bank_revision,
      ...(before.status === 'creating' ? { last_error_code: null, last_error: null } : {}),
    });
    if (cob.status === 'CONCLUIDA' || (cob.pix && cob.pix.length)) {
      // Payments are recorded (and the charge marked paid) in one place, shared with the reconciliation.
      if (createdEvent && before.status === 'creating') this.d.events.publish(createdEvent, { charge: this.view(id) });
      this.payments.recordCobPayments(this.row(id), cob.pix ?? []);
      return this.view(id);
    }
    const v = this.view(id);
    if (before.status === 'creating' && createdEvent) this.d.events.publish(createdEvent, { charge: v });
    else if (status !== before.status) this.d.events.publish(EVENT_OF[status] ?? 'charge:updated', { charge: v });
    return v;
  }

  /**
   * Finish or explain charges left in `creating` (a crash, a lost answer, the bank down): ask the bank first; if it
   * has the txid, adopt its answer; if not and the charge is still valid, PUT it (same txid); if it expired
   * meanwhile, mark it failed saying that nothing was charged.
   */
  async recoverPending(): Promise<void> {
    for (const r of this.d.store.inStates(['creating'])) {
      if (this.busy.has(r.id)) continue;
      try {
        const a = this.d.accounts.get(r.account_id);
        const problem = !a.active ? new AppError('ACCOUNT_INACTIVE', `A conta "${a.name}" foi desativada antes de o banco confirmar esta cobrança; nada foi cobrado.`) : this.apiProblem(a);
        if (problem) {
          this.fail(r.id, problem);
          continue;
        }
        const client = this.d.client(r.account_id);
        this.busy.add(r.id);
        let existing: CobAnswer | null;
        try {
          existing = await this.tryGetCob(client, r);
        } finally {
          this.busy.delete(r.id);
        }
        if (existing) this.applyCob(r.id, existing, 'charge:created');
        else if (Date.parse(r.expires_at) <= this.d.now().getTime()) {
          this.fail(r.id, new AppError('CHARGE_NEVER_CREATED', 'O banco não chegou a criar esta cobrança e ela já teria expirado; nada foi cobrado. Crie uma nova se ainda precisar.'));
        } else await this.finishCreation(r.id);
      } catch {
        // Still unreachable: the row keeps its last error and is tried again on the next round.
      }
    }
    for (const r of this.d.store.toCancelAtBank()) {
      try {
        const client = this.d.client(r.account_id);
        const cob = await this.tryGetCob(client, r);
        if (cob?.status === 'ATIVA') await client.patchCob(r.txid, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' });
        this.update(r.id, { cancel_at_bank: 0 });
      } catch {
        /* next round */
      }
    }
  }

  /** The charge with its current state at the bank when it is still open (a bank failure is shown on the view). */
  async refresh(id: string): Promise<ChargeView> {
    const r = await this.poll(id);
    return r.failure ? { ...r.view, error: r.failure } : r.view;
  }

  /** Ask the bank about an open charge once; `failure` says why the bank could not be asked. */
  async poll(id: string): Promise<{ view: ChargeView; failure: ErrorInfo | null }> {
    const r = this.row(id);
    try {
      if (r.kind === 'static') {
        if (r.status === 'pending_confirmation') await this.payments.reconcileTxid(r, this.d.client(r.account_id));
      } else if (r.status === 'creating') {
        await this.recoverPending();
        const after = this.row(id);
        if (after.status === 'creating') return { view: this.view(id), failure: after.last_error ? { code: after.last_error_code ?? 'CHARGE_PENDING', message: after.last_error } : null };
      } else if (r.status === 'active') {
        this.applyCob(id, await this.d.client(r.account_id).getCob(r.txid));
      }
      return { view: this.expireIfDue(id), failure: null };
    } catch (e) {
      return { view: this.expireIfDue(id), failure: toErrorInfo(e) };
    }
  }

  /** Mark an open charge past its expiry as expired (unless paid meanwhile). */
  expireIfDue(id: string): ChargeView {
    const r = this.row(id);
    if ((r.status === 'active' || r.status === 'pending_confirmation') && Date.parse(r.expires_at) <= this.d.now().getTime()) {
      this.update(id, { status: 'expired' });
      const v = this.view(id);
      this.d.events.publish('charge:expired', { charge: v });
      return v;
    }
    return this.view(id);
  }

  /** Expire every open charge past its time. */
  expireDue(): void {
    for (const r of this.d.store.inStates(['active', 'pending_confirmation'])) {
      if (Date.parse(r.expires_at) <= this.d.now().getTime()) this.expireIfDue(r.id);
    }
  }

  /** Cancel an open charge: `PATCH /cob` with REMOVIDA_PELO_USUARIO_RECEBEDOR, or locally for an offline code. */
  async cancel(id: string): Promise<ChargeView> {
    const r = this.row(id);
    if (!OPEN_STATES.includes(r.status) && r.status !== 'expired') {
      throw new AppError('CHARGE_NOT_OPEN', `Esta cobrança não pode ser cancelada: ela está ${STATUS_PT[r.status]}.`);
    }
    if (r.kind === 'static' || r.status === 'creating') {
      if (r.status === 'creating') {
        // The bank may hold it already: make sure it is removed there when reachable.
        this.update(id, { cancel_at_bank: 1 });
      }
      this.update(id, { status: 'cancelled' });
      const v = this.view(id);
      this.d.events.publish('charge:cancelled', { charge: v });
      return v;
    }
    const client = this.d.client(r.account_id);
    try {
      return this.applyCob(id, await client.patchCob(r.txid, { status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' }));
    } catch (e) {
      if (e instanceof PixApiError && e.problem.status === 400) {
        // Not ATIVA any more (paid a moment ago?): show what the bank has.
        const v = this.applyCob(id, await client.getCob(r.txid));
        if (v.status === 'paid') throw new AppError('CHARGE_ALREADY_PAID', 'A cobrança já foi paga e não pode mais ser cancelada. Para devolver o valor, use "Devolver".');
        return v;
      }
      throw e;
    }
  }
}

/** `loc: {id}` for a charge bound to its till's fixed QR (stored, so a retry sends the same body). */
function locOf(tills: ChargeServiceDeps['tillLocs'], chargeId: string): { loc?: { id: number } } {
  const id = tills?.locOf(chargeId) ?? null;
  return id === null ? {} : { loc: { id } };
}

/** Status names in pt-BR, for messages. */
export const STATUS_PT: Record<ChargeStatus, string> = {
  creating: 'em criação',
  active: 'ativa',
  pending_confirmation: 'a confirmar',
  paid: 'paga',
  expired: 'expirada',
  cancelled: 'cancelada',
  failed: 'com falha',
};
