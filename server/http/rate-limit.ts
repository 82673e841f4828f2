/**
 * A fixed-window counter per key, in memory. Used where a per-process limit is enough (guessing
 * link tokens, API calls); login limits live in the database so they hold across instances.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit; returns how many seconds to wait when over the limit, else 0. */
  hit(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    if (!window || nowMs - window.startedAt >= this.windowMs) {
      if (this.windows.size > 50_000) this.forgetExpired(nowMs);
      this.windows.set(key, { startedAt: nowMs, count: 1 });
      return 0;
    }
    window.count += 1;
    return window.count > this.limit ? Math.ceil((window.startedAt + this.windowMs - nowMs) / 1000) : 0;
  }

  /** Whether the key is already over its limit, without counting a hit. */
  retryAfter(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    if (!window || nowMs - window.startedAt >= this.windowMs || window.count < this.limit) return 0;
    return Math.ceil((window.startedAt + this.windowMs - nowMs) / 1000);
  }

  private forgetExpired(nowMs: number): void {
    for (const [key, window] of this.windows) {
      if (nowMs - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
  }
}
