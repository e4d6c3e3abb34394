import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/events';
import { isEventName } from '../../../main/core/contract/events';

describe('EventBus', () => {
  it('delivers to every subscriber until it unsubscribes, and a throwing listener stops no one', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('closed window');
    });
    const off = bus.subscribe((e) => seen.push(`${e.name}:${e.name === 'onboarding:changed' ? e.payload.id : ''}`));
    bus.publish('onboarding:changed', { id: 'a', status: 'done' });
    off();
    bus.publish('onboarding:changed', { id: 'b', status: 'done' });
    expect(seen).toEqual(['onboarding:changed:a']);
    expect(bus.size).toBe(1);
  });

  it('knows the names of the contract', () => {
    expect(isEventName('onboarding:changed')).toBe(true);
    expect(isEventName('charge:nope')).toBe(false);
    expect(isEventName(42)).toBe(false);
  });
});
