import crypto from 'node:crypto';
import type { AccountRow, AccountStore } from '../accounts/account-store';
import type { Db } from '../db';
import { AppError, toErrorInfo } from '../errors';
import { NetworkError } from '../itau/http';
import type { EndpointSettings, ResolvedEndpoints } from '../itau/endpoints';
import { createStsClient, parseCertificateResponse, type StsClientFactory } from '../itau/sts-client';
import type { TokenCache } from '../itau/token-cache';
import type { Logger } from '../log';
import type { Vault } from '../vault';
import type { EventBus } from '../events';
import { importCredentialFile, importCredentialPaste, type ImportedCredential } from './credential-import';
import { decodeJwt } from './jwt-claims';
import { findTokenUse, tokenReuseError } from './token-reuse';
import { buildCsrPem, generatePrivateKeyPem, normaliseSubject, verifyIssuedCertificate } from '../pki/csr';
import { confirmEndpoints, readEndpoints, type EndpointsRequest, type StoredEndpoints } from './token-destination';
import { sessionView, type OnboardingForm, type OnboardingSessionView, type SessionRow, type Step } from './session-view';

export type { OnboardingForm, OnboardingSessionView } from './session-view';

export interface OnboardingDeps {
  db: Db;
  vault: Vault;
  accounts: AccountStore;
  tokens: TokenCache;
  endpoints: (s: EndpointSettings) => Promise<ResolvedEndpoints>;
  now?: () => Date;
  /** RSA key generator (default: Node's native one; the benchmark swaps in node-forge's as its baseline). */
  generateKey?: () => string | Promise<string>;
  /** Test hook: called after each durable step (the crash tests kill the process here). */
  afterStep?: (step: string) => void;
  /** Builds the STS client (default: {@link createStsClient}). */
  sts?: StsClientFactory;
  /** `iss` of the tokens the local sandbox issues, so an imported sheet can suggest the sandbox environment. */
  sandboxIssuer?: string;
  /** Imports, steps that fail and completions are logged here (never the token, key or answer). */
  log?: Logger;
  /** Finishing touches on a new account before it is done (a sandbox account gets a Pix key); must be idempotent. */
  onAccountCreated?: (account: AccountRow) => Promise<void>;
  /** Where `onboarding:changed` is published on each step change (open screens follow it instead of polling). */
  events?: Pick<EventBus, 'publish'>;
  /**
   * Seam for "admin with the password asked again" once roles exist: called before an endpoint override is
   * stored; throw to refuse. Today nothing is plugged in (there are no roles or passwords yet).
   */
  authorizeEndpointChange?: (sessionId: string, host: string | null) => void;
}

const T = 'onboarding_sessions';

/**
 * The onboarding of one Itaú account as a durable state machine:
 * imported → prepared (key + CSR sealed) → requesting → response_stored → account_created → done.
 * Each step is committed before the next begins, so a crash loses nothing: the key and CSR exist before
 * the bank sees them, the bank's answer is stored in one transaction before it is used, and a restart
 * resumes where it stopped.
 */
export class OnboardingService {
  private readonly now: () => Date;
  private readonly running = new Set<string>();
  /**
   * Keys generated in the background from the moment a sheet is imported, while the person reviews it; kept in
   * memory only until `prepare` seals them. Bounded so abandoned imports cannot pile up.
   */
  private readonly pendingKeys = new Map<string, Promise<string>>();

  constructor(private readonly d: OnboardingDeps) {
    this.now = d.now ?? (() => new Date());
  }

  /** Read Itaú's spreadsheet or e-mail and keep the token sealed in a new session. */
  importFile(bytes: Buffer, fileName: string): OnboardingSessionView {
    return this.createSession(importCredentialFile(bytes, fileName, this.now()));
  }

  /** Manual paste of Client ID and temporary token. */
  importPaste(clientId: string, token: string): OnboardingSessionView {
    return this.createSession(importCredentialPaste(clientId, token, this.now()));
  }

  private createSession(c: ImportedCredential): OnboardingSessionView {
    // The same spreadsheet again: say at once what became of its single-use token, or go on with the same session.
    const used = findTokenUse(this.d.db, c.tokenSha256);
    if (used) {
      const refusal = tokenReuseError(used);
      if (refusal) throw refusal;
      if (!this.pendingKeys.has(used.sessionId)) this.startKey(used.sessionId);
      return this.get(used.sessionId);
    }
    const id = crypto.randomUUID();
    const at = this.now().toISOString();
    this.d.db
      .prepare(
        `INSERT INTO ${T} (id, client_id, token_enc, token_sha256, token_expires_at, expiry_source, source_json, step, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)`,
      )
      .run(id, c.clientId, this.d.vault.seal(T, 'token_enc', id, c.token), c.tokenSha256, c.tokenExpiresAt, c.expirySource,
        JSON.stringify({ ...c.source, warnings: c.warnings, suggestedEnvironment: suggestEnvironment(c.token, this.d.sandboxIssuer) }), at, at);
    this.startKey(id);
    this.d.log?.info({ sessionId: id, clientId: c.clientId, expirySource: c.expirySource, source: c.source.kind }, 'onboarding imported');
    this.changed(id);
    return this.get(id);
  }

