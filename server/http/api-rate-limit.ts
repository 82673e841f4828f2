import type { Context } from 'hono';
import { RateLimitedError } from '../errors';
import type { AppEnv } from './context';
import { FixedWindowLimit } from './rate-limit';

/**
 * The API's limit per token and minute (API_RATE_LIMIT), counted in the database so that several
 * instances on one database allow it once, not once each. Over the limit the request is answered
 * 429 with Retry-After: the seconds until the minute's window ends.
 */
export function apiRateLimit(requestsPerMinute: number): (c: Context<AppEnv>, tokenId: string) => Promise<void> {
  const limit = new FixedWindowLimit('api-token', requestsPerMinute, 60_000);
  return async (c, tokenId) => {
    const { db, clock } = c.get('deps');
    const { count, secondsLeft } = await limit.hit(db, tokenId, clock.now());
    if (count > requestsPerMinute) throw new RateLimitedError(`At most ${requestsPerMinute} requests per minute per token.`, secondsLeft);
  };
}
