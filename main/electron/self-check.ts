import type { BrowserWindow } from 'electron';
import path from 'node:path';

/**
 * The self-check behind `npm run smoke:electron`: off unless PIXDESK_SELF_CHECK names an (empty, temporary)
 * profile folder. Then the app boots normally into that folder, and once the window has loaded, the page
 * itself calls `app:info` through the real preload and IPC; main reads the answer, prints one line and
 * exits 0 (or 1 on any failure or after the timeout). Nothing here runs in a normal start.
 */

export const SELF_CHECK_ENV = 'PIXDESK_SELF_CHECK';
/** The line prefix scripts/smoke-electron.mjs looks for. */
export const SELF_CHECK_TAG = 'PIXDESK_SELF_CHECK';
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The profile folder of a self-check run, or null when the variable is not set (the normal case).
 * A relative path is refused: the check must never land in a folder the caller did not mean.
 */
export function selfCheckProfile(env: NodeJS.ProcessEnv): string | null {
  const dir = env[SELF_CHECK_ENV];
  if (dir === undefined || dir === '') return null;
  if (!path.isAbsolute(dir)) throw new Error(`${SELF_CHECK_ENV} deve ser um caminho absoluto (recebido: ${dir}).`);
  return dir;
}

/**
 * Runs in the page (main world), like the renderer would: only `window.pixdesk` is available. Also reports
 * whether Node leaked into the page, which the sandbox and contextIsolation must prevent.
 */
export const PAGE_PROBE = `(async () => {
  const bridge = window.pixdesk;
  if (!bridge || typeof bridge.invoke !== 'function') return { error: 'window.pixdesk ausente' };
  const info = await bridge.invoke('app:info', {});
  return {
    keys: Object.keys(bridge).sort(),
    nodeVisible: typeof require !== 'undefined' || typeof process !== 'undefined',
    href: String(location.href),
    info,
  };
})()`;

export type SelfCheckVerdict = { ok: true; summary: string } | { ok: false; reason: string };

/** Judge what the page answered: the contract call succeeded, from our origin, with no Node in the page. */
export function judgeProbe(answer: unknown): SelfCheckVerdict {
  if (typeof answer !== 'object' || answer === null) return { ok: false, reason: 'a página não respondeu' };
  const a = answer as { error?: unknown; keys?: unknown; nodeVisible?: unknown; href?: unknown; info?: unknown };
  if (typeof a.error === 'string') return { ok: false, reason: a.error };
  if (a.nodeVisible !== false) return { ok: false, reason: 'Node visível na página (sandbox/contextIsolation falharam)' };
  if (typeof a.href !== 'string' || !a.href.startsWith('app://pixdesk/')) return { ok: false, reason: `página fora da origem: ${String(a.href)}` };
  const info = a.info as { ok?: unknown; value?: { name?: unknown; shell?: unknown; version?: unknown; keyBackend?: unknown }; error?: { code?: unknown } };
  if (info?.ok !== true || !info.value) return { ok: false, reason: `app:info falhou: ${String(info?.error?.code ?? 'sem resposta')}` };
  if (info.value.name !== 'PixDesk' || info.value.shell !== 'electron') return { ok: false, reason: 'app:info respondeu outro app/shell' };
  const keys = Array.isArray(a.keys) ? a.keys.join(',') : '';
  return { ok: true, summary: `version=${String(info.value.version)} keyBackend=${String(info.value.keyBackend)} bridge=${keys}` };
}

export interface SelfCheckOptions {
  timeoutMs?: number;
  report?: (line: string) => void;
  exit: (code: number) => void;
}

/** Wait for the window's page, run the probe in it, report one line and exit. */
export function runSelfCheck(win: BrowserWindow, opts: SelfCheckOptions): Promise<SelfCheckVerdict> {
  const report = opts.report ?? ((line: string) => console.log(line));
  return new Promise<SelfCheckVerdict>((resolve) => {
    let done = false;
    const finish = (verdict: SelfCheckVerdict): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      report(verdict.ok ? `${SELF_CHECK_TAG} ok ${verdict.summary}` : `${SELF_CHECK_TAG} fail ${verdict.reason}`);
      opts.exit(verdict.ok ? 0 : 1);
      resolve(verdict);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'tempo esgotado' }), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const contents = win.webContents;
    contents.once('did-fail-load', (_e, code, description) => finish({ ok: false, reason: `página não carregou (${code} ${description})` }));
    contents.once('did-finish-load', () => {
      contents.executeJavaScript(PAGE_PROBE, true).then(
        (answer: unknown) => finish(judgeProbe(answer)),
        (e: unknown) => finish({ ok: false, reason: `a sonda falhou na página: ${e instanceof Error ? e.message : String(e)}` }),
      );
    });
  });
}
