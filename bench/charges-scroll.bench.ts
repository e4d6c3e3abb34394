import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { openDatabase } from '../main/core/db';
import { appMigrations } from '../main/core/db/migrations';
import { seedCharges } from '../tests/fixtures/seed-charges';
import { quantile, type BenchResult, type BenchSuite } from './harness';
import { startBuiltHost } from '../tests/fixtures/start-host';

/*
 * Scrolling the Cobranças table in Chromium (Debian's /usr/bin/chromium driven by Playwright) over the BUILT browser
 * host on a profile seeded with 1,000,000 charges.
 *
 * Frame time: Chromium runs with vsync and the frame-rate limit off, so the interval between two
 * requestAnimationFrame callbacks is what one frame really costs (script + style + layout + paint), not the
 * display's 16.7 ms tick. The scripted scroll moves 90 px (3 rows) per frame for 600 frames, and jumps 40,000 rows
 * every 60 frames (dragging the scrollbar: those frames show placeholder rows until main answers a `seek` page).
 *
 * Baseline, same run, same page and CSS: the same steady scroll over the same row markup WITHOUT virtualisation —
 * 10,000 plain rows (1 % of the data, a typical "load a big page and render it all" table). Its build time (insert +
 * first layout) is reported next to it. A non-virtualised table of the full 1,000,000 rows cannot be built at all
 * (the tab runs out of memory), so a small page is the honest thing to compare with.
 */

const COUNT = Number(process.env.PIXDESK_BENCH_SCROLL_CHARGES ?? 1_000_000);
const root = path.resolve(__dirname, '..', '..');
const FRAMES = 600;

/* The page's globals as the in-page code uses them (the Node project has no DOM lib; these run in Chromium). */
interface El {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly clientWidth: number;
  className: string;
  innerHTML: string;
  readonly children: ArrayLike<El>;
  readonly style: { cssText: string; height: string };
  querySelector(sel: string): El | null;
  querySelectorAll(sel: string): ArrayLike<El>;
  appendChild(el: El): void;
}
interface PageGlobals {
  document: { querySelector(sel: string): El | null; createElement(tag: string): El; body: El };
  requestAnimationFrame(cb: (t: number) => void): void;
}

interface ScrollRun {
  frames: number[];
  placeholderFrames: number;
  /** After each jump: ms until no placeholder row was left in view. */
  fills: number[];
}

/** Scroll `sel` by `px` each frame for `frames` frames (jumping `jumpRows` rows every `jumpEvery`), timing each frame. */
function scroll(page: Page, sel: string, o: { px: number; frames: number; jumpEvery: number; jumpRows: number }): Promise<ScrollRun> {
  return page.evaluate(
    ({ sel, o }) =>
      new Promise<ScrollRun>((resolve) => {
        // Serialised into the page: only the cast (erased) may refer to this file.
        const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals;
        const el = document.querySelector(sel)!;
        const frames: number[] = [];
        const fills: number[] = [];
        let placeholderFrames = 0;
        let n = 0;
        let last = 0;
        let jumpedAt = 0;
        const step = (t: number) => {
          if (last) frames.push(t - last);
          last = t;
          const loading = !!el.querySelector('.ct-row.loading');
          if (loading) placeholderFrames++;
          else if (jumpedAt) {
            fills.push(t - jumpedAt);
            jumpedAt = 0;
          }
          if (o.jumpEvery && n > 0 && n % o.jumpEvery === 0) {
            el.scrollTop = (el.scrollTop + o.jumpRows * 30) % Math.max(1, el.scrollHeight - el.clientHeight);
            jumpedAt = t;
          } else el.scrollTop += o.px;
          if (++n < o.frames) requestAnimationFrame(step);
          else resolve({ frames, placeholderFrames, fills });
        };
        requestAnimationFrame(step);
      }),
    { sel, o },
  );
}

function startHost(profileDir: string): Promise<{ url: string; child: ChildProcess }> {
  return startBuiltHost(path.join(root, 'dist/main/host.cjs'), profileDir, 60_000);
}

