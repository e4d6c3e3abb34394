import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

const root = path.resolve(__dirname, '..', '..', '..');

/** A token sheet issued by the real CLI against a profile's local sandbox, as Itaú would e-mail it. */
export interface IssuedSheet {
  clientId: string;
  expiresAt: string;
  file: string;
}

/**
 * `pixdesk sandbox issue-token --profile DIR --out "<profile>/sheet-…/Credencial e Token.xlsx" --json`. The sheet
 * holds a live token, so it is written inside the test's profile folder, which the host fixture removes.
 */
export function issueSandboxSheet(profileDir: string, validHours?: number): IssuedSheet {
  const dir = fs.mkdtempSync(path.join(profileDir, 'sheet-'));
  const out = path.join(dir, 'Credencial e Token.xlsx');
  const args = [path.join(root, 'dist/main/cli.cjs'), 'sandbox', 'issue-token', '--profile', profileDir, '--out', out, '--json'];
  if (validHours !== undefined) args.push('--valid-hours', String(validHours));
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const issued = JSON.parse(stdout) as IssuedSheet;
  expect(fs.existsSync(issued.file)).toBe(true);
  return issued;
}

/** What the review step asks for. */
export interface CompanyData {
  name?: string;
  company: string;
  city: string;
  state: string;
  environment: 'Sandbox' | 'Produção';
}

/** The Contas screen and its onboarding wizard, as a person sees them. */
export class AccountsPage {
  readonly wizard: Locator;

  constructor(readonly page: Page) {
    this.wizard = page.getByRole('dialog', { name: /Adicionar conta Itaú|Retomar cadastro/ });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Contas' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Contas Itaú' })).toBeVisible();
  }

  async startWizard(): Promise<void> {
    await this.page.getByRole('button', { name: 'Adicionar conta' }).click();
    await expect(this.wizard).toBeVisible();
    await expect(this.wizard.getByText('Arraste a planilha ou o e-mail aqui')).toBeVisible();
  }

  fileInput(): Locator {
    return this.wizard.getByTestId('credential-file');
  }

  async dropFile(file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.fileInput().setInputFiles(file);
  }

  /** A real drag and drop of a file from disk onto the wizard's drop zone (dragenter → dragover → drop). */
  async dragAndDrop(file: string): Promise<void> {
    const data = fs.readFileSync(file).toString('base64');
    const dt = await this.page.evaluateHandle(
      ({ name, b64 }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const t = new DataTransfer();
        t.items.add(new File([bytes], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
        return t;
      },
      { name: path.basename(file), b64: data },
    );
    const zone = this.wizard.getByTestId('credential-file-zone');
    await zone.dispatchEvent('dragenter', { dataTransfer: dt });
    await zone.dispatchEvent('dragover', { dataTransfer: dt });
    await expect(zone).toContainText('Solte para importar');
    await zone.dispatchEvent('drop', { dataTransfer: dt });
  }

  async expectReview(clientId: string): Promise<void> {
    await expect(this.wizard.getByTestId('review-client-id')).toHaveText(clientId);
    await expect(this.wizard.getByTestId('token-countdown')).toHaveText(/^expira em \d+ d \d+ h \d+ min$/);
  }

  async fillCompany(d: CompanyData): Promise<void> {
    const w = this.wizard;
    if (d.name !== undefined) await w.getByLabel('Nome da conta', { exact: true }).fill(d.name);
    await w.getByLabel('Empresa', { exact: true }).fill(d.company);
    await w.getByLabel('Cidade', { exact: true }).fill(d.city);
    await w.getByLabel('UF', { exact: true }).selectOption(d.state);
    await w.getByRole('radio', { name: d.environment, exact: true }).check();
  }

  async generate(): Promise<void> {
    await this.wizard.getByRole('button', { name: 'Gerar certificado e conectar' }).click();
  }

  async expectDone(): Promise<void> {
    const done = this.wizard.getByTestId('onboarding-done');
    await expect(done).toBeVisible();
    await expect(this.wizard.getByRole('heading', { name: 'Conta conectada' })).toBeVisible();
    for (const label of ['Gerando a chave de segurança da conta', 'Pedindo o certificado ao Itaú', 'Conferindo o certificado', 'Testando a conexão com o Itaú']) {
      await expect(done.locator('li[data-state="done"]', { hasText: label })).toBeVisible();
    }
  }

  async closeDone(): Promise<void> {
    await this.wizard.getByRole('button', { name: 'Ver contas' }).click();
    await expect(this.wizard).toBeHidden();
  }

  /** An account card by its name (as shown in the title). */
  card(name: string | RegExp): Locator {
    return this.page.getByTestId('account-card').filter({ has: this.page.getByTestId('account-name').getByText(name, { exact: true }) });
  }

  /** An account card by its Client ID (stable while the name is being edited). */
  cardByClientId(clientId: string): Locator {
    return this.page.getByTestId('account-card').filter({ hasText: clientId });
  }

  /** The whole happy path from a sheet on disk to the account card. */
  async onboard(file: string, clientId: string, d: CompanyData): Promise<void> {
    await this.startWizard();
    await this.dropFile(file);
    await this.expectReview(clientId);
    await this.fillCompany(d);
    await this.generate();
    await this.expectDone();
    await this.closeDone();
  }
}

/** "dd/mm/aaaa" in São Paulo for an instant. */
export function brDate(d: Date): string {
  return new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}