  private newKey(): Promise<string> {
    return Promise.resolve().then(() => (this.d.generateKey ?? generatePrivateKeyPem)());
  }

  private startKey(id: string): void {
    const p = this.newKey();
    p.catch(() => undefined); // a failure surfaces when `prepare` awaits it
    this.pendingKeys.set(id, p);
    if (this.pendingKeys.size > 4) this.pendingKeys.delete(this.pendingKeys.keys().next().value as string);
  }

  private takeKey(id: string): Promise<string> {
    const p = this.pendingKeys.get(id) ?? this.newKey();
    this.pendingKeys.delete(id);
    return p;
  }

  private row(id: string): SessionRow {
    const r = this.d.db.prepare(`SELECT * FROM ${T} WHERE id = ?`).get(id) as SessionRow | undefined;
    if (!r) throw new AppError('ONBOARDING_NOT_FOUND', 'Onboarding não encontrado. Importe a planilha novamente.');
    return r;
  }

  get(id: string): OnboardingSessionView {
    return sessionView(this.row(id), this.now(), this.running.has(id));
  }

  /** Sessions not finished or discarded: what the UI offers to resume after a restart. */
  listOpen(): OnboardingSessionView[] {
    const rows = this.d.db.prepare(`SELECT * FROM ${T} WHERE step NOT IN ('done', 'discarded') ORDER BY created_at DESC`).all() as SessionRow[];
    return rows.map((r) => sessionView(r, this.now(), this.running.has(r.id)));
  }

  /** Abandon a session: its sealed token, key and response are wiped. */
  discard(id: string): OnboardingSessionView {
    const r = this.row(id);
    if (r.step === 'done') throw new AppError('ONBOARDING_DONE', 'Este onboarding já foi concluído.');
    if (r.step === 'requesting' || r.step === 'response_stored') {
      throw new AppError('ONBOARDING_IN_FLIGHT', 'O banco pode já ter emitido o certificado deste onboarding. Retome-o em vez de descartar, para não perder o certificado e a senha de acesso que o Itaú emitiu.');
    }
    this.pendingKeys.delete(id);
    this.update(id, { step: 'discarded', token_enc: this.d.vault.seal(T, 'token_enc', id, ''), key_enc: null, response_enc: null });
    this.scrubWal();
    return this.get(id);
  }

  /**
   * Set (or clear) where this session's token goes. Only before the request may have left (imported, or failed
   * before the CSR existed); `confirmHost` must name the destination host. `by` says who confirmed (ui, cli).
   */
  setEndpoints(id: string, req: EndpointsRequest, by = 'contract'): OnboardingSessionView {
    const r = this.row(id);
    if (!(r.step === 'imported' || (r.step === 'failed' && !r.csr_pem)) || this.running.has(id)) {
      throw new AppError(
        'ONBOARDING_ENDPOINTS_FROZEN',
        'O destino do token deste cadastro não pode mais mudar: a solicitação já foi preparada ou enviada. Para usar outro endereço, importe uma nova planilha com um token novo.',
      );
    }
    const ep = confirmEndpoints(req, this.now(), by);
    this.d.authorizeEndpointChange?.(id, ep?.host ?? null);
    this.update(id, { endpoints_json: ep ? JSON.stringify(ep) : null });
    return this.get(id);
  }

  /**
   * After a wipe: copy the WAL into the database and reset it, so older WAL frames holding the sealed token, key
   * or answer are gone too (secure_delete zeroes the freed space in the database file itself).
   */
  private scrubWal(): void {
    try {
      this.d.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A busy reader only delays this: the next checkpoint overwrites those frames.
    }
  }

  private update(id: string, fields: Partial<Record<keyof SessionRow, unknown>>): void {
    const keys = Object.keys(fields);
    const sql = `UPDATE ${T} SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @updated_at WHERE id = @id`;
    this.d.db.prepare(sql).run({ ...fields, updated_at: this.now().toISOString(), id });
    if ('step' in fields || 'error_code' in fields || 'endpoints_json' in fields) this.changed(id);
  }

