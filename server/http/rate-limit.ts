import type { Context } from 'hono';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/schema';
import { NotFoundError, RateLimitedError } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { AppEnv } from './context';
import { countHit, deleteEndedWindows } from './rate-limit.repository';

/**
 * A fixed-window counter per key, kept in the database so that every server instance on one
 * database counts into the same windows (login limits live in the database for the same reason).
 * Windows are aligned to multiples of their length; ended ones are deleted by housekeeping.
 */
export class FixedWindowLimit {
  constructor(
    /** Names the limit in the table, so limits never count into each other's windows. */
    private readonly name: string,
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Counts one hit for the key: the window's count so far, when the window ends (ms since the
   * epoch) and the seconds until then, for Retry-After.
   */
  async hit(db: Db, key: string, now: Date): Promise<{ count: number; endsAt: number; secondsLeft: number }> {
    const windowStart = Math.floor(now.getTime() / this.windowMs) * this.windowMs;
    const endsAt = windowStart + this.windowMs;
    const count = await countHit(db, { limiter: this.name, key, windowStart: new Date(windowStart).toISOString(), expiresAt: new Date(endsAt).toISOString() });
    return { count, endsAt, secondsLeft: Math.ceil((endsAt - now.getTime()) / 1000) };
  }
}

/** Deletes the windows of every limit that have ended; safe to run on several instances at once. */
export function deleteEndedRateLimitWindows(db: Db, now: Date): Promise<number> {
  return deleteEndedWindows(db, now.toISOString());
}

/**
 * Counts failed lookups of secret links per caller address. After `limit` misses in the window
 * every lookup from that address is refused with 429 until the window ends, so links cannot be
 * guessed by brute force.
 *
 * Misses are counted in the database (one budget per address for survey and report links, shared by
 * every instance), but whether an address is blocked is remembered in memory: checking the database
 * before every lookup would add a query to each survey page and submission, the busiest requests
 * there are, to stop a caller who almost never exists. The cost is small: an instance that has not
 * seen the address's last misses lets it try once more, learns the count from that miss and blocks
 * it too, so N instances allow at most limit + N − 1 misses per window.
 */
export class MissLimiter {
  private readonly misses: FixedWindowLimit;
  /** Blocked addresses and when their block ends (ms), bounded so a flood of addresses cannot grow it. */
  private readonly blockedUntil = new LRUCache<string, number>({ max: 10_000 });

  constructor(limit = 30, windowMs = 10 * 60_000) {
    this.misses = new FixedWindowLimit('link-misses', limit, windowMs);
  }

  async lookup<T>(c: Context<AppEnv>, find: () => Promise<T>): Promise<T> {
    const ip = c.get('clientIp');
    const { db, clock } = c.get('deps');
    const now = clock.now();
    const until = this.blockedUntil.get(ip);
    if (until !== undefined && until > now.getTime()) {
      throw new RateLimitedError(new Phrase('error.tooManyMisses'), Math.ceil((until - now.getTime()) / 1000));
    }
    try {
      return await find();
    } catch (error) {
      if (error instanceof NotFoundError) {
        const { count, endsAt } = await this.misses.hit(db, ip, now);
        if (count >= this.misses.limit) this.blockedUntil.set(ip, endsAt);
      }
      throw error;
    }
  }
}
