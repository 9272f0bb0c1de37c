/**
 * The playground's digest dry run fans out to the literature APIs (each with its own rate limit and
 * our NCBI contact address on every request), so it runs one at a time and a few times a minute for
 * the whole server, however many people or scripts press the button.
 */
export interface DryRunGate {
  /** Undefined when the run may start (call the returned release when done), else seconds to wait. */
  enter(): { release(): void } | { retryAfterS: number };
}

export function dryRunGate(options: { perMinute?: number; now?: () => number } = {}): DryRunGate {
  const perMinute = options.perMinute ?? 6;
  const now = options.now ?? Date.now;
  const started: number[] = [];
  let running = false;
  return {
    enter() {
      const t = now();
      while (started.length > 0 && t - started[0]! >= 60_000) started.shift();
      if (running) return { retryAfterS: 5 };
      if (started.length >= perMinute) return { retryAfterS: Math.ceil((started[0]! + 60_000 - t) / 1000) };
      running = true;
      started.push(t);
      return {
        release: () => {
          running = false;
        },
      };
    },
  };
}