  private changed(id: string): void {
    if (!this.d.events) return;
    const step = (this.d.db.prepare(`SELECT step FROM ${T} WHERE id = ?`).get(id) as { step: string } | undefined)?.step;
    if (step) this.d.events.publish('onboarding:changed', { id, status: step });
  }

  private fail(id: string, e: unknown, step: Step): never {
    const info = toErrorInfo(e);
    this.update(id, { step, error_code: info.code, error_message: info.message });
    this.d.log?.warn({ sessionId: id, step, err: e }, 'onboarding failed');
    throw e;
  }

  /**
   * Run (or resume) the onboarding until it is done or fails. `form` is required the first time and
   * ignored once the CSR exists (the CSR must not change after the bank may have seen it).
   */
  async run(id: string, form?: OnboardingForm): Promise<OnboardingSessionView> {
    if (this.running.has(id)) throw new AppError('ONBOARDING_BUSY', 'Este onboarding já está em andamento.');
    this.running.add(id);
    try {
      await this.advance(id, form);
      return this.get(id);
    } finally {
      this.running.delete(id);
      this.changed(id);
    }
  }

  private async advance(id: string, form: OnboardingForm | undefined): Promise<void> {
    let r = this.row(id);
    if (r.step === 'done') return;
    if (r.step === 'discarded') throw new AppError('ONBOARDING_DISCARDED', 'Este onboarding foi descartado. Importe a planilha novamente.');
    if (r.step === 'failed' && r.csr_pem) {
      // A failure after the bank saw the CSR cannot be retried with the same single-use token.
      throw new AppError(r.error_code ?? 'ONBOARDING_FAILED', r.error_message ?? 'Este onboarding falhou.');
    }
    if (r.step === 'imported' || r.step === 'failed') {
      if (!form) throw new AppError('ONBOARDING_INPUT', 'Preencha empresa, cidade e UF para gerar o certificado.');
      await this.prepare(r, form);
      r = this.row(id);
    }
    if (r.step === 'prepared' || r.step === 'requesting') {
      await this.exchange(r);
      r = this.row(id);
    }
    if (r.step === 'response_stored') {
      this.createAccount(r);
      r = this.row(id);
    }
    if (r.step === 'account_created' && r.account_id) {
      try {
        await this.d.onAccountCreated?.(this.d.accounts.get(r.account_id));
        await this.d.tokens.get(r.account_id);
      } catch (e) {
        const info = toErrorInfo(e);
        this.update(id, { error_code: info.code, error_message: info.message });
        throw e;
      }
      this.update(id, { step: 'done', error_code: null, error_message: null });
      this.d.log?.info({ sessionId: id, accountId: r.account_id }, 'onboarding done');
      this.d.afterStep?.('done');
    }
  }

  private tokenExpired(r: SessionRow): boolean {
    return Date.parse(r.token_expires_at) <= this.now().getTime();
  }

  /** Generate the key and CSR and seal them before anything goes to the bank. */
  private async prepare(r: SessionRow, form: OnboardingForm): Promise<void> {
    if (this.tokenExpired(r)) {
      this.fail(r.id, new AppError('TOKEN_EXPIRED', 'O token temporário desta planilha já expirou. Peça ao gerente Itaú um novo token e importe a nova planilha.'), 'failed');
    }
    const subject = normaliseSubject({ clientId: r.client_id, company: form.company, city: form.city, state: form.state });
    const keyPem = await this.takeKey(r.id);
    const csrPem = buildCsrPem(keyPem, subject);
    // The account keeps the names as typed (accents and all) for display; only the CSR subject is stripped.
    const f: OnboardingForm = { ...form, company: form.company.trim(), city: form.city.trim(), state: subject.state };
    this.update(r.id, {
      step: 'prepared', form_json: JSON.stringify(f), key_enc: this.d.vault.seal(T, 'key_enc', r.id, keyPem), csr_pem: csrPem,
      error_code: null, error_message: null,
    });
    this.d.afterStep?.('prepared');
  }

