import type { Context } from 'hono';
import { NotFoundError, RateLimitedError } from '../errors';
import type { AppEnv } from './context';

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

/**
 * Counts failed lookups of secret links per caller address. After `limit` misses in the window
 * every lookup from that address is refused with 429 until the window ends, so links cannot be
 * guessed by brute force.
 */
export class MissLimiter {
  private readonly limiter: RateLimiter;

  constructor(limit = 30, windowMs = 10 * 60_000) {
    this.limiter = new RateLimiter(limit, windowMs);
  }

  async lookup<T>(c: Context<AppEnv>, find: () => Promise<T>): Promise<T> {
    const ip = c.get('clientIp');
    const nowMs = c.get('deps').clock.now().getTime();
    const wait = this.limiter.retryAfter(ip, nowMs);
    if (wait > 0) throw new RateLimitedError('Too many invalid links were opened from your address. Please wait a few minutes.', wait);
    try {
      return await find();
    } catch (error) {
      if (error instanceof NotFoundError) this.limiter.hit(ip, nowMs);
      throw error;
    }
  }
}
