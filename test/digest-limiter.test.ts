import { describe, expect, it } from 'vitest';
import { eutilsRequestsPerSecond, RateLimiter, sharedEutilsLimiter } from '../src/digest/limiter.ts';
import { fakeClock } from './helpers/digest.ts';

describe('rate limiter', () => {
  it('spaces E-utilities calls 350 ms apart without a key (3/s) and 105 ms with one (10/s)', async () => {
    for (const [key, interval] of [
      [undefined, 350],
      ['k', 105],
    ] as const) {
      const clock = fakeClock();
      const limiter = new RateLimiter({ requestsPerSecond: eutilsRequestsPerSecond(key), clock });
      const starts: number[] = [];
      await Promise.all([1, 2, 3, 4].map(() => limiter.schedule(async () => starts.push(clock.now()))));
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
      expect(gaps).toEqual([interval, interval, interval]);
      // Never more than the documented number of calls in any one second.
      const perSecond = eutilsRequestsPerSecond(key);
      for (const t of starts)
        expect(starts.filter((s) => s >= t && s < t + 1000).length).toBeLessThanOrEqual(perSecond);
    }
  });

  it('serialises calls: the next one starts only after the previous one settled', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1000, clock: fakeClock() });
    const events: string[] = [];
    let release: () => void = () => {};
    const first = limiter.schedule(
      () =>
        new Promise<void>((resolve) => {
          events.push('first:start');
          release = () => {
            events.push('first:end');
            resolve();
          };
        }),
    );
    const second = limiter.schedule(async () => {
      events.push('second:start');
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(events).toEqual(['first:start']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first:start', 'first:end', 'second:start']);
  });

  it('keeps going after a task fails, and hands the failure to its caller', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 3, clock: fakeClock() });
    const failed = limiter.schedule(async () => {
      throw new Error('boom');
    });
    const next = limiter.schedule(async () => 'still running');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('still running');
  });

  it('does not wait when calls are already far enough apart', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 3, clock });
    await limiter.schedule(async () => undefined);
    await clock.sleep(1000);
    clock.sleeps.length = 0;
    await limiter.schedule(async () => undefined);
    expect(clock.sleeps).toEqual([]);
  });

  it('shares one E-utilities limiter per key setting across the process', () => {
    expect(sharedEutilsLimiter(undefined)).toBe(sharedEutilsLimiter(undefined));
    expect(sharedEutilsLimiter('a')).toBe(sharedEutilsLimiter('b'));
    expect(sharedEutilsLimiter('a').intervalMs).toBe(105);
    expect(sharedEutilsLimiter(undefined).intervalMs).toBe(350);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new RateLimiter({ requestsPerSecond: 0 })).toThrow(RangeError);
  });
});
