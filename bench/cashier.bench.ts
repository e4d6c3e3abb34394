import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { quantile, type BenchResult, type BenchSuite } from './harness';
import { startBuiltHost } from '../tests/fixtures/start-host';

/*
 * The Caixa in real Chromium against the built browser host (dist/main/host.cjs) and its local sandbox:
 * - "QR Code rápido": keypress in the amount field → the new QR in the page (the <img> of the QR gets its new src),
 *   200 keypresses, timed in the page (performance.now, a capture keydown listener and a MutationObserver).
 *   Baseline, same run: the page with the in-page preview switched off (localStorage), i.e. the debounced round trip
 *   to main that was the only path before.
 * - "Cobrar": Enter on the Caixa → the QR on the customer display (a second tab of the same host, driven by the live
 *   events), bank round trip included. Baseline, same run: the bare `charges:create` call from the page (no display,
 *   no events): the floor the display path adds to.
 */

const KEYPRESSES = 200;
const CHARGES = 40;
const root = path.resolve(__dirname, '..', '..');

function startHost(profileDir: string): Promise<{ url: string; child: ChildProcess }> {
  return startBuiltHost(path.join(root, 'dist/main/host.cjs'), profileDir, 30_000);
}

/** What the in-page functions use (this file is compiled without the DOM library: they run in Chromium). */
interface W {
  pixdesk: { invoke(op: string, input: unknown): Promise<unknown> };
  __lat: number[];
  __t0: number;
  __last: string;
  document: {
    addEventListener(type: 'keydown', fn: (e: { key: string }) => void, capture: boolean): void;
    querySelector(sel: string): { getAttribute(name: string): string | null } | null;
    body: unknown;
  };
  MutationObserver: new (cb: () => void) => { observe(target: unknown, opts: object): void };
  localStorage: { setItem(k: string, v: string): void };
  sessionStorage: { getItem(k: string): string | null };
  location: { hash: string };
}


