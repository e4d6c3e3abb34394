import { describe, expect, it } from 'vitest';
import { ACTIVITY_EVENTS, reportActivity } from '../../../renderer/auth/activity';

describe('activity reporting for the idle lock', () => {
  it('reports the first key or click at once, then at most once per interval, and stops when asked', () => {
    const target = new EventTarget();
    let now = 1_000_000;
    let sent = 0;
    const stop = reportActivity(target, () => sent++, 15_000, () => now);
    expect(sent).toBe(0); // nothing without a person
    target.dispatchEvent(new Event('keydown'));
    expect(sent).toBe(1);
    for (let i = 0; i < 50; i++) {
      now += 200;
      target.dispatchEvent(new Event(ACTIVITY_EVENTS[i % ACTIVITY_EVENTS.length]!));
    }
    expect(sent).toBe(1); // 10 s of typing and clicking: one report
    now += 5_001;
    target.dispatchEvent(new Event('pointerdown'));
    expect(sent).toBe(2);
    target.dispatchEvent(new Event('focus')); // not an input a person makes
    now += 60_000;
    target.dispatchEvent(new Event('visibilitychange'));
    expect(sent).toBe(2);
    stop();
    now += 60_000;
    target.dispatchEvent(new Event('keydown'));
    expect(sent).toBe(2);
  });

  it('every kind of input counts', () => {
    for (const name of ACTIVITY_EVENTS) {
      const target = new EventTarget();
      let sent = 0;
      reportActivity(target, () => sent++);
      target.dispatchEvent(new Event(name));
      expect(sent, name).toBe(1);
    }
  });
});
