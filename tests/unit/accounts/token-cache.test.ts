import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/errors';
import { NetworkError } from '../../../main/core/itau/http';
import { TokenCache } from '../../../main/core/itau/token-cache';

function setup(script: (n: number) => Promise<{ accessToken: string; expiresIn: number }>) {
  let t = 1_000_000;
  let calls = 0;
  const sleeps: number[] = [];
  const cache = new TokenCache({
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    fetch: async () => script(++calls).then((r) => ({ ...r, scope: null })),
  });
  return { cache, advance: (ms: number) => (t += ms), calls: () => calls, sleeps };
}

describe('TokenCache', () => {
  it('caches one token per account and refreshes it before expiry', async () => {
    const s = setup(async (n) => ({ accessToken: `tok${n}`, expiresIn: 300 }));
    expect(await s.cache.get('a')).toBe('tok1');
    s.advance(200_000);
    expect(await s.cache.get('a')).toBe('tok1');
    s.advance(75_000); // 25 s left < 30 s margin
    expect(await s.cache.get('a')).toBe('tok2');
    expect(await s.cache.get('b')).toBe('tok3');
    expect(s.cache.secondsLeft('a')).toBe(300);
  });

  it('shares one request in flight among concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = setup(async (n) => {
      await gate;
      return { accessToken: `tok${n}`, expiresIn: 300 };
    });
    const all = Promise.all([s.cache.get('a'), s.cache.get('a'), s.cache.get('a')]);
    release();
    expect(await all).toEqual(['tok1', 'tok1', 'tok1']);
    expect(s.calls()).toBe(1);
  });

  it('retries resets and 5xx with exponential backoff, then succeeds', async () => {
    const s = setup(async (n) => {
      if (n === 1) throw new NetworkError('ECONNRESET', 'caiu');
      if (n === 2) throw new AppError('BANK_UNAVAILABLE', 'instável');
      return { accessToken: 'ok', expiresIn: 300 };
    });
    expect(await s.cache.get('a')).toBe('ok');
    expect(s.sleeps).toEqual([250, 500]);
  });

  it('does not retry a rejected secret and gives up after the retry budget', async () => {
    const rejected = setup(async () => {
      throw new AppError('SECRET_REJECTED', 'não');
    });
    await expect(rejected.cache.get('a')).rejects.toMatchObject({ code: 'SECRET_REJECTED' });
    expect(rejected.calls()).toBe(1);
    const down = setup(async () => {
      throw new NetworkError('ECONNREFUSED', 'fora');
    });
    await expect(down.cache.get('a')).rejects.toMatchObject({ code: 'NETWORK' });
    expect(down.calls()).toBe(4);
  });

  it('forgets an invalidated token', async () => {
    const s = setup(async (n) => ({ accessToken: `tok${n}`, expiresIn: 300 }));
    await s.cache.get('a');
    s.cache.invalidate('a');
    expect(await s.cache.get('a')).toBe('tok2');
  });
});
