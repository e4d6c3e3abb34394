import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { OnboardingView } from '../../main/core/contract';
import { Icon } from '../components/Icon';
import { formatDateTime } from '../format';
import { messages } from '../messages';
import { destinationText, overrideHost, validateForm, type ReviewErrors, type ReviewForm } from './form';
import { formatCountdown, useNow } from './time';
import { ITAU_PIX_URL as DEFAULT_PIX, ITAU_STS_URL as DEFAULT_STS, PEM_CERT_RE, TEXT_LIMITS, UFS } from '../../main/core/contract/limits';

/** A labelled field with its hint and error wired to the control by id. */
function Field(props: { id: string; label: string; hint?: string; error?: string; children: ReactNode; className?: string }) {
  return (
    <div className={`field ${props.error ? 'has-error' : ''} ${props.className ?? ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error ? (
        <span className="field-error" id={`${props.id}-err`}>
          <Icon name="alert" size={14} />
          {props.error}
        </span>
      ) : props.hint ? (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  return error ? `${id}-err` : hint ? `${id}-hint` : undefined;
}

/** Where the token came from: "Planilha "Credencial e Token.xlsx", aba "Token"" and "Client ID em A2, token em B2". */
function sourceText(v: OnboardingView): { what: string; cells: string | null } {
  const m = messages.onboarding.review;
  const s = v.source;
  const parts: string[] = [m.sourceKinds[s.kind] ?? s.kind];
  if (s.fileName) parts[0] += ` "${s.fileName}"`;
  if (s.attachmentName) parts.push(`"${s.attachmentName}"`);
  if (s.sheet) parts.push(m.sheet(s.sheet));
  const cells = Object.entries(s.cells ?? {}).map(([k, ref]) => m.cellAt(m.cells[k] ?? k, ref));
  return { what: parts.join(', '), cells: cells.length ? cells.join(', ') : null };
}

/** Step 2: what was read from the sheet (never the token) and the company data that goes into the certificate. */
export function ReviewStep(props: {
  view: OnboardingView;
  form: ReviewForm;
  /** Errors main placed on the form's fields (`onboarding:run` refused them), shown as if the form had found them. */
  serverErrors?: ReviewErrors | null;
  onChange: (f: ReviewForm) => void;
  onSubmit: () => void;
  onImportAnother: () => void;
  /** Why main refused the advanced addresses (shown by the actions). */
  submitError?: string | null;
}) {
  const m = messages.onboarding.review;
  const { view, form } = props;
  const now = useNow(1000);
  const id = useId();
  const [errors, setErrors] = useState<ReviewErrors>(() => props.serverErrors ?? {});
  const [tried, setTried] = useState(() => !!props.serverErrors);
  const [advanced, setAdvanced] = useState(() => !!(form.stsUrl || form.pixUrl || form.extraCaPem || form.renewalPath !== 'v1'));
  const caInput = useRef<HTMLInputElement>(null);
  // Advanced addresses send the single-use token elsewhere: the host is named back before anything runs.
  const [confirming, setConfirming] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The question must be seen: bring it into view above the sticky actions and put the focus on its answer.
    if (!confirming) return;
    confirmRef.current?.scrollIntoView({ block: 'center' });
    confirmRef.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  }, [confirming]);
  const formRef = useRef<HTMLFormElement>(null);

  const msLeft = Date.parse(view.tokenExpiresAt) - now;
  const source = sourceText(view);
  const expired = view.tokenExpired || msLeft <= 0;

  function set<K extends keyof ReviewForm>(key: K, value: ReviewForm[K]) {
    const next = { ...props.form, [key]: value };
    props.onChange(next);
    if (key === 'stsUrl' || key === 'pixUrl' || key === 'environment') setConfirming(null);
    if (tried) setErrors((e) => ({ ...validateForm(next), extraCaPem: key === 'extraCaPem' ? undefined : e.extraCaPem }));
  }

  async function onCaFile(file: File | undefined) {
    if (!file) return;
    const text = await file.text().catch(() => '');
    if (!PEM_CERT_RE.test(text) || text.length > TEXT_LIMITS.caPem) {
      setErrors((e) => ({ ...e, extraCaPem: m.caInvalid }));
      return;
    }
    setErrors((e) => ({ ...e, extraCaPem: undefined }));
    props.onChange({ ...props.form, extraCaPem: text.trim(), caFileName: file.name });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    const errs = validateForm(form);
    setErrors(errs);
    const first = Object.keys(errs)[0];
    if (first) {
      if (first === 'stsUrl' || first === 'pixUrl') setAdvanced(true);
      window.setTimeout(() => formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus(), 0);
      return;
    }
    const host = overrideHost(form);
    if (host && confirming !== host) {
      setConfirming(host);
      return;
    }
    setConfirming(null);
    props.onSubmit();
  }

  const hasErrors = Object.values(errors).some(Boolean);
  const envMismatch =
    form.environment !== view.suggestedEnvironment ? (view.suggestedEnvironment === 'sandbox' ? m.envMismatchSandbox : m.envMismatchProduction) : null;

  return (
    <form ref={formRef} className="ob-review" onSubmit={submit} noValidate>
      <section className="ob-cred" aria-labelledby={`${id}-cred-title`} data-testid="review-credential">
        <h3 id={`${id}-cred-title`}>
          <Icon name="key" size={18} />
          {m.credential}
        </h3>
        <dl className="ob-cred-grid">
          <div>
            <dt>{m.clientId}</dt>
            <dd className="mono strong" data-testid="review-client-id">
              {view.clientId}
            </dd>
          </div>
          <div>
            <dt>{m.validity}</dt>
            <dd>
              {formatDateTime(view.tokenExpiresAt)}{' '}
              <span className={`ob-countdown ${expired ? 'is-expired' : msLeft < 86_400_000 ? 'is-soon' : ''}`} data-testid="token-countdown">
                <Icon name="clock" size={14} />
                {expired ? m.expired : m.countdown(formatCountdown(msLeft))}
              </span>
              <small className={`ob-sub ${view.expirySource === 'assumed-72h' ? 'is-warn' : ''}`}>{m.expirySource[view.expirySource]}</small>
            </dd>
          </div>
          <div>
            <dt>{m.fingerprint}</dt>
            <dd>
              <span className="mono">{view.tokenFingerprint}</span>
              <small className="ob-sub">{m.fingerprintHint}</small>
            </dd>
          </div>
          <div>
            <dt>{m.source}</dt>
            <dd>
              {source.what}
              {source.cells ? <small className="ob-sub">{source.cells}</small> : null}
            </dd>
          </div>
        </dl>
        {view.warnings.length ? (
          <div className="alert warn ob-warnings" role="note">
            <strong>{m.warnings}</strong>
            <ul>
              {view.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      {expired ? (
        <div className="ob-blocker" role="alert">
          <Icon name="clock" size={26} />
          <div>
            <strong>{m.expiredTitle}</strong>
            <p>{m.expiredBody}</p>
          </div>
        </div>
      ) : (
        <section className="ob-company" aria-labelledby={`${id}-company-title`}>
          <h3 id={`${id}-company-title`}>
            <Icon name="shield" size={18} />
            {m.companyTitle}
          </h3>
          <div className="ob-grid">
            <Field id={`${id}-name`} label={m.name} hint={m.nameHint} error={errors.name}>
              <input
                id={`${id}-name`}
                name="name"
                value={form.name}
                onChange={(e) => set('name', e.target.value)}
                placeholder={form.company.trim() || m.namePlaceholder}
                maxLength={80}
                aria-invalid={!!errors.name}
                aria-describedby={describedBy(`${id}-name`, errors.name, m.nameHint)}
              />
            </Field>
            <Field id={`${id}-company`} label={m.company} hint={m.companyHint} error={errors.company}>
              <input
                id={`${id}-company`}
                name="company"
                value={form.company}
                onChange={(e) => set('company', e.target.value)}
                placeholder={m.companyPlaceholder}
                maxLength={80}
                required
                aria-invalid={!!errors.company}
                aria-describedby={describedBy(`${id}-company`, errors.company, m.companyHint)}
              />
            </Field>
            <Field id={`${id}-city`} label={m.city} hint={m.cityHint} error={errors.city}>
              <input
                id={`${id}-city`}
                name="city"
                value={form.city}
                onChange={(e) => set('city', e.target.value)}
                placeholder={m.cityPlaceholder}
                maxLength={80}
                required
                aria-invalid={!!errors.city}
                aria-describedby={describedBy(`${id}-city`, errors.city, m.cityHint)}
              />
            </Field>
            <Field id={`${id}-state`} label={m.state} error={errors.state}>
              <select
                id={`${id}-state`}
                name="state"
                value={form.state}
                onChange={(e) => set('state', e.target.value)}
                required
                aria-invalid={!!errors.state}
                aria-describedby={describedBy(`${id}-state`, errors.state)}
              >
                <option value="">{m.statePlaceholder}</option>
                {UFS.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.code} — {u.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>

          <fieldset className="ob-env">
            <legend>{m.environment}</legend>
            <div className="ob-env-options">
              {(['sandbox', 'production'] as const).map((env) => (
                <label key={env} className={`ob-env-card is-${env} ${form.environment === env ? 'is-checked' : ''}`}>
                  <input
                    type="radio"
                    name="environment"
                    value={env}
                    checked={form.environment === env}
                    onChange={() => set('environment', env)}
                    aria-labelledby={`${id}-env-${env}`}
                    aria-describedby={`${id}-env-${env}-d`}
                  />
                  <span className="ob-env-text">
                    <strong id={`${id}-env-${env}`}>{env === 'sandbox' ? m.envSandbox : m.envProduction}</strong>
                    {view.suggestedEnvironment === env ? <em className="ob-env-suggested">{m.envSuggested}</em> : null}
                    <small id={`${id}-env-${env}-d`}>{env === 'sandbox' ? m.envSandboxHint : m.envProductionHint}</small>
                  </span>
                </label>
              ))}
            </div>
            {envMismatch ? (
              <p className="field-warn">
                <Icon name="alert" size={14} />
                {envMismatch}
              </p>
            ) : null}
          </fieldset>

          <div className="ob-advanced">
            <button type="button" className="ob-advanced-toggle" aria-expanded={advanced} aria-controls={`${id}-adv`} onClick={() => setAdvanced((a) => !a)}>
              <Icon name={advanced ? 'chevronDown' : 'chevronRight'} size={16} />
              {m.advanced}
              <small>{m.advancedHint}</small>
            </button>
            {advanced ? (
              <div id={`${id}-adv`} className="ob-advanced-body">
                <Field id={`${id}-sts`} label={m.stsUrl} hint={m.urlHint} error={errors.stsUrl}>
                  <input
                    id={`${id}-sts`}
                    name="stsUrl"
                    type="url"
                    value={form.stsUrl}
                    onChange={(e) => set('stsUrl', e.target.value)}
                    placeholder={form.environment === 'sandbox' ? messages.accounts.endpointSandbox : DEFAULT_STS}
                    spellCheck={false}
                    className="mono"
                    aria-invalid={!!errors.stsUrl}
                    aria-describedby={describedBy(`${id}-sts`, errors.stsUrl, m.urlHint)}
                  />
                </Field>
                <Field id={`${id}-pix`} label={m.pixUrl} hint={m.urlHint} error={errors.pixUrl}>
                  <input
                    id={`${id}-pix`}
                    name="pixUrl"
                    type="url"
                    value={form.pixUrl}
                    onChange={(e) => set('pixUrl', e.target.value)}
                    placeholder={form.environment === 'sandbox' ? messages.accounts.endpointSandbox : DEFAULT_PIX}
                    spellCheck={false}
                    className="mono"
                    aria-invalid={!!errors.pixUrl}
                    aria-describedby={describedBy(`${id}-pix`, errors.pixUrl, m.urlHint)}
                  />
                </Field>
                <div className={`field ${errors.extraCaPem ? 'has-error' : ''}`}>
                  <span className="field-label" id={`${id}-ca`}>
                    {m.ca}
                  </span>
                  <div className="ob-ca">
                    {form.extraCaPem ? (
                      <span className="chip">
                        <Icon name="file" size={14} />
                        {form.caFileName}
                        <button type="button" className="chip-x" aria-label={m.caRemove} onClick={() => props.onChange({ ...form, extraCaPem: null, caFileName: null })}>
                          <Icon name="close" size={12} />
                        </button>
                      </span>
                    ) : null}
                    <button type="button" onClick={() => caInput.current?.click()} aria-describedby={`${id}-ca`}>
                      <Icon name="upload" size={16} />
                      {m.caChoose}
                    </button>
                    <input
                      ref={caInput}
                      type="file"
                      accept=".pem,.crt,.cer"
                      className="visually-hidden"
                      tabIndex={-1}
                      aria-label={m.caFileLabel}
                      name="extraCaPem"
                      onChange={(e) => {
                        void onCaFile(e.currentTarget.files?.[0]);
                        e.currentTarget.value = '';
                      }}
                    />
                  </div>
                  {errors.extraCaPem ? (
                    <span className="field-error" role="alert">
                      <Icon name="alert" size={14} />
                      {errors.extraCaPem}
                    </span>
                  ) : (
                    <span className="hint">{m.caHint}</span>
                  )}
                </div>
                <fieldset className="ob-renewal">
                  <legend>{m.renewalPath}</legend>
                  {(['v1', 'v2'] as const).map((p) => (
                    <label key={p} className="ob-radio">
                      <input type="radio" name="renewalPath" value={p} checked={form.renewalPath === p} onChange={() => set('renewalPath', p)} />
                      <span>
                        <strong>{p === 'v1' ? m.renewalV1 : m.renewalV2}</strong>
                        <small className="mono">{p === 'v1' ? m.renewalV1Hint : m.renewalV2Hint}</small>
                      </span>
                    </label>
                  ))}
                </fieldset>
              </div>
            ) : null}
          </div>
        </section>
      )}

      {!expired ? (
        <p className="ob-destination" data-testid="token-destination">
          <Icon name="shield" size={14} />
          {m.destination} <strong className={overrideHost(form) ? 'mono' : undefined}>{destinationText(form)}</strong>
          <small className="ob-sub">{m.destinationHint}</small>
        </p>
      ) : null}
      {confirming && !expired ? (
        <div ref={confirmRef} className="alert warn ob-confirm" role="alertdialog" aria-labelledby={`${id}-confirm-title`} aria-describedby={`${id}-confirm-body`} data-testid="destination-confirm">
          <strong id={`${id}-confirm-title`}>{m.confirmTitle}</strong>
          <p id={`${id}-confirm-body`}>{m.confirmBody(confirming)}</p>
          <div className="ob-confirm-actions">
            <button type="button" className="ghost" onClick={() => setConfirming(null)}>
              {m.confirmBack}
            </button>
            <button type="submit" className="primary">
              {m.confirmSend(confirming)}
            </button>
          </div>
        </div>
      ) : null}
      {props.submitError ? (
        <p className="field-error" role="alert">
          <Icon name="alert" size={14} />
          {props.submitError}
        </p>
      ) : null}

      <div className="ob-actions">
        <button type="button" className={expired ? 'primary' : 'ghost'} onClick={props.onImportAnother}>
          <Icon name="upload" size={16} />
          {m.importAnother}
        </button>
        {hasErrors ? (
          <span className="field-error ob-actions-error" role="alert">
            {m.fixErrors}
          </span>
        ) : null}
        {!expired && !confirming ? (
          <button type="submit" className="primary lg">
            <Icon name="shield" size={18} />
            {m.submit}
          </button>
        ) : null}
      </div>
    </form>
  );
}