  private async exchange(r: SessionRow): Promise<void> {
    const form = JSON.parse(r.form_json ?? '{}') as OnboardingForm;
    const retry = r.step === 'requesting';
    if (this.tokenExpired(r)) {
      this.fail(r.id, new AppError('TOKEN_EXPIRED', 'O token temporário expirou antes da troca pelo certificado. Peça ao gerente Itaú um novo token.'), 'failed');
    }
    this.update(r.id, { step: 'requesting' });
    this.d.afterStep?.('requesting');
    const stored = readEndpoints(r.endpoints_json);
    const ep = await this.d.endpoints(endpointSettings(form, stored));
    if (stored && new URL(ep.stsUrl).host !== stored.host) {
      // Defence in depth: never send the token anywhere but the host that was confirmed.
      this.fail(r.id, new AppError('ENDPOINTS_MISMATCH', 'O destino do token não confere com o endereço confirmado. Nada foi enviado; importe a planilha novamente.'), 'failed');
    }
    const token = this.d.vault.openString(T, 'token_enc', r.id, r.token_enc);
    let text: string;
    try {
      const res = await (this.d.sts ?? createStsClient)(ep).requestCertificateRaw(token, r.csr_pem ?? '');
      text = res;
    } catch (e) {
      if (e instanceof NetworkError || (e instanceof AppError && e.code === 'BANK_UNAVAILABLE')) {
        // Unknown whether the bank consumed the token: stay in `requesting` so a retry sends the same CSR.
        const info = toErrorInfo(e);
        this.update(r.id, { error_code: info.code, error_message: `${info.message} Você pode retomar: o PixDesk reenviará a mesma solicitação.` });
        this.d.log?.warn({ sessionId: r.id, err: e }, 'onboarding exchange interrupted; a retry resends the same CSR');
        throw e;
      }
      if (retry && e instanceof AppError && e.code === 'TOKEN_REJECTED') {
        this.fail(r.id, new AppError('TOKEN_CONSUMED', 'O Itaú já usou este token numa tentativa anterior cuja resposta se perdeu (queda de conexão ou do computador). O token vale uma única vez: peça ao gerente Itaú um novo token e importe a nova planilha.'), 'failed');
      }
      this.fail(r.id, e, 'failed');
    }
    this.d.afterStep?.('response-received');
    this.d.db.transaction(() => {
      this.update(r.id, { step: 'response_stored', response_enc: this.d.vault.seal(T, 'response_enc', r.id, text), error_code: null, error_message: null });
    })();
    this.d.afterStep?.('response_stored');
  }

  /** Verify the stored answer and create the account with certificate v1 and the secret, in one transaction. */
  private createAccount(r: SessionRow): AccountRow {
    const form = JSON.parse(r.form_json ?? '{}') as OnboardingForm;
    const ep = readEndpoints(r.endpoints_json);
    const text = this.d.vault.openString(T, 'response_enc', r.id, r.response_enc ?? Buffer.alloc(0));
    const keyPem = this.d.vault.openString(T, 'key_enc', r.id, r.key_enc ?? Buffer.alloc(0));
    let account: AccountRow;
    try {
      const { secret, certPem } = parseCertificateResponse(text, true);
      const facts = verifyIssuedCertificate(certPem, keyPem, r.client_id, this.now());
      account = this.d.db.transaction(() => {
        const existing = this.d.accounts.findByClientId(r.client_id, form.environment);
        const a = existing ?? this.d.accounts.create(
          {
            name: form.name || form.company, environment: form.environment, clientId: r.client_id, company: form.company,
            city: form.city, state: form.state, stsUrl: ep?.stsUrl ?? null, pixUrl: ep?.pixUrl ?? null,
            extraCaPem: ep?.extraCaPem ?? null, renewalPath: form.renewalPath ?? 'v1', pixKeys: form.pixKeys ?? [],
          },
          { certPem, keyPem, facts },
          secret ?? '',
        );
        if (existing) {
          // Re-onboarding an account (certificate lapsed): a new version, never an edit.
          this.d.accounts.addCertificate(existing.id, { certPem, keyPem, facts }, 'onboarding');
          if (secret) this.d.accounts.setClientSecret(existing.id, secret);
        }
        // The key, secret and token now live only in the account: wipe the session's copies.
        this.update(r.id, {
          step: 'account_created', account_id: a.id, key_enc: null, response_enc: null,
          token_enc: this.d.vault.seal(T, 'token_enc', r.id, ''), error_code: null, error_message: null,
        });
        return a;
      })();
    } catch (e) {
      this.fail(r.id, e, 'failed');
    }
    this.scrubWal();
    this.d.afterStep?.('account_created');
    return account;
  }
}

/** Tokens issued by the local sandbox say so in `iss`; everything else is presumed to come from Itaú. */
function suggestEnvironment(token: string, sandboxIssuer: string | undefined): 'sandbox' | 'production' {
  return sandboxIssuer !== undefined && decodeJwt(token)?.payload.iss === sandboxIssuer ? 'sandbox' : 'production';
}

function endpointSettings(f: OnboardingForm, ep: StoredEndpoints | null): EndpointSettings {
  return { environment: f.environment, stsUrl: ep?.stsUrl ?? null, pixUrl: ep?.pixUrl ?? null, extraCaPem: ep?.extraCaPem ?? null, renewalPath: f.renewalPath ?? 'v1' };
}
