import { z } from 'zod';

/** What to do to requests matching a route pattern. */
export interface FaultSpec {
  /** Delay before the request is handled. */
  latencyMs?: number;
  /** Answer with this HTTP status (in the route's error shape) instead of handling the request. */
  status?: number;
  /** Destroy the connection without answering (a TCP reset as the client sees it). */
  reset?: boolean;
  /** Treat every token in the request (temporary or access) as expired → 401. */
  expireTokens?: boolean;
  /**
   * Handle the request fully (its state change is committed) and then destroy the connection instead of answering:
   * the lost answer that idempotent retries exist for.
   */
  dropResponse?: boolean;
  /** For `PUT …/devolucao/…`: the refund is accepted (EM_PROCESSAMENTO) and then settles as NAO_REALIZADO. */
  refund?: 'NAO_REALIZADO';
  /** The `motivo` of such a refund (default: "Devolução não realizada (falha simulada pelo sandbox)."). */
  motivo?: string;
  /** Apply to this many matching requests, then disappear (default: until cleared). */
  times?: number;
}

/** The combined effect of the faults matching one request. */
export interface FaultEffect {
  latencyMs: number;
  status: number | null;
  reset: boolean;
  expireTokens: boolean;
  dropResponse: boolean;
  /** Set when a refund must end NAO_REALIZADO, with its motivo. */
  refundFailure: { motivo: string } | null;
}

interface Entry {
  key: string;
  re: RegExp;
  method: string | null;
  spec: FaultSpec;
  remaining: number;
}

/** zod schema of a fault as accepted by `POST /sandbox/faults`. */
export const faultRequestSchema = z.union([
  z.object({ clear: z.literal(true), route: z.string().optional() }),
  z.object({
    route: z.string().min(1).max(300),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    status: z.number().int().min(100).max(599).optional(),
    reset: z.boolean().optional(),
    expireTokens: z.boolean().optional(),
    dropResponse: z.boolean().optional(),
    refund: z.literal('NAO_REALIZADO').optional(),
    motivo: z.string().min(1).max(140).optional(),
    times: z.number().int().positive().optional(),
  }),
]);

function compile(pattern: string | RegExp): { re: RegExp; method: string | null; key: string } {
  if (pattern instanceof RegExp) return { re: pattern, method: null, key: pattern.toString() };
  const m = /^([A-Z]+)\s+(.+)$/.exec(pattern.trim());
  const method = m ? m[1]! : null;
  const glob = m ? m[2]! : pattern.trim();
  const src = glob
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return { re: new RegExp(`^${src}$`), method, key: pattern };
}

/**
 * Per-route fault injection for tests (in this process, or from another one via `POST /sandbox/faults`).
 * A pattern is `"[METHOD ]/path"` where `*` matches anything (`"POST /api/oauth/token"`, `"/regulatorio-pix/v2/cob/*"`,
 * `"*"`), or a RegExp tested against the path. Setting the same pattern again replaces it.
 */
export class FaultInjector {
  private entries: Entry[] = [];

  /** Add or replace the fault for `routePattern`. */
  set(routePattern: string | RegExp, spec: FaultSpec): void {
    const c = compile(routePattern);
    this.entries = this.entries.filter((e) => e.key !== c.key);
    this.entries.push({ ...c, spec: { ...spec }, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  /** Remove one pattern's fault, or all of them. */
  clear(routePattern?: string | RegExp): void {
    if (routePattern === undefined) this.entries = [];
    else {
      const { key } = compile(routePattern);
      this.entries = this.entries.filter((e) => e.key !== key);
    }
  }

  /** Patterns currently active, for diagnostics. */
  list(): { route: string; spec: FaultSpec; remaining: number }[] {
    return this.entries.map((e) => ({ route: e.key, spec: e.spec, remaining: e.remaining }));
  }

  /** The faults for one request (consuming one use of each), or null when none matches. */
  take(method: string, path: string): FaultEffect | null {
    const hits = this.entries.filter((e) => (!e.method || e.method === method) && e.re.test(path));
    if (hits.length === 0) return null;
    const effect: FaultEffect = { latencyMs: 0, status: null, reset: false, expireTokens: false, dropResponse: false, refundFailure: null };
    for (const h of hits) {
      effect.latencyMs = Math.max(effect.latencyMs, h.spec.latencyMs ?? 0);
      effect.status ??= h.spec.status ?? null;
      effect.reset ||= h.spec.reset === true;
      effect.expireTokens ||= h.spec.expireTokens === true;
      effect.dropResponse ||= h.spec.dropResponse === true;
      if (h.spec.refund === 'NAO_REALIZADO' && !effect.refundFailure) {
        effect.refundFailure = { motivo: h.spec.motivo ?? 'Devolução não realizada (falha simulada pelo sandbox).' };
      }
      h.remaining -= 1;
    }
    this.entries = this.entries.filter((e) => e.remaining > 0);
    return effect;
  }
}
