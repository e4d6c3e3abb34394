import crypto from 'node:crypto';
import type { Db } from '../../db';

/** Retries after a failed attempt n (1-based): 10·2^(n-1) s — 10 s, 20 s, 40 s … 1280 s; then the delivery fails. */
export const MAX_RETRIES = 8;
export const RETRY_BASE_MS = 10_000;
/** How long a claimed row stays reserved for its worker (well above the send timeout). */
export const LEASE_MS = 60_000;

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_at: number;
  claimed_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  dedupe_key: string;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/**
 * The durable webhook queue in SQLite. A delivery is written before anything is sent; a worker claims due rows in
 * one IMMEDIATE transaction (status → sending, with a lease), so two workers — or two processes on the same
 * profile — never send the same row at once, and a delivered row is never sent again. A row left `sending` by a
 * crash is claimed again when its lease ends (receivers dedupe on the delivery id header).
 */
export class DeliveryQueue {
  constructor(private readonly db: Db) {}

  /** Queue one delivery; the same (webhook, dedupeKey) is queued once however often the event is seen. */
  enqueue(webhookId: string, event: string, body: string, dedupeKey: string, nowMs: number): string | null {
    const id = crypto.randomUUID();
    const r = this.db
      .prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (id, webhook_id, event, body, status, attempts, next_at, created_at, dedupe_key)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      )
      .run(id, webhookId, event, body, nowMs, new Date(nowMs).toISOString(), dedupeKey);
    return r.changes === 1 ? id : null;
  }

  /** Claim up to `n` due deliveries for this worker. */
  claim(nowMs: number, n: number): DeliveryRow[] {
    const pick = this.db.prepare(
      `SELECT id FROM webhook_deliveries
       WHERE (status = 'pending' AND next_at <= @now) OR (status = 'sending' AND claimed_until < @now)
       ORDER BY next_at LIMIT @n`,
    );
    const mark = this.db.prepare("UPDATE webhook_deliveries SET status = 'sending', claimed_until = ? WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND claimed_until < ?))");
    const get = this.db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?');
    return this.db
      .transaction(() => {
        const out: DeliveryRow[] = [];
        for (const { id } of pick.all({ now: nowMs, n }) as { id: string }[]) {
          if (mark.run(nowMs + LEASE_MS, id, nowMs).changes === 1) out.push(get.get(id) as DeliveryRow);
        }
        return out;
      })
      .immediate();
  }

  /** Record one attempt and move the row on: delivered, retried later, or failed for good. */
  finish(d: DeliveryRow, nowMs: number, outcome: { ok: boolean; statusCode: number | null; error: string | null; durationMs: number }): void {
    const attempt = d.attempts + 1;
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)')
        .run(d.id, attempt, new Date(nowMs).toISOString(), outcome.statusCode, outcome.error, Math.round(outcome.durationMs));
      if (outcome.ok) {
        this.db
          .prepare("UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL, claimed_until = NULL, delivered_at = ? WHERE id = ?")
          .run(attempt, outcome.statusCode, new Date(nowMs).toISOString(), d.id);
      } else if (attempt > MAX_RETRIES) {
        this.db.prepare("UPDATE webhook_deliveries SET status = 'failed', attempts = ?, last_status = ?, last_error = ?, claimed_until = NULL WHERE id = ?").run(attempt, outcome.statusCode, outcome.error, d.id);
      } else {
        this.db
          .prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = ?, next_at = ?, last_status = ?, last_error = ?, claimed_until = NULL WHERE id = ?")
          .run(attempt, nowMs + RETRY_BASE_MS * 2 ** (attempt - 1), outcome.statusCode, outcome.error, d.id);
      }
    })();
  }

  /** Send a failed (or delivered) delivery again, from now, with a fresh retry budget. */
  resend(id: string, nowMs: number): boolean {
    return this.db.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = ?, claimed_until = NULL WHERE id = ? AND status IN ('failed', 'delivered')").run(nowMs, id).changes === 1;
  }

  get(id: string): DeliveryRow | undefined {
    return this.db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
  }

  /** Newest first, for the delivery log. */
  list(webhookIds: string[], limit = 100): DeliveryRow[] {
    if (!webhookIds.length) return [];
    return this.db.prepare(`SELECT * FROM webhook_deliveries WHERE webhook_id IN (${webhookIds.map(() => '?').join(', ')}) ORDER BY created_at DESC LIMIT ?`).all(...webhookIds, limit) as DeliveryRow[];
  }

  attempts(deliveryId: string): AttemptRow[] {
    return this.db.prepare('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt').all(deliveryId) as AttemptRow[];
  }

  /** Remove a webhook's queue and log (when the webhook itself is deleted). */
  dropWebhook(webhookId: string): void {
    this.db.prepare('DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ?)').run(webhookId);
    this.db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?').run(webhookId);
  }
}