/** Keypress → new QR src, in the page, for KEYPRESSES keys (digits typed, then erased, and again). */
async function quickQrLatencies(page: Page, baseUrl: string, preview: boolean): Promise<number[]> {
  await page.evaluate((on) => (globalThis as unknown as W).localStorage.setItem('pixdesk.quickQr.preview', on ? 'on' : 'off'), preview);
  await page.goto(`${baseUrl}#/caixa/rapido`);
  await page.reload();
  await page.getByLabel('Chave Pix').fill('52998224725');
  await page.getByLabel('Nome do recebedor').fill('Padaria Bench');
  await page.getByLabel('Cidade').fill('Sao Paulo');
  await page.getByTestId('qq-qr').waitFor();
  const amount = page.getByLabel('Valor', { exact: true });
  await amount.focus();
  await page.evaluate(() => {
    const w = globalThis as unknown as W;
    w.__lat = [];
    w.__t0 = 0;
    (globalThis as unknown as W).document.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
    const box = (globalThis as unknown as W).document.querySelector('.qq-result');
    new (globalThis as unknown as W).MutationObserver(() => {
      const img = (globalThis as unknown as W).document.querySelector('[data-testid="qq-qr"]');
      const src = img?.getAttribute('src') ?? '';
      if (w.__t0 && src !== w.__last) {
        w.__lat.push(performance.now() - w.__t0);
        w.__t0 = 0;
        w.__last = src;
      }
    }).observe(box, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    w.__last = (globalThis as unknown as W).document.querySelector('[data-testid="qq-qr"]')?.getAttribute('src') ?? '';
  });
  for (let i = 0; i < KEYPRESSES; i++) {
    // Six digits in, six out: every key changes the amount, hence the QR.
    const key = i % 12 < 6 ? String((i % 9) + 1) : 'Backspace';
    await page.keyboard.press(key);
    await page.waitForFunction((n) => (globalThis as unknown as W).__lat.length >= n, i + 1, { timeout: 10_000 }).catch((e: unknown) => {
      throw new Error(`QR Code rápido (preview ${preview ? 'on' : 'off'}): no new QR after key ${i} (${key}): ${String(e)}`);
    });
  }
  return page.evaluate(() => (globalThis as unknown as W).__lat);
}

/** Enter on the Caixa → the new QR on the display tab (epoch ms in both pages), then Esc; and the bare RPC. */
async function chargeLatencies(context: BrowserContext, till: Page, origin: string): Promise<{ display: number[]; rpc: number[] }> {
  await till.evaluate(async () => {
    const b = (globalThis as unknown as W).pixdesk;
    const s = (await b.invoke('onboarding:sandboxToken', {})) as { value: { id: string } };
    await b.invoke('onboarding:run', { id: s.value.id, form: { name: 'Bench', company: 'Padaria Bench', city: 'Sao Paulo', state: 'SP', environment: 'sandbox' } });
  });
  // Reloaded on #/caixa so the till sees the account just connected.
  await till.evaluate(() => ((globalThis as unknown as W).location.hash = '#/caixa'));
  await till.reload();
  await till.getByLabel('Valor', { exact: true }).waitFor();
  const link = await till.evaluate(async () => {
    const headers = { 'Content-Type': 'application/json', 'X-PixDesk-Session': (globalThis as unknown as W).sessionStorage.getItem('pixdesk.session') ?? '' };
    const r = (await (await fetch('/session/handoff', { method: 'POST', headers, body: '{}' })).json()) as { value: { url: string } };
    return r.value.url;
  });
  const display = await context.newPage();
  await display.goto(`${origin}${link}#/display`);
  await display.getByTestId('display').waitFor();
  await till.evaluate(() => (globalThis as unknown as W).document.addEventListener('keydown', (e) => e.key === 'Enter' && ((globalThis as unknown as W).__t0 = performance.timeOrigin + performance.now()), true));
  await display.evaluate(() => {
    const w = globalThis as unknown as W;
    w.__lat = [];
    w.__last = '';
    new (globalThis as unknown as W).MutationObserver(() => {
      const src = (globalThis as unknown as W).document.querySelector('[data-testid="display-qr"]')?.getAttribute('src') ?? '';
      if (src && src !== w.__last) {
        w.__last = src;
        w.__lat.push(performance.timeOrigin + performance.now());
      }
    }).observe((globalThis as unknown as W).document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
  });
  const out: number[] = [];
  for (let i = 0; i < CHARGES + 3; i++) {
    await till.keyboard.type(String(100 + i));
    await till.keyboard.press('Enter');
    await display.waitForFunction((n) => (globalThis as unknown as W).__lat.length >= n, i + 1, { timeout: 10_000 }).catch(async (e: unknown) => {
      await till.screenshot({ path: path.join(os.tmpdir(), 'pixdesk-bench-till.png') });
      await display.screenshot({ path: path.join(os.tmpdir(), 'pixdesk-bench-display.png') });
      throw new Error(`Cobrar: the display showed no new QR for charge ${i}: ${String(e)}`);
    });
    const shown = await display.evaluate((n) => (globalThis as unknown as W).__lat[n] as number, i);
    const pressed = await till.evaluate(() => (globalThis as unknown as W).__t0);
    if (i >= 3) out.push(shown - pressed); // 3 warm-ups
    // The display may hear of the charge before the till has its answer: cancel only once the till shows it.
    const cents = 100 + i;
    const shownAmount = `R$ ${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
    await till.getByTestId('cx-charge').filter({ hasText: shownAmount }).locator('[data-testid="cx-status"]', { hasText: 'Aguardando pagamento' }).waitFor();
    await till.keyboard.press('Escape');
    await till.getByTestId('cx-charge').filter({ hasText: shownAmount }).locator('[data-testid="cx-status"]', { hasText: 'Cancelada' }).waitFor();
  }
  const rpc = await till.evaluate(async (n) => {
    const b = (globalThis as unknown as W).pixdesk;
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = (await b.invoke('charges:create', { amountCents: 500 + i, till: 'Bench RPC' })) as { value: { id: string } };
      xs.push(performance.now() - t);
      await b.invoke('charges:cancel', { id: r.value.id });
    }
    return xs;
  }, CHARGES);
  await display.close();
  return { display: out, rpc };
}

function timeFigure(name: string, xs: number[], baseline: string, bs: number[], q: number): BenchResult {
  const v = quantile(xs, q);
  const b = quantile(bs, q);
  return { name, value: v, unit: 'ms', baseline, baselineValue: b, ratio: b / v };
}

export const cashierSuite: BenchSuite = {
  name: 'cashier',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-caixa-'));
    const { url, child } = await startHost(dir);
    const browser = await chromium.launch({
      executablePath: process.env.PIXDESK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const origin = new URL(url).origin;
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
      const page = await context.newPage();
      // The launch URL opens this tab's session (once); the tab keeps it across reloads.
      await page.goto(url);
      const base = `${origin}/`;
      const baselineLat = await quickQrLatencies(page, base, false);
      const localLat = await quickQrLatencies(page, base, true);
      const dyn = await chargeLatencies(context, page, origin);
      await context.close();
      const debounced = 'debounced round trip to main (preview off)';
      return [
        timeFigure('QR Code rápido: keypress → new QR, median', localLat, debounced, baselineLat, 0.5),
        timeFigure('QR Code rápido: keypress → new QR, p95', localLat, debounced, baselineLat, 0.95),
        timeFigure('Cobrar: Enter → QR on the customer display, median', dyn.display, 'bare charges:create call', dyn.rpc, 0.5),
        timeFigure('Cobrar: Enter → QR on the customer display, p95', dyn.display, 'bare charges:create call', dyn.rpc, 0.95),
      ];
    } finally {
      await browser.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
