import type { ChargeService } from './charge-service';
import { OPEN_STATES } from './charge-store';
import type { Timers } from './timers';

export interface WatcherOptions {
  /** Time between polls of a watched charge (default 2 s). */
  intervalMs?: number;
  /** Longest wait after repeated errors (default 30 s). */
  maxBackoffMs?: number;
}

interface Watch {
  count: number;
  timer: unknown;
  errors: number;
  polling: boolean;
}

/**
 * While a charge is on a screen, its state is asked of the bank every 2 s (`GET /cob/{txid}`; an offline code:
 * `GET /pix?txid=`), backing off exponentially while the bank fails. Screens watch and unwatch (counted, so two
 * screens showing the same charge share one poll); a charge that is no longer open stops being polled.
 */
export class ChargeWatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly interval: number;
  private readonly maxBackoff: number;
  /** Polls made, for diagnostics and tests. */
  polls = 0;

  constructor(private readonly charges: ChargeService, private readonly timers: Timers, o: WatcherOptions = {}) {
    this.interval = o.intervalMs ?? 2000;
    this.maxBackoff = o.maxBackoffMs ?? 30_000;
  }

  /** Start (or join) watching a charge; the first poll runs at once. */
  watch(id: string): { watching: boolean } {
    this.charges.row(id);
    const w = this.watches.get(id);
    if (w) {
      w.count++;
      return { watching: true };
    }
    this.watches.set(id, { count: 1, timer: null, errors: 0, polling: false });
    this.schedule(id, 0);
    return { watching: true };
  }

  /** Leave a watch; the poll stops when no screen watches the charge any more. */
  unwatch(id: string): { watching: boolean } {
    const w = this.watches.get(id);
    if (!w) return { watching: false };
    if (--w.count > 0) return { watching: true };
    this.stopOne(id);
    return { watching: false };
  }

  /** Charges being watched now. */
  watched(): string[] {
    return [...this.watches.keys()];
  }

  private stopOne(id: string): void {
    const w = this.watches.get(id);
    if (w?.timer) this.timers.clearTimeout(w.timer);
    this.watches.delete(id);
  }

  stop(): void {
    for (const id of [...this.watches.keys()]) this.stopOne(id);
  }

  private schedule(id: string, ms: number): void {
    const w = this.watches.get(id);
    if (!w) return;
    w.timer = this.timers.setTimeout(() => void this.tick(id), ms);
  }

  private async tick(id: string): Promise<void> {
    const w = this.watches.get(id);
    if (!w || w.polling) return;
    w.polling = true;
    w.timer = null;
    let open = true;
    try {
      this.polls++;
      const r = await this.charges.poll(id);
      open = OPEN_STATES.includes(r.view.status);
      w.errors = r.failure ? w.errors + 1 : 0;
    } catch {
      w.errors++;
    } finally {
      w.polling = false;
    }
    if (!this.watches.has(id)) return;
    if (!open) {
      this.stopOne(id);
      return;
    }
    const delay = w.errors === 0 ? this.interval : Math.min(this.maxBackoff, this.interval * 2 ** w.errors);
    this.schedule(id, delay);
  }
}
