/**
 * A rate limiter that runs tasks one at a time, each starting at least `intervalMs` after the previous
 * one started.
 *
 * NCBI counts every E-utilities request from one IP (or key) together, 3 per second without a key and
 * 10 with one; the fourth request inside a second gets HTTP 429. So all E-utilities calls in the process
 * go through one limiter (`sharedEutilsLimiter`), retries included. The interval carries a 5% margin,
 * because requests spaced exactly 1/3 s apart can arrive closer than that after network jitter.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterOptions {
  requestsPerSecond: number;
  clock?: Clock;
}

export class RateLimiter {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private nextStart = Number.NEGATIVE_INFINITY;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: RateLimiterOptions) {
    if (!(options.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be positive');
    this.intervalMs = Math.ceil((1000 / options.requestsPerSecond) * 1.05);
    this.clock = options.clock ?? systemClock;
  }

  /** Runs `task` after every task scheduled before it has settled and the interval has passed. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      const wait = this.nextStart - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      this.nextStart = this.clock.now() + this.intervalMs;
      return task();
    });
    // A failed task must not stall the queue; its caller still sees the rejection through `run`.
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** NCBI's documented limit: 3 requests per second per IP, 10 with an API key. */
export function eutilsRequestsPerSecond(apiKey: string | undefined): number {
  return apiKey ? 10 : 3;
}

const eutilsLimiters = new Map<number, RateLimiter>();

/** The process-wide E-utilities limiter for this key setting. */
export function sharedEutilsLimiter(apiKey: string | undefined): RateLimiter {
  const rate = eutilsRequestsPerSecond(apiKey);
  let limiter = eutilsLimiters.get(rate);
  if (!limiter) {
    limiter = new RateLimiter({ requestsPerSecond: rate });
    eutilsLimiters.set(rate, limiter);
  }
  return limiter;
}
