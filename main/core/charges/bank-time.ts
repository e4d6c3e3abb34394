/**
 * Times to and from the Pix API. `GET /pix` takes seconds with an explicit offset (Itaú rejects milliseconds), and
 * Itaú writes Brasília wall-clock times followed by a wrong `Z`. Which of the two a bank does is learnt from the
 * answers themselves (see {@link learnZuluFromWindow}) and kept per account.
 */

const BRASILIA_OFFSET_MS = 3 * 3600_000;

/** An instant as `2026-01-31T10:00:00-03:00`: Brasília time, whole seconds (rounded down). */
export function toBankQueryTime(ms: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 - BRASILIA_OFFSET_MS);
  return `${local.toISOString().slice(0, 19)}-03:00`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Parse a bank time. `zuluIsLocal` says whether this bank's `Z` means Brasília wall-clock (Itaú's quirk); times
 * with a real offset are exact either way; a time without any offset is Brasília time.
 */
export function parseBankTime(text: unknown, zuluIsLocal: boolean): number | null {
  if (typeof text !== 'string') return null;
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ? m[3].slice(0, 4) : '';
  const zone = m[4];
  const base = `${m[1]}T${m[2]}${frac}`;
  if (!zone) return Date.parse(`${base}-03:00`);
  if (zone === 'Z' || zone === 'z') {
    const ms = Date.parse(`${base}Z`);
    return zuluIsLocal ? ms + BRASILIA_OFFSET_MS : ms;
  }
  const off = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return Date.parse(`${base}${off}`);
}

/** True when the text ends in `Z` (the only case where the quirk matters). */
export function isZulu(text: unknown): boolean {
  return typeof text === 'string' && /[Zz]$/.test(text.trim());
}

/**
 * Learn the quirk from a `GET /pix` page: the bank filters by the real instant, so every item lies in the window
 * asked for. A `Z` time that fits only when read as Brasília time betrays the quirk; one that fits only as UTC rules
 * it out. Returns null when the page says nothing (no `Z` times, or both readings fit).
 */
export function learnZuluFromWindow(times: unknown[], fromMs: number, toMs: number): boolean | null {
  const slack = 1000;
  for (const t of times) {
    if (!isZulu(t)) continue;
    const asUtc = parseBankTime(t, false);
    if (asUtc === null) continue;
    const asLocal = asUtc + BRASILIA_OFFSET_MS;
    const fitsUtc = asUtc >= fromMs - slack && asUtc <= toMs + slack;
    const fitsLocal = asLocal >= fromMs - slack && asLocal <= toMs + slack;
    if (fitsLocal && !fitsUtc) return true;
    if (fitsUtc && !fitsLocal) return false;
  }
  return null;
}

/**
 * Learn the quirk from a charge just created: its `calendario.criacao` is "now" at the bank. Compared with our
 * clock, a `Z` time about three hours behind is Brasília wall-clock.
 */
export function learnZuluFromCreation(criacao: unknown, nowMs: number): boolean | null {
  if (!isZulu(criacao)) return null;
  const asUtc = parseBankTime(criacao, false);
  if (asUtc === null) return null;
  const tolerance = 15 * 60_000;
  if (Math.abs(asUtc + BRASILIA_OFFSET_MS - nowMs) < tolerance) return true;
  if (Math.abs(asUtc - nowMs) < tolerance) return false;
  return null;
}
