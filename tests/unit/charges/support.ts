import fs from 'node:fs';
import type { Core, CoreOptions } from '../../../main/core/app';
import type { PixdeskEvent } from '../../../main/core/contract/events';
import type { AccountRow } from '../../../main/core/accounts/account-store';
import { FORM, openCore, sandboxSheet, tempProfile } from '../accounts/support';

export { tempProfile } from '../accounts/support';

/** Fast Pix API retries for tests (the sandbox answers on loopback). */
export const FAST = { retries: 3, baseDelayMs: 5, timeoutMs: 5000 };

/** Timers driven by hand: `fire()` runs what is due, in order. Background services use them instead of real ones. */
export class ManualTimers {
  private seq = 0;
  private readonly due = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { fn, ms });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }
  /** Delays currently scheduled. */
  pending(): number[] {
    return [...this.due.values()].map((d) => d.ms);
  }
  /** Run every timer scheduled now (not the ones they schedule). */
  fire(): number {
    const now = [...this.due.entries()];
    this.due.clear();
    for (const [, d] of now) d.fn();
    return now.length;
  }
}

/** A profile with one onboarded sandbox account (its Pix key registered at the sandbox). */
export async function coreWithAccount(extra: Partial<CoreOptions> = {}, profileDir = tempProfile()): Promise<{ core: Core; account: AccountRow; profileDir: string; events: PixdeskEvent[] }> {
  const core = openCore(profileDir, { charges: FAST, ...extra });
  const events: PixdeskEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  const sheet = await sandboxSheet(core);
  const s = core.onboarding.importFile(sheet.bytes, 'Credencial e Token.xlsx');
  const done = await core.onboarding.run(s.id, FORM);
  const account = core.accounts.get(done.accountId!);
  return { core, account, profileDir, events };
}

export function rmProfile(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Wait until `pred` holds, checking on every event-loop turn (never a fixed sleep). */
export async function until(pred: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
