/**
 * Tells main that a person is using this page, so the idle lock counts people and not calls: a screen that refreshes
 * itself (the till list, the dashboard, a list following events) calls main all day with nobody at the desk. Keys,
 * clicks, pointer moves, scrolls and touches are reported as `auth:activity`, at most once per `everyMs`; nothing
 * else restarts main's idle clock (see main/core/auth `activity`). The customer display never reports: it is not a
 * person using PixDesk.
 */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Often enough for an idle time counted in minutes, rare enough to cost nothing. */
export const ACTIVITY_REPORT_MS = 15_000;

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/** Start reporting; returns the function that stops. The first input reports at once, then once per `everyMs`. */
export function reportActivity(target: Target, send: () => void, everyMs: number = ACTIVITY_REPORT_MS, now: () => number = Date.now): () => void {
  let last = Number.NEGATIVE_INFINITY;
  const onInput = (): void => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    send();
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, onInput, { capture: true, passive: true });
  return () => {
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, onInput, { capture: true });
  };
}