export const chargesScrollSuite: BenchSuite = {
  name: 'charges-scroll',
  async run(): Promise<BenchResult[]> {
    if (!fs.existsSync(path.join(root, 'dist/renderer/index.html')) && !fs.existsSync(path.join(root, 'dist/renderer'))) {
      throw new Error('charges-scroll precisa do renderer construído: rode "npm run build" antes de "npm run bench charges-scroll".');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixdesk-bench-scroll-'));
    const env = { ...process.env, PIXDESK_HOME: dir, PIXDESK_KEYCHAIN: 'off' };
    let host: { url: string; child: ChildProcess } | null = null;
    const browser = await chromium.launch({
      executablePath: process.env.PIXDESK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--disable-gpu-vsync', '--disable-frame-rate-limit'],
    });
    try {
      // The CLI creates the profile (vault, migrations); then the rows go in while nothing holds it.
      execFileSync(process.execPath, [path.join(root, 'dist/main/cli.cjs'), 'charges', 'list', '--profile', dir], { env, stdio: 'ignore' });
      const db = openDatabase({ file: path.join(dir, 'pixdesk.sqlite'), migrations: appMigrations });
      db.pragma('synchronous = OFF');
      seedCharges(db, { count: COUNT });
      db.close();
      host = await startHost(dir);
      const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
      await page.goto(host.url);
      await page.getByRole('navigation', { name: 'Seções' }).getByRole('link', { name: 'Cobranças' }).click();
      await page.locator('.ct-scroll .ct-row:not(.loading)').first().waitFor();
      await page.getByTestId('totals-count').filter({ hasText: COUNT.toLocaleString('pt-BR') }).waitFor();

      // Warm-up (JIT, first pages), then the measured runs.
      await scroll(page, '[data-testid="charges-scroll"]', { px: 90, frames: 120, jumpEvery: 0, jumpRows: 0 });
      const steady = await scroll(page, '[data-testid="charges-scroll"]', { px: 90, frames: FRAMES, jumpEvery: 0, jumpRows: 0 });
      const jumps = await scroll(page, '[data-testid="charges-scroll"]', { px: 90, frames: FRAMES, jumpEvery: 60, jumpRows: 40_000 });

      // Baseline: the same row markup, 10,000 rows in plain DOM, in the same page and viewport.
      const build = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const real = document.querySelector('[data-testid="charges-scroll"]')!;
        const sample = Array.from(real.querySelectorAll('.ct-row:not(.loading)')).slice(0, 30).map((r) => r.innerHTML);
        const t0 = performance.now();
        const box = document.createElement('div');
        box.className = 'ct-plain';
        box.style.cssText = `height:${real.clientHeight}px;overflow:auto;position:fixed;inset:auto 0 0 auto;width:${real.clientWidth}px;background:#fff;z-index:9`;
        const html: string[] = [];
        for (let i = 0; i < 10_000; i++) html.push(`<div class="ct-row" role="row">${sample[i % sample.length]}</div>`);
        box.innerHTML = html.join('');
        // The page's CSP forbids style attributes in markup; CSSOM is allowed.
        for (const r of Array.from(box.children)) r.style.height = '30px';
        document.body.appendChild(box);
        void box.scrollHeight;
        return performance.now() - t0;
      });
      await scroll(page, '.ct-plain', { px: 90, frames: 120, jumpEvery: 0, jumpRows: 0 });
      const plain = await scroll(page, '.ct-plain', { px: 90, frames: FRAMES, jumpEvery: 0, jumpRows: 0 });

      const p95 = (r: ScrollRun) => quantile(r.frames, 0.95);
      const fill = quantile(jumps.fills, 0.5);
      console.log(
        `scroll frame p95: steady ${p95(steady).toFixed(2)} ms (median ${quantile(steady.frames, 0.5).toFixed(2)}, max ${Math.max(...steady.frames).toFixed(1)}), ` +
          `with jumps ${p95(jumps).toFixed(2)} ms; placeholders: steady ${steady.placeholderFrames}/${FRAMES} frames, after a jump filled in ${fill.toFixed(0)} ms (median of ${jumps.fills.length}); ` +
          `plain 10,000 rows: build ${build.toFixed(0)} ms, frame p95 ${p95(plain).toFixed(2)} ms`,
      );
      const baseline = 'same scroll over the same row markup without virtualisation, 10,000 plain rows';
      return [
        { name: `charges table scroll: frame time p95, steady, ${COUNT} rows virtualised`, value: p95(steady), unit: 'ms', baseline, baselineValue: p95(plain), ratio: p95(plain) / p95(steady) },
        {
          name: `charges table scroll: frame time p95 with scrollbar jumps of 40,000 rows, ${COUNT} rows (rows filled ${fill.toFixed(0)} ms after a jump, median)`, value: p95(jumps), unit: 'ms',
          baseline, baselineValue: p95(plain), ratio: p95(plain) / p95(jumps),
        },
        {
          name: 'charges table: build of 10,000 plain rows (baseline table, insert + first layout)', value: build, unit: 'ms',
          baseline: 'one frame at 60 Hz', baselineValue: 16, ratio: 16 / build,
        },
      ];
    } finally {
      await browser.close();
      if (host) {
        host.child.kill('SIGTERM');
        await new Promise((r) => host!.child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
